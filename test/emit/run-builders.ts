import type { AuditRun } from "../../src/audit/audit-run.js";
import type { Finding } from "../../src/audit/findings/finding.js";

/** Planted in every free-text field: it must never reach telemetry. */
export const CANARY = "CANARY-7f3a-not-for-telemetry";

export const VAULT_ID =
  "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-trader" +
  "/providers/Microsoft.KeyVault/vaults/kv-trader";

export function makeFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: "a1b2c3d4e5f60718",
    ruleId: "SECRET_MISSING",
    severity: "high",
    resourceId: VAULT_ID,
    subject: "ALPACA-API-KEY",
    message: `Secret ALPACA-API-KEY is missing from vault kv-trader. ${CANARY}`,
    expected: `a secret named ALPACA-API-KEY ${CANARY}`,
    observed: `no such secret ${CANARY}`,
    docRef: { file: "policy/secrets.md", line: 12 },
    remediation: `az keyvault secret set --vault-name kv-trader ${CANARY}`,
    evidence: { vault: `kv-trader ${CANARY}` },
    ...overrides,
  };
}

export function makeRun(overrides: Partial<AuditRun> = {}): AuditRun {
  const findings = overrides.findings ?? [makeFinding()];

  return {
    id: "5e0c7a4e-0000-4000-8000-000000000001",
    status: "findings",
    now: "2026-12-01T00:00:00.000Z",
    startedAt: "2026-12-01T00:00:01.000Z",
    finishedAt: "2026-12-01T00:00:02.000Z",
    policy: { docFile: "policy/secrets.md", bindingsFile: "policy/bindings.yaml" },
    subscriptionId: "11111111-1111-1111-1111-111111111111",
    source: "snapshots/estate.json",
    counts: {
      total: findings.length,
      bySeverity: { critical: 0, high: findings.length, medium: 0, low: 0, info: 0 },
      waived: findings.filter((finding) => finding.waiver).length,
    },
    ...overrides,
    findings,
  };
}
