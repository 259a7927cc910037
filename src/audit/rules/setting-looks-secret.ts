import type { Finding } from "../findings/finding.js";
import type { SettingObservation } from "../snapshot/snapshot.js";
import type { Rule, RuleContext } from "./rule.js";
import { documentedSettingKeys, observedSettingKey } from "./estate-index.js";
import { makeFinding } from "./rule.js";
import { describeValue } from "./setting-not-reference.js";
import { siteLabel } from "./setting-missing.js";

const SECRET_LIKE_NAME = /(key|secret|token|password|passwd|pwd|conn(ection)?_?string|credential)/i;

/** Platform settings whose plaintext values are expected and are not secrets. */
const PLATFORM_SETTINGS = /^(website_|functions_|scm_|azure_functions_|applicationinsightsagent_)/i;

/**
 * An undocumented setting that holds a plaintext value shaped or named like
 * a secret. The value was classified in memory and dropped; the finding
 * says only what kind of value it was.
 */
export const settingLooksSecret: Rule = {
  id: "SETTING_LOOKS_SECRET",
  title: "Undocumented setting holds what looks like a secret",
  severity: "high",
  rationale:
    "A secret pasted into an app setting is outside the vault: it never rotates and " +
    "anyone who can read the app's configuration can read it.",
  remediation: {
    summary: "Move the value into Key Vault, reference it, and add it to the secret matrix",
    az: "az keyvault secret set --vault-name <vault> --name <secret> --file <path>",
    docs: "https://learn.microsoft.com/azure/app-service/app-service-key-vault-references",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    const documented = documentedSettingKeys(policy.secrets.flatMap((secret) => secret.settings));

    return snapshot.sites.flatMap((site) =>
      site.settings
        .filter((setting) => !documented.has(observedSettingKey(setting)))
        .filter(looksSecret)
        .map((setting) =>
          makeFinding(settingLooksSecret, {
            severity: setting.valueShape ? "high" : "medium",
            resourceId: site.resourceId,
            subject: setting.name,
            message:
              `Undocumented setting ${setting.name} on app ${siteLabel(site.name, site.slot)} ` +
              `holds ${describeValue(setting)}.`,
            expected: "secrets only as documented Key Vault references",
            observed: describeValue(setting),
            docRef: undefined,
            evidence: { app: site.name, slot: site.slot ?? "production", setting: setting.name },
          }),
        ),
    );
  },
};

function looksSecret(setting: SettingObservation): boolean {
  if (setting.valueKind !== "plaintext" || PLATFORM_SETTINGS.test(setting.name)) {
    return false;
  }

  return setting.valueShape !== undefined || SECRET_LIKE_NAME.test(setting.name);
}
