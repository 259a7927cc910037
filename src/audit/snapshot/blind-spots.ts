import { GAP_WHAT, SNAPSHOT_FIELD_MISSING } from "./snapshot.js";
import type { CollectionGap, SiteSnapshot, Snapshot } from "./snapshot.js";

/**
 * Gaps for what a snapshot file does not say it read. Our collector always
 * writes these fields (or a gap saying why it could not); a snapshot from
 * an older collector, or written by hand, may lack them. Without a gap the
 * checks that need them would be skipped silently, and "not looked at"
 * would pass for "nothing found".
 *
 * The `what` names are the collector's own, so rules that look a gap up by
 * name treat the part as unread.
 */
export function findBlindSpots(snapshot: Snapshot): CollectionGap[] {
  const subscription = `/subscriptions/${snapshot.subscriptionId}`;
  const missing = (what: string, resourceId: string, detail: string): CollectionGap => ({
    resourceId,
    what,
    reason:
      `the snapshot does not record ${detail} (it was written by an older collector or ` +
      "by hand); collect a new one",
    statusCode: undefined,
    errorCode: SNAPSHOT_FIELD_MISSING,
  });

  return [
    ...(snapshot.scopesQueried === undefined
      ? [
          missing(
            GAP_WHAT.scopeAssignments,
            subscription,
            "which scopes' role assignments it listed",
          ),
        ]
      : []),
    ...(snapshot.principalGroups === undefined
      ? [missing(GAP_WHAT.groupAssignments, subscription, "grants held through groups")]
      : []),
    ...(snapshot.denyAssignments === undefined
      ? [missing(GAP_WHAT.denyAssignments, subscription, "deny assignments")]
      : []),
    ...(snapshot.roleCrossCheck === undefined
      ? [
          missing(
            GAP_WHAT.roleCrossCheck,
            subscription,
            "whether its role listings were cross-checked with Resource Graph",
          ),
        ]
      : []),
    ...snapshot.sites
      .filter((site) => site.configReferences === undefined && hasReferences(site))
      .filter((site) => !hasGap(snapshot, site.resourceId))
      .map((site) =>
        missing(
          GAP_WHAT.appSettingReferences,
          site.resourceId,
          `how App Service resolved ${site.name}'s Key Vault references`,
        ),
      ),
  ];
}

function hasGap(snapshot: Snapshot, resourceId: string): boolean {
  return snapshot.gaps.some(
    (gap) =>
      gap.resourceId.toLowerCase() === resourceId.toLowerCase() &&
      gap.what.startsWith("configReferences"),
  );
}

function hasReferences(site: SiteSnapshot): boolean {
  return site.settings.some((setting) => setting.valueKind === "keyVaultReference");
}
