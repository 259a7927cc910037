import type { Finding } from "../findings/finding.js";
import type { SettingObservation } from "../snapshot/snapshot.js";
import type { Rule, RuleContext } from "./rule.js";
import { findAppSites, findSetting, findSite, listDocumentedSettings } from "./estate-index.js";
import { makeFinding } from "./rule.js";
import { describeValue } from "./setting-not-reference.js";

/** A slot's documented setting points somewhere other than production's. */
export const slotSettingDiffers: Rule = {
  id: "SLOT_SETTING_DIFFERS",
  title: "Slot setting differs from production",
  severity: "medium",
  rationale:
    "A swap moves non-sticky settings with the code: a slot that references another " +
    "secret or holds a pasted value carries it into production.",
  remediation: {
    summary: "Make the slot reference the documented secret, or mark the setting sticky on purpose",
    az: "az webapp config appsettings set -g <resource-group> -n <app> --slot <slot> --settings <SETTING>=<reference>",
    docs: "https://learn.microsoft.com/azure/app-service/deploy-staging-slots#which-settings-are-swapped",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return listDocumentedSettings(policy).flatMap(({ setting, app }) => {
      const production = findSite(snapshot, app);
      const expected = production && findSetting(production, setting);

      if (!expected) {
        return [];
      }

      return findAppSites(snapshot, app)
        .filter((site) => site.slot !== undefined)
        .flatMap((slot) => {
          const observed = findSetting(slot, setting);

          if (!observed || signature(observed) === signature(expected)) {
            return [];
          }

          return [
            makeFinding(slotSettingDiffers, {
              severity: slotSettingDiffers.severity,
              resourceId: slot.resourceId,
              subject: setting.name,
              message:
                `Setting ${setting.name} on slot ${slot.name}/${slot.slot} holds ` +
                `${describeObservation(observed)}, but production holds ${describeObservation(expected)}.`,
              expected: describeObservation(expected),
              observed: describeObservation(observed),
              docRef: setting.docRef,
              evidence: { app: slot.name, slot: slot.slot ?? "", setting: setting.name },
            }),
          ];
        });
    });
  },
};

function signature(observed: SettingObservation): string {
  const ref = observed.reference;

  return [observed.valueKind, ref?.vaultName, ref?.secretName, ref?.secretVersion]
    .map((part) => (part ?? "").toLowerCase())
    .join("|");
}

function describeObservation(observed: SettingObservation): string {
  const ref = observed.reference;

  if (!ref) {
    return describeValue(observed);
  }

  const version = ref.secretVersion ? ` version ${ref.secretVersion}` : "";

  return `a reference to ${ref.secretName}${version} in vault ${ref.vaultName}`;
}
