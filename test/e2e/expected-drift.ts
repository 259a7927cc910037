/**
 * What the drifted estate must yield against policy/, most severe first:
 * `severity ruleId subject`. Every line traces to one planted drift.
 */
export const EXPECTED_DRIFT: string[] = [
  "critical SETTING_NOT_KEY_VAULT_REFERENCE ALPACA_API_SECRET",
  "high IDENTITY_OBJECT_ID_MISMATCH ai-trader-ui-mi",
  "high KV_REFERENCE_IDENTITY_CANNOT_READ keyVaultReferenceIdentity: kv-ai-trader-prod",
  "high KV_REFERENCE_UNRESOLVED DATABASE_URL",
  "high ROLE_MISSING ai-trader-ui-mi: Azure Event Hubs Data Receiver",
  "high ROLE_MISSING ai-trader-ui-mi: Azure Event Hubs Data Sender",
  "high ROLE_MISSING ai-trader-ui-mi: Key Vault Secrets User",
  "high ROLE_MISSING ai-trader-ui-mi: Storage Blob Data Contributor",
  "high ROLE_NOT_DOCUMENTED ai-trader-api-mi: Contributor at rg-ai-trader-prod",
  "high ROTATION_OVERDUE YAHOO-REFRESH-TOKEN",
  "high SETTING_LOOKS_SECRET LEGACY_STORAGE_CONNECTION",
  "high SETTING_MISSING TWELVEDATA_API_KEY",
  "high UNDOCUMENTED_ACCESS a1c3e5f7-2b4d-4f6a-8c1e-3d5f7a9c4bb7: Azure Event Hubs Data Receiver",
  "high UNDOCUMENTED_ACCESS a1c3e5f7-2b4d-4f6a-8c1e-3d5f7a9c4bb7: Azure Event Hubs Data Sender",
  "high UNDOCUMENTED_ACCESS a1c3e5f7-2b4d-4f6a-8c1e-3d5f7a9c4bb7: Key Vault Secrets User",
  "high UNDOCUMENTED_ACCESS a1c3e5f7-2b4d-4f6a-8c1e-3d5f7a9c4bb7: Storage Blob Data Contributor",
  "medium DOC_STALE policy/secrets.md",
  "medium KV_REFERENCE_PINNED_NOT_CURRENT FINNHUB_API_KEY",
  "low SECRET_NOT_DOCUMENTED OLD-BROKER-KEY",
];

/** Renders findings the way EXPECTED_DRIFT lists them, with the policy dir named `policy`. */
export function summarise(
  findings: { severity: string; ruleId: string; subject: string }[],
  policyDir: string,
): string[] {
  return findings.map((f) => `${f.severity} ${f.ruleId} ${f.subject.replace(policyDir, "policy")}`);
}
