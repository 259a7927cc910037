import type { Finding } from "../findings/finding.js";
import type { KeyVaultReference } from "../snapshot/snapshot.js";
import type { Rule, RuleContext } from "./rule.js";
import { findAppSites, findSetting, listDocumentedSettings, sameId } from "./estate-index.js";
import { makeFinding } from "./rule.js";
import {
  evidenceFor,
  KEY_VAULT_REFERENCES_DOCS,
  SET_REFERENCE_AZ,
  siteLabel,
} from "./setting-missing.js";

/** A documented setting references a secret other than the one the doc names. */
export const referenceTargetMismatch: Rule = {
  id: "KV_REFERENCE_TARGET_MISMATCH",
  title: "Key Vault reference names another vault or secret",
  severity: "high",
  rationale:
    "The app reads a different secret than the team believes: rotation of the documented " +
    "secret never reaches it, and the other secret may belong to another environment.",
  remediation: {
    summary: "Point the reference at the documented vault and secret",
    az: SET_REFERENCE_AZ,
    docs: KEY_VAULT_REFERENCES_DOCS,
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return listDocumentedSettings(policy).flatMap(({ secret, setting, app }) =>
      findAppSites(snapshot, app).flatMap((site) => {
        const reference = findSetting(site, setting)?.reference;
        const vaultName = policy.vaults[secret.vault]?.name;

        if (!reference || reference.malformed || !vaultName) {
          return [];
        }

        if (sameId(reference.vaultName, vaultName) && sameId(reference.secretName, secret.name)) {
          return [];
        }

        const observed = describeTarget(reference);

        return [
          makeFinding(referenceTargetMismatch, {
            severity: referenceTargetMismatch.severity,
            resourceId: site.resourceId,
            subject: setting.name,
            message:
              `Setting ${setting.name} on app ${siteLabel(site.name, site.slot)} references ` +
              `${observed}; the doc says ${secret.name} in vault ${vaultName}.`,
            expected: `secret ${secret.name} in vault ${vaultName}`,
            observed,
            docRef: setting.docRef,
            evidence: {
              ...evidenceFor(site.name, site.slot, setting.name, secret.name),
              referenceForm: reference.form,
              referencedVault: reference.vaultName,
              referencedSecret: reference.secretName,
            },
          }),
        ];
      }),
    );
  },
};

export function describeTarget(reference: KeyVaultReference): string {
  return `secret ${reference.secretName} in vault ${reference.vaultName}`;
}
