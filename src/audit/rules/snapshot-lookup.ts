import type { Policy } from "../policy/policy-model.js";
import type {
  RoleAssignment,
  RoleDefinition,
  SecretProperties,
  SiteSnapshot,
  Snapshot,
  VaultSnapshot,
} from "../snapshot/snapshot.js";

/**
 * Maps over a snapshot, built once per evaluation, so that rules look
 * things up instead of scanning: with hundreds of apps, scans inside
 * loops over documented rows made the rules quadratic. Keys are
 * lower-case, because Azure ids and names compare without case.
 */
export interface SnapshotLookup {
  siteById: Map<string, SiteSnapshot>;
  /** Production site and slots, by the production site's id. */
  sitesByApp: Map<string, SiteSnapshot[]>;
  assignmentsByPrincipal: Map<string, RoleAssignment[]>;
  queriedPrincipals: Set<string>;
  definitionByGuid: Map<string, RoleDefinition>;
  userAssignedPrincipal: Map<string, string>;
  /** Results derived from a policy and this snapshot, by name. */
  derived: WeakMap<Policy, Map<string, unknown>>;
}

const lookups = new WeakMap<Snapshot, SnapshotLookup>();

/** The lookup for a snapshot, built on first use. */
export function lookupFor(snapshot: Snapshot): SnapshotLookup {
  let lookup = lookups.get(snapshot);

  if (!lookup) {
    lookup = buildLookup(snapshot);
    lookups.set(snapshot, lookup);
  }

  return lookup;
}

const secretIndexes = new WeakMap<
  VaultSnapshot,
  { secrets: SecretProperties[]; byName: Map<string, SecretProperties> }
>();

/** A vault's secrets by lower-case name, rebuilt whenever its list is replaced. */
export function secretsByName(vault: VaultSnapshot): Map<string, SecretProperties> {
  const cached = secretIndexes.get(vault);

  if (cached?.secrets === vault.secrets) {
    return cached.byName;
  }

  const byName = new Map(vault.secrets.map((secret) => [secret.name.toLowerCase(), secret]));

  secretIndexes.set(vault, { secrets: vault.secrets, byName });

  return byName;
}

/** Drops a snapshot's lookup, so an evaluation never sees a stale one. */
export function forgetLookup(snapshot: Snapshot): void {
  lookups.delete(snapshot);
}

/** Computes `derive()` once per policy and snapshot, under `name`. */
export function derivedOnce<T>(
  policy: Policy,
  snapshot: Snapshot,
  name: string,
  derive: () => T,
): T {
  const lookup = lookupFor(snapshot);
  const cache = lookup.derived.get(policy) ?? new Map<string, unknown>();

  lookup.derived.set(policy, cache);

  if (!cache.has(name)) {
    cache.set(name, derive());
  }

  return cache.get(name) as T;
}

function buildLookup(snapshot: Snapshot): SnapshotLookup {
  return {
    siteById: new Map(snapshot.sites.map((site) => [site.resourceId.toLowerCase(), site])),
    sitesByApp: groupBy(snapshot.sites, (site) => appIdOf(site.resourceId)),
    assignmentsByPrincipal: groupBy(snapshot.roleAssignments, (a) => a.principalId.toLowerCase()),
    queriedPrincipals: new Set(snapshot.principalsQueried.map((id) => id.toLowerCase())),
    definitionByGuid: new Map(
      snapshot.roleDefinitions.map((d) => [(d.id.split("/").pop() ?? "").toLowerCase(), d]),
    ),
    userAssignedPrincipal: new Map(
      [
        ...snapshot.sites.flatMap((site) => site.identity?.userAssigned ?? []),
        ...(snapshot.userAssignedIdentities ?? []),
      ].map((u) => [u.resourceId.toLowerCase(), u.principalId]),
    ),
    derived: new WeakMap(),
  };
}

/** The production site's id for a site or one of its slots. */
function appIdOf(resourceId: string): string {
  return resourceId.toLowerCase().replace(/\/slots\/[^/]+$/, "");
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();

  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);

    if (group) {
      group.push(item);
    } else {
      groups.set(key, [item]);
    }
  }

  return groups;
}
