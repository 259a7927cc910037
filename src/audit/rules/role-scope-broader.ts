import type { Finding } from "../findings/finding.js";
import type { IdentityRequirement, RoleRequirement } from "../policy/policy-model.js";
import type { RoleAssignment, Snapshot } from "../snapshot/snapshot.js";
import type { Rule, RuleContext } from "./rule.js";
import { isScopeAtOrAbove, sameId } from "./estate-index.js";
import {
  acceptedRoleGuids,
  assignmentsOf,
  isCheckableRole,
  listResolvedIdentities,
  roleGuidOf,
} from "./principal-index.js";
import { isListingContradicted } from "./listing-contradictions.js";
import { makeFinding } from "./rule.js";

/**
 * A documented role is satisfied only by a grant at a broader scope (resource
 * group, subscription, management group): it reaches every resource below.
 */
export const roleScopeBroader: Rule = {
  id: "ROLE_SCOPE_BROADER_THAN_DOCUMENTED",
  title: "Documented role granted only at a broader scope",
  severity: "medium",
  rationale:
    "A grant on the resource group or subscription gives the identity the same rights on " +
    "every sibling resource, far beyond what the doc intends.",
  remediation: {
    summary: "Assign the role at the documented resource, then remove the broader assignment",
    az:
      'az role assignment create --assignee-object-id <principal-id> --role "<role>" ' +
      "--scope <resource-id> && az role assignment delete --ids <broad-assignment-id>",
    docs: "https://learn.microsoft.com/azure/role-based-access-control/scope-overview",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return listResolvedIdentities(policy, snapshot).flatMap(({ identity, principal }) =>
      identity.roles.filter(isCheckableRole).flatMap((role) => {
        // "Only broader" is an absence too; a contradicted listing cannot show it (A13).
        if (isListingContradicted(snapshot, principal.principalId, role.scope)) {
          return [];
        }

        const grants = matchingGrants(snapshot, principal.principalId, role);
        const exact = grants.some((grant) => sameId(grant.scope, role.scope));
        const broadest = grants.find((grant) => !sameId(grant.scope, role.scope));

        return !exact && broadest ? [broaderFinding(identity, role, broadest)] : [];
      }),
    );
  },
};

function matchingGrants(
  snapshot: Snapshot,
  principalId: string,
  role: RoleRequirement,
): RoleAssignment[] {
  const accepted = acceptedRoleGuids(snapshot, role);

  return assignmentsOf(snapshot, principalId).filter(
    (a) => accepted.has(roleGuidOf(a.roleDefinitionId)) && isScopeAtOrAbove(a.scope, role.scope),
  );
}

function broaderFinding(
  identity: IdentityRequirement,
  role: RoleRequirement,
  grant: RoleAssignment,
): Finding {
  return makeFinding(roleScopeBroader, {
    severity: roleScopeBroader.severity,
    resourceId: grant.id,
    subject: `${identity.name}: ${role.roleName}`,
    message:
      `Identity ${identity.name} holds ${role.roleName} only at ${grant.scope}, broader than ` +
      `the documented ${role.scopeLabel}; it applies to every resource below that scope.`,
    expected: `${role.roleName} at ${role.scope}`,
    observed: `${role.roleName} at ${grant.scope}`,
    docRef: role.docRef,
    evidence: {
      identity: identity.name,
      principalId: grant.principalId,
      role: role.roleName,
      scope: grant.scope,
      assignmentId: grant.id,
    },
  });
}
