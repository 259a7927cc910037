import type { Finding } from "../findings/finding.js";
import type { Rule, RuleContext } from "./rule.js";
import { findAppSites, findSetting, listDocumentedSettings } from "./estate-index.js";
import { makeFinding } from "./rule.js";
import { evidenceFor, siteLabel } from "./setting-missing.js";

/** The setting looks like a Key Vault reference but App Service cannot parse it. */
export const referenceMalformed: Rule = {
  id: "KV_REFERENCE_INVALID_SYNTAX",
  title: "Key Vault reference cannot be parsed",
  severity: "high",
  rationale:
    "App Service passes an unparseable reference through as literal text, so the app " +
    "receives the reference string instead of the secret.",
  remediation: {
    summary:
      "Rewrite the reference as @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/" +
      "secrets/<secret>) or @Microsoft.KeyVault(VaultName=<vault>;SecretName=<secret>)",
    az: "az webapp config appsettings set -g <resource-group> -n <app> --settings <SETTING>=<reference>",
    docs: "https://learn.microsoft.com/azure/app-service/app-service-key-vault-references",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return listDocumentedSettings(policy).flatMap(({ secret, setting, app }) =>
      findAppSites(snapshot, app).flatMap((site) => {
        const reference = findSetting(site, setting)?.reference;

        if (!reference?.malformed) {
          return [];
        }

        return [
          makeFinding(referenceMalformed, {
            severity: referenceMalformed.severity,
            resourceId: site.resourceId,
            subject: setting.name,
            message:
              `Setting ${setting.name} on app ${siteLabel(site.name, site.slot)} holds a ` +
              `Key Vault reference that cannot be parsed: ${reference.malformed}.`,
            expected: `a valid reference to secret ${secret.name}`,
            observed: `invalid reference (${reference.malformed})`,
            docRef: setting.docRef,
            evidence: evidenceFor(site.name, site.slot, setting.name, secret.name),
          }),
        ];
      }),
    );
  },
};
