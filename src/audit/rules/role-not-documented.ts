import type { Finding } from "../findings/finding.js";
import type { IdentityRequirement, RoleRequirement } from "../policy/policy-model.js";
import type { RoleAssignment, Snapshot } from "../snapshot/snapshot.js";
import type { Rule, RuleContext } from "./rule.js";
import { isScopeAtOrAbove, sameId } from "./estate-index.js";
import {
  assignmentsOf,
  isBuiltInRole,
  requiredRoleGuid,
  listResolvedIdentities,
  roleGuidOf,
  roleNameOf,
} from "./principal-index.js";
import { grantsPrivilege } from "./role-permissions.js";
import { makeFinding } from "./rule.js";
import { lookupFor } from "./snapshot-lookup.js";

/**
 * Built-in roles that can change access or read every secret: excess here
 * is high severity, even in a snapshot without their permissions. Any other
 * role is privileged when its permissions say so (grantsPrivilege).
 */
const PRIVILEGED_ROLE_GUIDS = new Set([
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", // Owner
  "b24988ac-6180-42a0-ab88-20f7382dd24c", // Contributor
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", // User Access Administrator
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168", // Role Based Access Control Administrator
  "00482a5a-887f-4fb3-b363-3b7fe8e74483", // Key Vault Administrator
  "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", // Key Vault Secrets Officer
  "f25e0fa2-a7c8-4377-a976-54943a77a395", // Key Vault Contributor
  "de139f84-1756-47ae-9be6-808fbbe84772", // Website Contributor
]);

/** The identity holds a role the doc does not list: least privilege has drifted. */
export const roleNotDocumented: Rule = {
  id: "ROLE_NOT_DOCUMENTED",
  title: "Identity holds a role the doc does not list",
  severity: "medium",
  rationale:
    "Grants added 'for a minute' stay for years. Every role beyond the documented ones " +
    "widens what a compromised app or pipeline can do.",
  remediation: {
    summary: "Remove the assignment, or document why the identity needs it",
    az: "az role assignment delete --ids <assignment-id>",
    docs: "https://learn.microsoft.com/azure/role-based-access-control/role-assignments-remove",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return listResolvedIdentities(policy, snapshot).flatMap(({ identity, principal }) => {
      const held = assignmentsOf(snapshot, principal.principalId);

      return held
        .filter((assignment) => !isDocumented(snapshot, identity, assignment, held))
        .map((assignment) => excessFinding(snapshot, identity, assignment));
    });
  },
};

/**
 * Only the role the doc names counts, at or below the documented scope. A
 * stronger role that also grants a documented capability (Secrets Officer
 * for "read secrets") is excess. A grant above the documented scope is
 * ROLE_SCOPE_BROADER_THAN_DOCUMENTED's when it is the only one, and excess
 * when a grant at the documented scope exists beside it.
 */
function isDocumented(
  snapshot: Snapshot,
  identity: IdentityRequirement,
  assignment: RoleAssignment,
  held: RoleAssignment[],
): boolean {
  return identity.roles.some((role) => {
    if (!isNamedRole(snapshot, role, assignment)) {
      return false;
    }

    if (role.scope === "" || isScopeAtOrAbove(role.scope, assignment.scope)) {
      return true;
    }

    const exactGrant = held.some(
      (other) => isNamedRole(snapshot, role, other) && isScopeAtOrAbove(role.scope, other.scope),
    );

    return isScopeAtOrAbove(assignment.scope, role.scope) && !exactGrant;
  });
}

function isNamedRole(snapshot: Snapshot, role: RoleRequirement, assignment: RoleAssignment) {
  return requiredRoleGuid(snapshot, role) === roleGuidOf(assignment.roleDefinitionId);
}

function excessFinding(
  snapshot: Snapshot,
  identity: IdentityRequirement,
  assignment: RoleAssignment,
): Finding {
  const roleName = roleNameOf(snapshot, assignment);
  const privileged = isPrivileged(snapshot, assignment);
  const documented = identity.roles.find((role) => isNamedRole(snapshot, role, assignment));

  return makeFinding(roleNotDocumented, {
    severity: privileged ? "high" : roleNotDocumented.severity,
    resourceId: assignment.id,
    subject: `${identity.name}: ${roleName} at ${assignment.scope.split("/").pop() ?? ""}`,
    message:
      `Identity ${identity.name} holds ${privileged ? "privileged role " : ""}${roleName} ` +
      `at ${assignment.scope}${explainExcess(snapshot, identity, assignment, documented)}.`,
    expected: "only the roles the doc lists",
    observed: `${roleName} at ${assignment.scope}`,
    docRef: identity.docRef,
    evidence: {
      identity: identity.name,
      principalId: assignment.principalId,
      role: roleName,
      scope: assignment.scope,
      assignmentId: assignment.id,
    },
  });
}

function isPrivileged(snapshot: Snapshot, assignment: RoleAssignment): boolean {
  const guid = roleGuidOf(assignment.roleDefinitionId);

  return (
    PRIVILEGED_ROLE_GUIDS.has(guid) ||
    grantsPrivilege(lookupFor(snapshot).definitionByGuid.get(guid))
  );
}

/**
 * Why the grant is excess. A custom role named like a documented one says
 * so, or the reader sees the doc's own role name reported as undocumented.
 */
function explainExcess(
  snapshot: Snapshot,
  identity: IdentityRequirement,
  assignment: RoleAssignment,
  documented: RoleRequirement | undefined,
): string {
  if (documented) {
    return `, broader than the documented ${documented.scopeLabel}, where it is also granted`;
  }

  const definition = lookupFor(snapshot).definitionByGuid.get(
    roleGuidOf(assignment.roleDefinitionId),
  );
  const namesake =
    definition &&
    !isBuiltInRole(definition) &&
    identity.roles.some((role) => sameId(role.roleName, definition.roleName));

  return namesake
    ? ", which the doc does not list: it is a custom role that only shares its name " +
        "with the documented one"
    : ", which the doc does not list";
}
