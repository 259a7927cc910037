import type { Finding } from "../findings/finding.js";
import type { Rule, RuleContext } from "./rule.js";
import {
  findAppSites,
  findSetting,
  findSite,
  listDocumentedSettings,
  normalizeSettingName,
} from "./estate-index.js";
import { makeFinding } from "./rule.js";

/** On an app with slots, a documented setting is not a slot (sticky) setting. */
export const settingNotSticky: Rule = {
  id: "SETTING_NOT_STICKY",
  title: "Documented setting swaps with the code",
  severity: "info",
  rationale:
    "A non-sticky setting moves to production on swap; if the slot's reference points at a " +
    "staging secret, production gets it.",
  remediation: {
    summary: "Mark the setting as a slot setting if each slot must keep its own reference",
    az: "az webapp config appsettings set -g <resource-group> -n <app> --slot-settings <SETTING>=<reference>",
    docs: "https://learn.microsoft.com/azure/app-service/deploy-staging-slots#which-settings-are-swapped",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return listDocumentedSettings(policy).flatMap(({ setting, app }) => {
      const production = findSite(snapshot, app);
      const sticky = production?.slotConfigNames;
      const hasSlots = findAppSites(snapshot, app).some((site) => site.slot !== undefined);

      const observed = production && findSetting(production, setting);

      if (!production || !sticky || !hasSlots || !observed) {
        return [];
      }

      // Stickiness belongs to the setting as it exists: `ConnectionStrings:Main`
      // may live as connection string `Main`, sticky through connectionStringNames.
      const names =
        observed.kind === "appSetting" ? sticky.appSettingNames : sticky.connectionStringNames;

      if (
        names.some((name) => normalizeSettingName(name) === normalizeSettingName(observed.name))
      ) {
        return [];
      }

      return [
        makeFinding(settingNotSticky, {
          severity: settingNotSticky.severity,
          resourceId: production.resourceId,
          subject: setting.name,
          message: `Setting ${setting.name} on app ${production.name} is not a slot setting; it swaps with the code.`,
          expected: "a deliberate choice of sticky or swapping",
          observed: "not sticky",
          docRef: setting.docRef,
          evidence: { app: production.name, setting: setting.name, slotSticky: "false" },
        }),
      ];
    });
  },
};
