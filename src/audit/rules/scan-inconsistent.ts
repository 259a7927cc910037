import type { Finding } from "../findings/finding.js";
import type { GraphRoleAssignment, Snapshot } from "../snapshot/snapshot.js";
import type { Rule, RuleContext } from "./rule.js";
import { sameId } from "./estate-index.js";
import { areScopesRelated, listMissingFromListing } from "./listing-contradictions.js";
import { listResolvedIdentities, roleNameOf, wasQueried } from "./principal-index.js";
import type { ResolvedIdentity } from "./principal-index.js";
import { makeFinding } from "./rule.js";

/**
 * Azure Resource Graph shows a role assignment that ARM's listing for its
 * principal, or at, above or below a documented scope, did not return (A13:
 * a listing answered HTTP 200 with an empty page). Role rules conclude no
 * absence from a contradicted listing; this finding says why, and the run
 * is incomplete, since those checks were not made.
 */
export const scanInconsistent: Rule = {
  id: "SCAN_INCONSISTENT",
  title: "Role-assignment listing contradicted by Azure Resource Graph",
  severity: "medium",
  rationale:
    "ARM has answered role-assignment listings with an empty page and HTTP 200 for scopes " +
    "that had assignments. Trusted, such a listing reports granted roles as missing and " +
    "hides grants nobody documented.",
  remediation: {
    summary:
      "Run the audit again in a few minutes (Resource Graph lags ARM, so an assignment deleted " +
      "just now clears by itself); if it persists, compare ARM's listing with Resource Graph, " +
      "and open an Azure support case with both outputs if ARM keeps leaving the assignment out",
    az:
      "az role assignment list --all --include-inherited --assignee <principal-id> && " +
      `az graph query -q "authorizationresources | where id =~ '<assignment-id>'"`,
    docs: "https://learn.microsoft.com/azure/role-based-access-control/role-assignments-list-cli",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    const identities = listResolvedIdentities(policy, snapshot);

    return listMissingFromListing(snapshot).map((row) =>
      inconsistentFinding(snapshot, identities, row),
    );
  },
};

function inconsistentFinding(
  snapshot: Snapshot,
  identities: ResolvedIdentity[],
  row: GraphRoleAssignment,
): Finding {
  const identity = identities.find(({ principal }) =>
    sameId(principal.principalId, row.principalId),
  )?.identity;
  const who = identity
    ? `identity ${identity.name} (principal ${row.principalId})`
    : `principal ${row.principalId}`;
  const roleName = roleNameOf(snapshot, { ...row, principalType: undefined, condition: undefined });
  const listings = describeListings(snapshot, row);

  return makeFinding(scanInconsistent, {
    severity: scanInconsistent.severity,
    resourceId: row.id,
    subject: `${row.principalId}: ${roleName} at ${row.scope.split("/").pop() || "/"}`,
    message:
      `Azure Resource Graph shows role assignment ${row.id} (${roleName} for ${who} at ` +
      `${row.scope}), but ARM's role-assignment ${listings.text} did not return it, so the ` +
      `audit concludes no missing role from ${listings.count > 1 ? "them" : "it"}. Resource ` +
      "Graph lags ARM by minutes: the assignment may instead have been deleted just now.",
    expected: "every role assignment Resource Graph shows also listed by ARM",
    observed: `${row.id} missing from the ${listings.text}`,
    docRef: identity?.docRef,
    evidence: {
      ...(identity ? { identity: identity.name } : {}),
      principalId: row.principalId,
      role: roleName,
      scope: row.scope,
      assignmentId: row.id,
    },
  });
}

/** "listing for principal p and listings at s1 and s2": the listings that left it out. */
function describeListings(snapshot: Snapshot, row: GraphRoleAssignment) {
  const byPrincipal = wasQueried(snapshot, row.principalId)
    ? [`for principal ${row.principalId}`]
    : [];
  const byScope = (snapshot.scopesQueried ?? [])
    .filter((scope) => areScopesRelated(row.scope, scope))
    .map((scope) => `at ${scope}`);
  const parts = [...byPrincipal, ...byScope];
  const count = Math.max(parts.length, 1);
  const joined =
    parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : (parts[0] ?? "");

  return {
    text: `${count > 1 ? "listings" : "listing"}${joined ? ` ${joined}` : ""}`,
    count,
  };
}
