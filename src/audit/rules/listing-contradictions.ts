import type { GraphRoleAssignment, Snapshot } from "../snapshot/snapshot.js";
import { isScopeAtOrAbove, sameId } from "./estate-index.js";

/**
 * Assignments Resource Graph showed that ARM's role-assignment listings
 * left out (A13); none in snapshots taken before the cross-check existed.
 */
export function listMissingFromListing(snapshot: Snapshot): GraphRoleAssignment[] {
  return snapshot.roleCrossCheck?.missingFromListing ?? [];
}

/** True when one scope is at, above or below the other. */
export function areScopesRelated(a: string, b: string): boolean {
  return isScopeAtOrAbove(a, b) || isScopeAtOrAbove(b, a);
}

/**
 * True when Resource Graph contradicted the listing of this principal, or a
 * listing at, above or below this scope. Rules that conclude "not granted"
 * from the listings must not conclude it then: SCAN_INCONSISTENT says why.
 */
export function isListingContradicted(
  snapshot: Snapshot,
  principalId: string,
  scope: string,
): boolean {
  return listMissingFromListing(snapshot).some(
    (row) => sameId(row.principalId, principalId) || areScopesRelated(row.scope, scope),
  );
}
