import type { Finding } from "../findings/finding.js";
import type { ReferenceUse } from "./reference-uses.js";
import { listReferenceUses, referenceEvidence } from "./reference-uses.js";
import type { Rule, RuleContext } from "./rule.js";
import { makeFinding } from "./rule.js";
import { siteLabel } from "./setting-missing.js";

const REFRESH_GRACE_MS = 24 * 3_600_000;

/**
 * A versionless reference still serves an older version more than a day
 * after a new one was created: App Service refetches within 24 hours, so
 * anything longer means the refresh is stuck.
 */
export const referenceActiveVersionStale: Rule = {
  id: "KV_REFERENCE_ACTIVE_VERSION_STALE",
  title: "App still serves an old secret version after rotation",
  severity: "medium",
  rationale:
    "The rotation has not reached the app: it still uses the previous key, which the team " +
    "may be about to revoke.",
  remediation: {
    summary: "Force App Service to fetch the references again",
    az:
      "az rest --method post --url https://management.azure.com<site-id>/config/" +
      "configreferences/appsettings/refresh?api-version=2022-03-01",
    docs: "https://learn.microsoft.com/azure/app-service/app-service-key-vault-references#rotation",
  },
  evaluate({ policy, snapshot, now }: RuleContext): Finding[] {
    return listReferenceUses(policy, snapshot)
      .filter((use) => isStale(use, now))
      .map((use) =>
        makeFinding(referenceActiveVersionStale, {
          severity: referenceActiveVersionStale.severity,
          resourceId: use.site.resourceId,
          subject: use.setting.name,
          message:
            `Setting ${use.setting.name} on app ${siteLabel(use.site.name, use.site.slot)} ` +
            `still serves version ${use.status?.activeVersion} of ${use.secret.name}; version ` +
            `${use.observed?.version} has been current since ${use.observed?.createdOn?.slice(0, 10)}.`,
          expected: `active version ${use.observed?.version}`,
          observed: `active version ${use.status?.activeVersion}`,
          docRef: use.setting.docRef,
          evidence: referenceEvidence(use),
        }),
      );
  },
};

function isStale(use: ReferenceUse, now: Date): boolean {
  const active = use.status?.activeVersion?.toLowerCase();
  const current = use.observed?.version?.toLowerCase();
  const createdOn = use.observed?.createdOn;

  if (use.reference.secretVersion || !active || !current || !createdOn || active === current) {
    return false;
  }

  return now.getTime() - Date.parse(createdOn) > REFRESH_GRACE_MS;
}
