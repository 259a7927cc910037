import type { IdentityRequirement, Policy, RoleRequirement } from "../policy/policy-model.js";
import { directoryObjectPath, GAP_WHAT } from "../snapshot/snapshot.js";
import type {
  RoleAssignment,
  RoleDefinition,
  SiteSnapshot,
  Snapshot,
} from "../snapshot/snapshot.js";
import { derivedOnce, lookupFor } from "./snapshot-lookup.js";
import { findAppSites, findSite, isScopeAtOrAbove, sameId } from "./estate-index.js";

/** The `notFound.what` the collector records for a deleted user-assigned identity. */

export type PrincipalResolution =
  | { status: "resolved"; principalId: string; via: string; resourceId: string }
  | { status: "noIdentity"; site: SiteSnapshot }
  | { status: "deleted"; resourceId: string; source: "userAssigned" | "directory" }
  | { status: "unknown"; reason: string };

export type ResolvedPrincipal = Extract<PrincipalResolution, { status: "resolved" }>;

/** A documented identity and the principal it resolved to. */
export interface ResolvedIdentity {
  identity: IdentityRequirement;
  principal: ResolvedPrincipal;
}

/**
 * One collected slot's own system-assigned identity, judged as the
 * documented identity under its own name (`api-mi (slot staging)`). The
 * doc's object id is the production principal's, so the slot's has none.
 */
export interface SlotIdentity {
  identity: IdentityRequirement;
  slot: string;
  principal: PrincipalResolution;
}

/**
 * The documented identities whose principal could be found, each
 * collected slot of a system-assigned one included, resolved once per run.
 * The role rules judge exactly these principals.
 */
export function listResolvedIdentities(policy: Policy, snapshot: Snapshot): ResolvedIdentity[] {
  return derivedOnce(policy, snapshot, "resolvedIdentities", () =>
    policy.identities.flatMap((identity) => {
      const own = { identity, principal: resolvePrincipal(policy, snapshot, identity) };

      return [own, ...listSlotIdentities(policy, snapshot, identity)].flatMap((entry) =>
        entry.principal.status === "resolved"
          ? [{ identity: entry.identity, principal: entry.principal }]
          : [],
      );
    }),
  );
}

/** The collected slots of an app whose system-assigned identity the doc names. */
export function listSlotIdentities(
  policy: Policy,
  snapshot: Snapshot,
  identity: IdentityRequirement,
): SlotIdentity[] {
  const binding = identity.principal;
  const app = binding?.kind === "systemAssigned" ? policy.apps[binding.app] : undefined;
  const slots = (app ? findAppSites(snapshot, app) : []).filter((site) => site.slot);

  return slots.map((site) => {
    const slot = site.slot ?? "";
    const principalId = site.identity?.principalId;

    return {
      identity: { ...identity, name: `${identity.name} (slot ${slot})`, objectIdSuffix: undefined },
      slot,
      principal: principalId
        ? {
            status: "resolved",
            principalId,
            via: `system-assigned identity of ${site.name} slot ${slot}`,
            resourceId: site.resourceId,
          }
        : { status: "noIdentity", site },
    };
  });
}

/** Finds the object id behind a documented identity, from the bindings and the snapshot. */
export function resolvePrincipal(
  policy: Policy,
  snapshot: Snapshot,
  identity: IdentityRequirement,
): PrincipalResolution {
  const binding = identity.principal;

  if (!binding) {
    return { status: "unknown", reason: "the bindings do not say which principal it is" };
  }

  if (binding.kind === "objectId") {
    return resolveObjectId(snapshot, binding.objectId);
  }

  if (binding.kind === "userAssigned") {
    return resolveUserAssigned(snapshot, binding.resourceId);
  }

  const app = policy.apps[binding.app];
  const site = app && findSite(snapshot, app);

  if (!site) {
    return { status: "unknown", reason: `app ${app?.name ?? binding.app} was not collected` };
  }

  const principalId = site.identity?.principalId;

  if (!principalId) {
    return { status: "noIdentity", site };
  }

  return {
    status: "resolved",
    principalId,
    via: `system-assigned identity of ${site.name}`,
    resourceId: site.resourceId,
  };
}

/**
 * Trusted as given unless Microsoft Entra ID said the object is gone; a
 * lookup that failed is a gap, reported as such, and the grants are still
 * judged.
 */
function resolveObjectId(snapshot: Snapshot, objectId: string): PrincipalResolution {
  const seen = (snapshot.directoryPrincipals ?? []).find(
    (p) => p.objectId.toLowerCase() === objectId.toLowerCase(),
  );
  // The path the collector read it at, so a gap there and this finding match.
  const resourceId = directoryObjectPath(seen?.kind ?? "servicePrincipal", objectId);

  if (seen && !seen.exists) {
    return { status: "deleted", resourceId, source: "directory" };
  }

  return {
    status: "resolved",
    principalId: objectId,
    via: "object id in the bindings",
    resourceId,
  };
}

function resolveUserAssigned(snapshot: Snapshot, resourceId: string): PrincipalResolution {
  const principalId = lookupFor(snapshot).userAssignedPrincipal.get(resourceId.toLowerCase());
  const deleted = (snapshot.notFound ?? []).some(
    (absent) =>
      absent.what === GAP_WHAT.userAssignedIdentity && sameId(absent.resourceId, resourceId),
  );

  if (!principalId && deleted) {
    return { status: "deleted", resourceId, source: "userAssigned" };
  }

  if (!principalId) {
    return {
      status: "unknown",
      reason: `user-assigned identity ${resourceId} is on no audited app`,
    };
  }

  return {
    status: "resolved",
    principalId,
    via: "user-assigned identity",
    resourceId,
  };
}

/** Whether the principal's assignments were listed, so that absence means absence. */
export function wasQueried(snapshot: Snapshot, principalId: string): boolean {
  return lookupFor(snapshot).queriedPrincipals.has(principalId.toLowerCase());
}

/**
 * The groups through which a principal holds grants, or undefined when they
 * were not read. The collector keys them by lower-cased object id.
 */
export function groupsOf(snapshot: Snapshot, principalId: string): string[] | undefined {
  const groups = snapshot.principalGroups ?? {};
  const key = Object.keys(groups).find((id) => sameId(id, principalId));

  return key === undefined ? undefined : groups[key];
}

/** The lower-case GUID at the end of a role definition id, in either path form. */
export function roleGuidOf(roleDefinitionId: string): string {
  return (roleDefinitionId.split("/").pop() ?? "").toLowerCase();
}

/**
 * The GUID a requirement names: the doc's or the bindings' own, else the
 * built-in role of that name. Never a custom role by name: anyone who may
 * write role definitions can call one "Key Vault Certificate User", so a
 * custom role counts only when the bindings declare its GUID (customRoles:).
 */
export function requiredRoleGuid(snapshot: Snapshot, role: RoleRequirement): string | undefined {
  if (role.roleDefinitionGuid) {
    return role.roleDefinitionGuid.toLowerCase();
  }

  const builtIn = snapshot.roleDefinitions.find(
    (d) => isBuiltInRole(d) && sameId(d.roleName, role.roleName),
  );

  return builtIn && roleGuidOf(builtIn.id);
}

/** A snapshot may carry no role type (Azure's null, or an older file): then it is not built in. */
export function isBuiltInRole(definition: RoleDefinition): boolean {
  return typeof definition.roleType === "string" && sameId(definition.roleType, "BuiltInRole");
}

/**
 * A custom role the principal holds under the requirement's name, which
 * does not satisfy it (see requiredRoleGuid): the reader should know the
 * lookalike is there, or it seems the role is granted after all.
 */
export function findNamesakeGrant(
  snapshot: Snapshot,
  principalId: string,
  role: RoleRequirement,
): RoleAssignment | undefined {
  const accepted = acceptedRoleGuids(snapshot, role);

  return assignmentsOf(snapshot, principalId).find((assignment) => {
    const guid = roleGuidOf(assignment.roleDefinitionId);
    const definition = lookupFor(snapshot).definitionByGuid.get(guid);

    return (
      !accepted.has(guid) &&
      definition !== undefined &&
      !isBuiltInRole(definition) &&
      sameId(definition.roleName, role.roleName)
    );
  });
}

/**
 * Every role GUID that satisfies a requirement: the named role, or any of
 * the roles that grant a capability such as "read secrets".
 */
export function acceptedRoleGuids(snapshot: Snapshot, role: RoleRequirement): Set<string> {
  const named = requiredRoleGuid(snapshot, role);
  const accepted = (role.satisfiedByGuids ?? []).map((guid) => guid.toLowerCase());

  return new Set(named ? [named, ...accepted] : accepted);
}

/** Azure RBAC requirements bound to a real scope; others cannot be judged from ARM. */
export function isCheckableRole(role: RoleRequirement): boolean {
  return role.scope !== "" && role.dataPlane === undefined;
}

export function assignmentsOf(snapshot: Snapshot, principalId: string): RoleAssignment[] {
  return lookupFor(snapshot).assignmentsByPrincipal.get(principalId.toLowerCase()) ?? [];
}

/** Role name for an assignment, from the definitions collected this run. */
export function roleNameOf(snapshot: Snapshot, assignment: RoleAssignment): string {
  const guid = roleGuidOf(assignment.roleDefinitionId);
  const definition = lookupFor(snapshot).definitionByGuid.get(guid);

  return definition?.roleName ?? guid;
}

/** True when an assignment of the role exists at the scope or any parent of it. */
export function holdsRole(snapshot: Snapshot, principalId: string, role: RoleRequirement): boolean {
  const accepted = acceptedRoleGuids(snapshot, role);

  return assignmentsOf(snapshot, principalId).some(
    (a) => accepted.has(roleGuidOf(a.roleDefinitionId)) && isScopeAtOrAbove(a.scope, role.scope),
  );
}

/** A group grant that satisfies the role, when no direct grant does. */
export function groupGrant(
  snapshot: Snapshot,
  groups: string[],
  role: RoleRequirement,
): RoleAssignment | undefined {
  const accepted = acceptedRoleGuids(snapshot, role);

  return groups
    .flatMap((group) => assignmentsOf(snapshot, group))
    .find(
      (a) => accepted.has(roleGuidOf(a.roleDefinitionId)) && isScopeAtOrAbove(a.scope, role.scope),
    );
}
