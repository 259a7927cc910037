import type { Finding } from "../findings/finding.js";
import { listReferenceUses } from "./reference-uses.js";
import type { Rule, RuleContext } from "./rule.js";
import { makeFinding } from "./rule.js";
import { siteLabel } from "./setting-missing.js";
import { pinnedEvidence, referencePinned, unpinRemediation } from "./reference-pinned.js";

/** A reference pinned to an older version: the app still runs on a rotated-out key. */
export const referencePinnedNotCurrent: Rule = {
  id: "KV_REFERENCE_PINNED_NOT_CURRENT",
  title: "Key Vault reference pinned to an old version",
  severity: "medium",
  rationale:
    "The app uses a key the team believes was rotated out; when the old version is " +
    "disabled the app breaks.",
  remediation: referencePinned.remediation,
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return listReferenceUses(policy, snapshot)
      .filter((use) => use.reference.secretVersion && use.observed?.version)
      .filter(
        (use) =>
          use.reference.secretVersion?.toLowerCase() !== use.observed?.version?.toLowerCase(),
      )
      .map((use) =>
        makeFinding(referencePinnedNotCurrent, {
          severity: referencePinnedNotCurrent.severity,
          resourceId: use.site.resourceId,
          subject: use.setting.name,
          message:
            `Setting ${use.setting.name} on app ${siteLabel(use.site.name, use.site.slot)} is ` +
            `pinned to version ${use.reference.secretVersion} of ${use.secret.name}, not the ` +
            `current version ${use.observed?.version}.`,
          expected: `the current version ${use.observed?.version}, or no version`,
          observed: `pinned to version ${use.reference.secretVersion}`,
          docRef: use.setting.docRef,
          remediation: unpinRemediation(use),
          evidence: pinnedEvidence(use),
        }),
      );
  },
};
