import type { Finding } from "../findings/finding.js";
import type { Policy } from "../policy/policy-model.js";
import type { RoleAssignment, Snapshot } from "../snapshot/snapshot.js";
import type { Rule, RuleContext } from "./rule.js";
import { findBuiltInRoleByGuid } from "../policy/built-in-roles.js";
import { isScopeAtOrAbove, sameId } from "./estate-index.js";
import {
  listResolvedIdentities,
  resolvePrincipal,
  roleGuidOf,
  roleNameOf,
} from "./principal-index.js";
import { makeFinding } from "./rule.js";
import { grantsDataAccess, permissionsOf } from "./role-permissions.js";
import { findUndocumentedAccessPolicies } from "./undocumented-access-policies.js";
import { lookupFor } from "./snapshot-lookup.js";

const DATA_ROLE_NAME =
  /data (owner|contributor|reader|sender|receiver)|^key vault (secrets|administrator|crypto|certificates)/i;

/**
 * The other direction for access: a principal the doc does not list holds
 * a data role on a documented vault, storage account or namespace.
 */
export const undocumentedAccess: Rule = {
  id: "UNDOCUMENTED_ACCESS",
  title: "Principal the doc does not list has data access to a documented resource",
  severity: "high",
  rationale:
    "The doc is the list of who can read the secrets and data; a grant outside it is " +
    "either a forgotten pipeline or an intrusion, and either way nobody reviews it.",
  remediation: {
    summary: "Remove the assignment, or add the principal and its purpose to the identity mapping",
    az: "az role assignment delete --ids <assignment-id>",
    docs: "https://learn.microsoft.com/azure/role-based-access-control/role-assignments-list-portal",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    const documented = documentedPrincipals(policy, snapshot);
    const scopes = auditedScopes(snapshot);
    const formerIdentity = indexFormerIdentities(policy, snapshot);

    const byRole = snapshot.roleAssignments
      .filter((a) => !documented.has(a.principalId.toLowerCase()))
      .filter((a) => isDataRole(snapshot, a))
      .flatMap((assignment) => {
        // At, above or below: a grant on one secret or one container is access too.
        const scope = scopes.find(
          (s) => isScopeAtOrAbove(assignment.scope, s) || isScopeAtOrAbove(s, assignment.scope),
        );

        return scope ? [accessFinding(snapshot, formerIdentity, assignment, scope)] : [];
      });

    return [...byRole, ...findUndocumentedAccessPolicies(undocumentedAccess, snapshot, documented)];
  },
};

/** The documented resources whose assignments the collector listed in full. */
function auditedScopes(snapshot: Snapshot): string[] {
  return (snapshot.scopesQueried ?? []).filter((scope) => scope.split("/").length > 5);
}

/**
 * Lower-case object ids of every documented principal, slots included. An
 * object id the bindings give counts even when Microsoft Entra ID no longer
 * has it: IDENTITY_MISSING already reports its orphaned grants.
 */
function documentedPrincipals(policy: Policy, snapshot: Snapshot): Set<string> {
  const resolved = listResolvedIdentities(policy, snapshot).map(
    ({ principal }) => principal.principalId,
  );
  const bound = policy.identities.flatMap((identity) =>
    identity.principal?.kind === "objectId" ? [identity.principal.objectId] : [],
  );

  return new Set([...resolved, ...bound].map((id) => id.toLowerCase()));
}

/**
 * Judged by the definition's data actions when the snapshot has them, so a
 * metadata-only role (Key Vault Reader, the auditor's own grant) is not
 * data access. Without them, by the definition's name or the built-in's.
 */
function isDataRole(snapshot: Snapshot, assignment: RoleAssignment): boolean {
  const guid = roleGuidOf(assignment.roleDefinitionId);
  const definition = lookupFor(snapshot).definitionByGuid.get(guid);
  const permissions = permissionsOf(definition);

  if (permissions) {
    return grantsDataAccess(permissions);
  }

  const name = definition?.roleName ?? findBuiltInRoleByGuid(guid)?.name ?? "";

  return DATA_ROLE_NAME.test(name);
}

/** Finds the documented identity a principal's object id suggests it once was. */
type FormerIdentityLookup = (principalId: string) => string | undefined;

/**
 * A documented identity whose doc OID this principal carries while the
 * identity now resolves to another principal: it was recreated. Indexed by
 * suffix once per run, so each finding costs a lookup, not a scan of the doc.
 */
function indexFormerIdentities(policy: Policy, snapshot: Snapshot): FormerIdentityLookup {
  const bySuffix = new Map<string, { name: string; principalId: string }[]>();

  for (const identity of policy.identities) {
    const now = resolvePrincipal(policy, snapshot, identity);
    const suffix = identity.objectIdSuffix?.toLowerCase();

    if (suffix && now.status === "resolved") {
      const entry = { name: identity.name, principalId: now.principalId };
      bySuffix.set(suffix, [...(bySuffix.get(suffix) ?? []), entry]);
    }
  }

  const lengths = [...new Set([...bySuffix.keys()].map((suffix) => suffix.length))];

  return (principalId) =>
    lengths
      .flatMap((length) => bySuffix.get(principalId.toLowerCase().slice(-length)) ?? [])
      .find((entry) => !sameId(entry.principalId, principalId))?.name;
}

function accessFinding(
  snapshot: Snapshot,
  formerIdentity: FormerIdentityLookup,
  assignment: RoleAssignment,
  scope: string,
): Finding {
  const roleName = roleNameOf(snapshot, assignment);
  const resource = scope.split("/").pop() ?? scope;
  const kind = assignment.principalType === "Group" ? "group" : "principal";
  const former = formerIdentity(assignment.principalId);
  const why = former
    ? `; it carries the doc's object id for ${former}, which now resolves to another ` +
      "principal: a grant left behind when the identity was recreated"
    : "";

  return makeFinding(undocumentedAccess, {
    severity: undocumentedAccess.severity,
    resourceId: assignment.id,
    subject: `${assignment.principalId}: ${roleName}`,
    message:
      `Undocumented ${kind} ${assignment.principalId} holds ${roleName} on ${resource}` +
      `${grantedWhere(assignment.scope, scope)}${why}.`,
    expected: `only documented identities with data roles on ${resource}`,
    observed: `${roleName} for ${kind} ${assignment.principalId}`,
    docRef: undefined,
    evidence: {
      principalId: assignment.principalId,
      principalType: assignment.principalType ?? "unknown",
      role: roleName,
      scope: assignment.scope,
      resource: scope,
      assignmentId: assignment.id,
      ...(former ? { formerIdentity: former } : {}),
    },
  });
}

/** Nothing for a grant on the resource itself; else the broader or narrower scope it is at. */
function grantedWhere(assignmentScope: string, resourceScope: string): string {
  if (sameId(assignmentScope, resourceScope)) {
    return "";
  }

  return isScopeAtOrAbove(assignmentScope, resourceScope)
    ? ` through ${assignmentScope}`
    : ` at ${assignmentScope}`;
}
