import type { Finding } from "../findings/finding.js";
import { listReferenceUses, referenceEvidence } from "./reference-uses.js";
import type { Rule, RuleContext } from "./rule.js";
import { makeFinding } from "./rule.js";
import { siteLabel } from "./setting-missing.js";

/** Statuses that say nothing about resolution either way. */
export const UNKNOWN_STATUSES = new Set(["initialized", ""]);

const LIKELY_FIX: Record<string, string> = {
  accesstokeyvaultdenied:
    "grant the resolving identity Key Vault Secrets User on the vault (or an access policy " +
    "with get), and check the vault firewall lets App Service through",
  msinotenabled: "enable the app's managed identity, or set keyVaultReferenceIdentity",
  vaultnotfound: "correct the vault name in the reference",
  secretnotfound: "create the secret, or correct its name in the reference",
  secretversionnotfound: "reference an existing version, or drop the version to follow the latest",
  invalidsyntax: "rewrite the reference in one of the documented forms",
  unauthorizedclient: "check the user-assigned identity named by keyVaultReferenceIdentity",
  fetchtimedout: "check network access from the app to the vault",
};

/**
 * App Service says a documented reference did not resolve. The reference
 * text being right is no proof: only the platform's status is.
 */
export const referenceUnresolved: Rule = {
  id: "KV_REFERENCE_UNRESOLVED",
  title: "Key Vault reference not resolved by App Service",
  severity: "high",
  rationale:
    "An unresolved reference reaches the app as the literal @Microsoft.KeyVault(...) text, " +
    "so the app runs with a broken credential.",
  remediation: {
    summary: "Fix the cause the status names, then refresh the references",
    az:
      "az rest --method post --url <site-id>/config/configreferences/appsettings/refresh" +
      "?api-version=2022-03-01",
    docs: "https://learn.microsoft.com/azure/app-service/app-service-key-vault-references",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return listReferenceUses(policy, snapshot).flatMap((use) => {
      const status = use.status?.status ?? "";
      const key = status.toLowerCase();

      if (!use.status || UNKNOWN_STATUSES.has(key) || key === "resolved") {
        return [];
      }

      const fix =
        LIKELY_FIX[key] ?? "read the status details in the portal's Key Vault references view";

      return [
        makeFinding(referenceUnresolved, {
          severity: referenceUnresolved.severity,
          resourceId: use.site.resourceId,
          subject: use.setting.name,
          message:
            `App Service reports ${status} for setting ${use.setting.name} on app ` +
            `${siteLabel(use.site.name, use.site.slot)}: the reference to ` +
            `${use.reference.secretName} does not resolve.`,
          expected: "status Resolved",
          observed: `status ${status}`,
          docRef: use.setting.docRef,
          remediation: `${fix.charAt(0).toUpperCase()}${fix.slice(1)}; then refresh the references (${referenceUnresolved.remediation.az}).`,
          evidence: referenceEvidence(use),
        }),
      ];
    });
  },
};
