import type { SettingRequirement } from "../policy/policy-model.js";
import type { Finding } from "../findings/finding.js";
import type { Rule, RuleContext } from "./rule.js";
import { findAppSites, findGap, findSetting, listDocumentedSettings } from "./estate-index.js";
import { makeFinding } from "./rule.js";

/** Sets a documented setting to a Key Vault reference; placeholders are filled per finding. */
export const SET_REFERENCE_AZ =
  "az webapp config appsettings set -g <resource-group> -n <app> --settings " +
  '"<SETTING>=@Microsoft.KeyVault(VaultName=<vault>;SecretName=<secret>)"';

/**
 * How to write the reference where the setting lives: a connection string
 * is set with its own command, under its name without `ConnectionStrings:`,
 * and a slot's setting with `--slot`, or the pasted command would change
 * production instead.
 */
export function referenceCommand(setting: SettingRequirement, slot: string | undefined): string {
  const onSlot = slot === undefined ? "" : " --slot <slot>";

  if (setting.kind === "appSetting") {
    return SET_REFERENCE_AZ + onSlot;
  }

  const name = setting.name.replace(/^ConnectionStrings(:|__)/i, "");

  return (
    "az webapp config connection-string set -g <resource-group> -n <app> -t Custom " +
    `--settings "${name}=@Microsoft.KeyVault(VaultName=<vault>;SecretName=<secret>)"${onSlot}`
  );
}

export const KEY_VAULT_REFERENCES_DOCS =
  "https://learn.microsoft.com/azure/app-service/app-service-key-vault-references";

/** An app (or one of its slots) lacks a setting the doc says it consumes. */
export const settingMissing: Rule = {
  id: "SETTING_MISSING",
  title: "Documented setting missing from an app",
  severity: "high",
  rationale:
    "Code that reads the setting gets nothing, or a default that points at the wrong place.",
  remediation: {
    summary: "Add the setting as a Key Vault reference",
    az: SET_REFERENCE_AZ,
    docs: KEY_VAULT_REFERENCES_DOCS,
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return listDocumentedSettings(policy).flatMap(({ secret, setting, app }) =>
      findAppSites(snapshot, app)
        .filter(() => !setting.configProviderKey)
        .filter(
          (site) => !readKinds(setting.kind).some((w) => findGap(snapshot, site.resourceId, w)),
        )
        .filter((site) => !findSetting(site, setting))
        .map((site) =>
          makeFinding(settingMissing, {
            severity: settingMissing.severity,
            resourceId: site.resourceId,
            subject: setting.name,
            message:
              `App ${siteLabel(site.name, site.slot)} has no ${kindLabel(setting.kind)} ` +
              `${setting.name}, which the doc maps to secret ${secret.name}.`,
            expected: `${kindLabel(setting.kind)} ${setting.name} referencing ${secret.name}`,
            observed: `no ${kindLabel(setting.kind)} of that name`,
            docRef: setting.docRef,
            remediation: `${settingMissing.remediation.summary} (${referenceCommand(setting, site.slot)})`,
            evidence: evidenceFor(
              site.name,
              site.slot,
              setting.name,
              secret.name,
              policy.vaults[secret.vault]?.name,
            ),
          }),
        ),
    );
  },
};

export function readKind(kind: "appSetting" | "connectionString"): string {
  return kind === "appSetting" ? "appSettings" : "connectionStrings";
}

/** The reads that could have shown the setting: a connection string may live as an app setting. */
function readKinds(kind: "appSetting" | "connectionString"): string[] {
  return kind === "appSetting" ? ["appSettings"] : ["connectionStrings", "appSettings"];
}

export function kindLabel(kind: "appSetting" | "connectionString"): string {
  return kind === "appSetting" ? "app setting" : "connection string";
}

export function siteLabel(name: string, slot: string | undefined): string {
  return slot ? `${name}/${slot}` : name;
}

export function evidenceFor(
  app: string,
  slot: string | undefined,
  setting: string,
  secret: string,
  vault?: string,
): Record<string, string> {
  return { app, slot: slot ?? "production", setting, secret, ...(vault ? { vault } : {}) };
}
