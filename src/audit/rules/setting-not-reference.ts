import type { SettingRequirement } from "../policy/policy-model.js";
import type { Finding } from "../findings/finding.js";
import type { SettingObservation } from "../snapshot/snapshot.js";
import type { Rule, RuleContext } from "./rule.js";
import { findAppSites, findSetting, listDocumentedSettings } from "./estate-index.js";
import { makeFinding } from "./rule.js";
import {
  evidenceFor,
  KEY_VAULT_REFERENCES_DOCS,
  kindLabel,
  referenceCommand,
  SET_REFERENCE_AZ,
  siteLabel,
} from "./setting-missing.js";

/**
 * A documented setting holds something other than a Key Vault reference:
 * a pasted value, an empty string, or an App Configuration reference.
 */
export const settingNotReference: Rule = {
  id: "SETTING_NOT_KEY_VAULT_REFERENCE",
  title: "Documented setting is not a Key Vault reference",
  severity: "critical",
  rationale:
    "A pasted value is a copy of the secret outside the vault: it is readable by anyone " +
    "with Website Contributor, never rotates with the vault and leaks through exports.",
  remediation: {
    summary: "Rotate the exposed secret, then replace the value with a Key Vault reference",
    az: SET_REFERENCE_AZ,
    docs: KEY_VAULT_REFERENCES_DOCS,
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return listDocumentedSettings(policy).flatMap(({ secret, setting, app }) =>
      findAppSites(snapshot, app).flatMap((site) => {
        const observed = findSetting(site, setting);

        if (!observed || observed.valueKind === "keyVaultReference") {
          return [];
        }

        return [
          makeFinding(settingNotReference, {
            severity: observed.valueKind === "plaintext" ? "critical" : "high",
            resourceId: site.resourceId,
            subject: setting.name,
            message:
              `${capitalise(kindLabel(setting.kind))} ${setting.name} on app ` +
              `${siteLabel(site.name, site.slot)} holds ${describeValue(observed)} instead ` +
              `of a Key Vault reference to ${secret.name}.`,
            expected: `@Microsoft.KeyVault reference to secret ${secret.name}`,
            observed: describeValue(observed),
            docRef: setting.docRef,
            remediation: remediationFor(observed, setting, site.slot),
            evidence: {
              ...evidenceFor(
                site.name,
                site.slot,
                setting.name,
                secret.name,
                policy.vaults[secret.vault]?.name,
              ),
              valueKind: observed.valueKind,
            },
          }),
        ];
      }),
    );
  },
};

/** Rotation is advised only when a value was actually exposed. */
function remediationFor(
  observed: SettingObservation,
  setting: SettingRequirement,
  slot: string | undefined,
): string {
  const first =
    observed.valueKind === "plaintext"
      ? "Rotate the exposed secret, then replace the value with a Key Vault reference"
      : "Replace the value with a Key Vault reference";

  return `${first} (${referenceCommand(setting, slot)})`;
}

/** Says what kind of value was seen; the value itself never reaches a finding. */
export function describeValue(observed: SettingObservation): string {
  switch (observed.valueKind) {
    case "plaintext":
      return observed.valueShape
        ? `a plaintext value (${observed.valueShape})`
        : "a plaintext value";
    case "empty":
      return "an empty value";
    case "appConfigReference":
      return "an App Configuration reference";
    case "keyVaultReference":
      return "a Key Vault reference";
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
