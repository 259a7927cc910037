/**
 * Deny assignments at, above and below each documented scope: they block
 * actions a role grants, so a documented grant can be there and still not
 * work. Listed with no filter, de-duplicated by id; a failed listing is a
 * gap like any other read.
 */
import type {
  DenyAssignment as SdkDenyAssignment,
  Principal as SdkPrincipal,
} from "@azure/arm-authorization";

import { GAP_WHAT } from "../snapshot/snapshot.js";
import type { DenyAssignment, DenyAssignmentPrincipal } from "../snapshot/snapshot.js";
import { asScopeParameter } from "./as-scope-parameter.js";
import type { CollectContext } from "./collect-context.js";
import { collectAll } from "./collection-record.js";
import { mapWithConcurrency } from "./map-with-concurrency.js";

type Conditional = Pick<SdkDenyAssignment, "condition" | "conditionVersion">;

/** `CollectionGap.what` of a deny assignment listing that failed. */
export const DENY_ASSIGNMENTS_READ = GAP_WHAT.denyAssignments;

// Only the object id and type: the SDK's Principal also carries a display
// name and an email, which the snapshot does not keep.
function observePrincipal(principal: SdkPrincipal): DenyAssignmentPrincipal {
  return { id: principal.id ?? "", type: principal.type };
}

function observeDenyAssignment(deny: SdkDenyAssignment): DenyAssignment {
  return {
    id: deny.id ?? "",
    denyAssignmentName: deny.denyAssignmentName ?? deny.name ?? "",
    scope: deny.scope ?? "",
    permissions: (deny.permissions ?? []).map((p) => ({
      actions: p.actions ?? [],
      notActions: p.notActions ?? [],
      dataActions: p.dataActions ?? [],
      notDataActions: p.notDataActions ?? [],
      ...observeCondition(p),
    })),
    principals: (deny.principals ?? []).map(observePrincipal),
    excludePrincipals: (deny.excludePrincipals ?? []).map(observePrincipal),
    doNotApplyToChildScopes: deny.doNotApplyToChildScopes ?? false,
    isSystemProtected: deny.isSystemProtected ?? false,
    ...observeCondition(deny),
  };
}

// Of the deny assignment or of one permission; only when present, so
// snapshots of deny assignments without one keep their shape. A condition
// is an attribute test, not a secret, but it is estate detail: it goes into
// the snapshot and never into a log line.
function observeCondition({ condition, conditionVersion }: Conditional) {
  return {
    ...(condition ? { condition } : {}),
    ...(condition && conditionVersion ? { conditionVersion } : {}),
  };
}

/** Lists the deny assignments related to each scope, once per assignment. */
export async function collectDenyAssignments(
  context: CollectContext,
  scopes: string[],
): Promise<DenyAssignment[]> {
  const { denyAssignments } = context.clients.authorization;
  const listed = await mapWithConcurrency(scopes, context.concurrency, (scope) =>
    context.record.read(scope, DENY_ASSIGNMENTS_READ, () =>
      collectAll(denyAssignments.listForScope(asScopeParameter(scope))),
    ),
  );
  const all = listed.flatMap((list) => list ?? []).map(observeDenyAssignment);

  return [...new Map(all.map((deny) => [deny.id.toLowerCase(), deny])).values()];
}
