import type { Finding } from "../findings/finding.js";
import type { Snapshot } from "../snapshot/snapshot.js";
import { findGap, findSetting } from "./estate-index.js";
import type { ReferenceUse } from "./reference-uses.js";
import { listReferenceUses, referenceEvidence } from "./reference-uses.js";
import { UNKNOWN_STATUSES } from "./reference-unresolved.js";
import type { Rule, RuleContext } from "./rule.js";
import { makeFinding } from "./rule.js";
import { readKind, siteLabel } from "./setting-missing.js";

/**
 * App Service answered, but did not report on this reference (no entry, or
 * still `Initialized`). Some plans cannot report status while resolving
 * fine, so this is information, never "unresolved".
 */
export const referenceStatusUnknown: Rule = {
  id: "KV_REFERENCE_STATUS_UNKNOWN",
  title: "App Service did not report a Key Vault reference's status",
  severity: "info",
  rationale:
    "Without the platform's status the audit cannot prove the reference resolves; it " +
    "does not claim that it fails either.",
  remediation: {
    summary: "Check the Key Vault references view in the portal, or refresh the references",
    az: "az webapp config appsettings list -g <resource-group> -n <app>",
    docs: "https://learn.microsoft.com/azure/app-service/app-service-key-vault-references",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return listReferenceUses(policy, snapshot)
      .filter((use) => use.site.configReferences !== undefined && !statusUnreadable(snapshot, use))
      .filter((use) => !use.status || UNKNOWN_STATUSES.has((use.status.status ?? "").toLowerCase()))
      .map((use) =>
        makeFinding(referenceStatusUnknown, {
          severity: referenceStatusUnknown.severity,
          resourceId: use.site.resourceId,
          subject: use.setting.name,
          message:
            `App Service reports no resolution status for setting ${use.setting.name} on app ` +
            `${siteLabel(use.site.name, use.site.slot)}${use.status ? " (Initialized)" : ""}.`,
          expected: "status Resolved",
          observed: use.status ? "status Initialized" : "no status reported",
          docRef: use.setting.docRef,
          evidence: referenceEvidence(use),
        }),
      );
  },
};

/** The configreferences read for this kind of setting failed: a gap, not a silent platform. */
function statusUnreadable(snapshot: Snapshot, use: ReferenceUse): boolean {
  const kind = findSetting(use.site, use.setting)?.kind ?? use.setting.kind;

  return findGap(snapshot, use.site.resourceId, `configReferences.${readKind(kind)}`) !== undefined;
}
