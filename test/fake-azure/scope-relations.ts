/**
 * How Azure RBAC scopes nest: root `/`, management groups (a chain above the
 * subscription), the subscription, resource groups and resources. Ids are
 * compared case-insensitively, as ARM does.
 */
import type { FakeEstate } from "./estate-model.js";

const MG_PREFIX = "/providers/microsoft.management/managementgroups/";

function normalise(scope: string): string {
  const lower = scope.toLowerCase().replace(/\/+$/, "");

  return lower === "" ? "/" : lower;
}

/** Position in the chain root → management groups → subscription; -1 otherwise. */
function chainRank(scope: string, estate: FakeEstate): number {
  if (scope === "/") {
    return 0;
  }

  if (scope.startsWith(MG_PREFIX)) {
    const name = scope.slice(MG_PREFIX.length);
    const index = estate.managementGroups.findIndex((mg) => mg.toLowerCase() === name);

    return index < 0 ? -1 : estate.managementGroups.length - index;
  }

  return -1;
}

function isUnderSubscription(scope: string, estate: FakeEstate): boolean {
  const subscription = `/subscriptions/${estate.subscriptionId.toLowerCase()}`;

  return scope === subscription || scope.startsWith(subscription + "/");
}

/** True when `outer` is `inner` or one of its ancestors. */
export function isAtOrAbove(outer: string, inner: string, estate: FakeEstate): boolean {
  const a = normalise(outer);
  const b = normalise(inner);

  if (a === b || a === "/") {
    return true;
  }

  const rankA = chainRank(a, estate);
  if (rankA > 0) {
    const rankB = chainRank(b, estate);

    return rankB > rankA || (rankB < 0 && isUnderSubscription(b, estate));
  }

  return b.startsWith(a + "/");
}

/** at, above or below: what `$filter=principalId eq '…'` returns. */
export function isRelated(a: string, b: string, estate: FakeEstate): boolean {
  return isAtOrAbove(a, b, estate) || isAtOrAbove(b, a, estate);
}
