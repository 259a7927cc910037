/**
 * Role assignments and the definitions they reference.
 *
 * Per principal: `$filter=principalId eq '…'` at the subscription, which
 * returns grants at, above and below it (atScope() would miss resource-group
 * and resource grants). Per documented scope: every assignment at, above and
 * below it, for the "who else can get in" direction, and the deny
 * assignments there. Assignments are de-duplicated by id; definitions are
 * read once per GUID per run. Resource Graph is asked the same question at
 * the same time, so a listing that came back silently empty shows (A13).
 */
import type {
  RoleAssignment as SdkRoleAssignment,
  RoleDefinition as SdkRoleDefinition,
} from "@azure/arm-authorization";

import { GAP_WHAT } from "../snapshot/snapshot.js";
import type {
  Snapshot,
  RoleAssignment,
  RoleDefinition,
  SiteSnapshot,
} from "../snapshot/snapshot.js";
import { asScopeParameter } from "./as-scope-parameter.js";
import type { CollectContext } from "./collect-context.js";
import { collectDenyAssignments } from "./collect-deny-assignments.js";
import { collectAll } from "./collection-record.js";
import { compareWithListings, queryGraphRoleAssignments } from "./collect-role-cross-check.js";
import { mapWithConcurrency } from "./map-with-concurrency.js";
import { collectUserAssigned, USER_ASSIGNED_READ } from "./collect-user-assigned.js";
import { resolvePrincipals } from "./resolve-principals.js";

/** Names used in `CollectionGap.what` (and `notFound.what`) by this stage. */
export const ROLE_READS = {
  principalAssignments: "roleAssignments",
  groupAssignments: GAP_WHAT.groupAssignments,
  scopeAssignments: GAP_WHAT.scopeAssignments,
  roleDefinition: "roleDefinition",
  userAssignedIdentity: USER_ASSIGNED_READ,
} as const;

export type RoleCollection = Pick<
  Snapshot,
  | "principalsQueried"
  | "roleAssignments"
  | "roleDefinitions"
  | "scopesQueried"
  | "principalGroups"
  | "denyAssignments"
  | "roleCrossCheck"
  | "userAssignedIdentities"
>;

type SdkAssignments = SdkRoleAssignment[] | undefined;

function observeAssignment(assignment: SdkRoleAssignment): RoleAssignment {
  return {
    id: assignment.id ?? "",
    scope: assignment.scope ?? "",
    principalId: assignment.principalId ?? "",
    principalType: assignment.principalType,
    roleDefinitionId: assignment.roleDefinitionId ?? "",
    condition: assignment.condition ?? undefined,
  };
}

function observeDefinition(definition: SdkRoleDefinition): RoleDefinition {
  return {
    id: definition.id ?? "",
    roleName: definition.roleName ?? "",
    roleType: definition.roleType ?? "",
    permissions: (definition.permissions ?? []).map((p) => ({
      actions: p.actions ?? [],
      notActions: p.notActions ?? [],
      dataActions: p.dataActions ?? [],
      notDataActions: p.notDataActions ?? [],
    })),
    assignableScopes: definition.assignableScopes ?? [],
  };
}

function roleGuidOf(roleDefinitionId: string): string {
  return (roleDefinitionId.split("/").at(-1) ?? "").toLowerCase();
}

async function listForPrincipal(
  context: CollectContext,
  principalId: string,
  filter: string,
  what: string,
): Promise<SdkAssignments> {
  const scope = `/subscriptions/${context.policy.subscriptionId}`;
  const { roleAssignments } = context.clients.authorization;

  return context.record.read(
    scope,
    what,
    () => collectAll(roleAssignments.listForScope(asScopeParameter(scope), { filter })),
    { principalId },
  );
}

/**
 * Direct grants (`principalId eq`, no group expansion) and grants through
 * groups (`assignedTo()`, which expands memberships): App Service may not
 * honour a group grant for Key Vault references, so the two are told apart.
 */
async function listForPrincipals(context: CollectContext, principalIds: string[]) {
  return mapWithConcurrency(principalIds, context.concurrency, async (principalId) => {
    const [direct, viaGroups] = await Promise.all([
      listForPrincipal(
        context,
        principalId,
        `principalId eq '${principalId}'`,
        ROLE_READS.principalAssignments,
      ),
      listForPrincipal(
        context,
        principalId,
        `assignedTo('${principalId}')`,
        ROLE_READS.groupAssignments,
      ),
    ]);

    return { principalId, direct, viaGroups };
  });
}

/** The groups through which each principal holds a grant. */
function findPrincipalGroups(
  results: { principalId: string; viaGroups: SdkAssignments }[],
): Record<string, string[]> {
  const groups: Record<string, string[]> = {};

  for (const { principalId, viaGroups } of results) {
    if (viaGroups) {
      const others = viaGroups
        .map((a) => a.principalId?.toLowerCase() ?? "")
        .filter((id) => id !== "" && id !== principalId.toLowerCase());
      groups[principalId] = [...new Set(others)];
    }
  }

  return groups;
}

function findDocumentedScopes(context: CollectContext): string[] {
  const scopes = [
    ...context.policy.identities.flatMap((i) => i.roles.map((r) => r.scope)),
    ...Object.values(context.policy.vaults).map((v) => v.resourceId),
  ].filter((scope) => scope !== "");

  return [...new Map(scopes.map((s) => [s.toLowerCase(), s])).values()];
}

async function listForScopes(context: CollectContext, scopes: string[]) {
  const { roleAssignments } = context.clients.authorization;

  return mapWithConcurrency(scopes, context.concurrency, async (scope) => {
    const assignments = await context.record.read(scope, ROLE_READS.scopeAssignments, () =>
      collectAll(roleAssignments.listForScope(asScopeParameter(scope))),
    );

    return { scope, assignments };
  });
}

async function readDefinitions(
  context: CollectContext,
  assignments: Pick<RoleAssignment, "roleDefinitionId">[],
) {
  const byGuid = new Map<string, string>();
  for (const assignment of assignments) {
    byGuid.set(roleGuidOf(assignment.roleDefinitionId), assignment.roleDefinitionId);
  }

  const definitions = await mapWithConcurrency([...byGuid.values()], context.concurrency, (id) =>
    context.record.read(
      id,
      ROLE_READS.roleDefinition,
      () => context.clients.authorization.roleDefinitions.getById(asScopeParameter(id)),
      { notFoundIsData: true },
    ),
  );

  return definitions.flatMap((d) => (d ? [observeDefinition(d)] : []));
}

/**
 * The principals to list: those the sites and bindings name, plus each
 * documented user-assigned identity no site carries, read on its own.
 */
async function findPrincipals(context: CollectContext, sites: SiteSnapshot[]) {
  const { principalIds, unresolved } = resolvePrincipals(context.policy, sites);
  const userAssigned = await collectUserAssigned(context, unresolved);
  const all = [...principalIds, ...userAssigned.map((u) => u.principalId.toLowerCase())];

  return { principalIds: [...new Set(all)], userAssigned };
}

/** Lists assignments for every relevant principal and documented scope. */
export async function collectRoles(
  context: CollectContext,
  sites: SiteSnapshot[],
): Promise<RoleCollection> {
  const { principalIds, userAssigned } = await findPrincipals(context, sites);
  const scopes = findDocumentedScopes(context);
  const [byPrincipal, byScope, denyAssignments, graphRows] = await Promise.all([
    listForPrincipals(context, principalIds),
    listForScopes(context, scopes),
    collectDenyAssignments(context, scopes),
    queryGraphRoleAssignments(context, principalIds, scopes),
  ]);
  const all = [
    ...byPrincipal.flatMap((r) => [...(r.direct ?? []), ...(r.viaGroups ?? [])]),
    ...byScope.flatMap((r) => r.assignments ?? []),
  ].map(observeAssignment);
  const roleAssignments = [...new Map(all.map((a) => [a.id.toLowerCase(), a])).values()];
  const principalsQueried = byPrincipal.filter((r) => r.direct).map((r) => r.principalId);
  const scopesQueried = byScope.filter((r) => r.assignments).map((r) => r.scope);
  const roleCrossCheck = compareWithListings(graphRows, {
    principalIds: principalsQueried,
    scopes: scopesQueried,
    assignmentIds: roleAssignments.map((a) => a.id),
  });

  return {
    principalsQueried,
    principalGroups: findPrincipalGroups(byPrincipal),
    scopesQueried,
    roleAssignments,
    // The definitions of rows ARM left out too, so findings can name their roles.
    roleDefinitions: await readDefinitions(context, [
      ...roleAssignments,
      ...roleCrossCheck.missingFromListing,
    ]),
    denyAssignments,
    roleCrossCheck,
    // Only when some were read, so snapshots of estates without them keep their shape.
    ...(userAssigned.length > 0 ? { userAssignedIdentities: userAssigned } : {}),
  };
}
