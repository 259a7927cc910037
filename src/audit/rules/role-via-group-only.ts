import type { Finding } from "../findings/finding.js";
import type { IdentityRequirement, RoleRequirement } from "../policy/policy-model.js";
import type { RoleAssignment } from "../snapshot/snapshot.js";
import type { Rule, RuleContext } from "./rule.js";
import { findGap } from "./estate-index.js";
import {
  groupGrant,
  groupsOf,
  holdsRole,
  isCheckableRole,
  listResolvedIdentities,
  wasQueried,
} from "./principal-index.js";
import { isListingContradicted } from "./listing-contradictions.js";
import { makeFinding } from "./rule.js";

/**
 * The identity holds a documented role only through a group. Group grants
 * reach managed identities late (token caching) and App Service may not
 * honour them for Key Vault references, so a direct grant is expected.
 */
export const roleViaGroupOnly: Rule = {
  id: "ROLE_VIA_GROUP_ONLY",
  title: "Documented role held only through a group",
  severity: "medium",
  rationale:
    "Managed identity tokens carry group membership from when they were issued, and " +
    "Key Vault references may not see group grants at all: the doc's grant is fragile.",
  remediation: {
    summary: "Assign the role to the identity directly at the documented scope",
    az: 'az role assignment create --assignee-object-id <principal-id> --role "<role>" --scope <scope>',
    docs: "https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/managed-identity-best-practice-recommendations",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return listResolvedIdentities(policy, snapshot)
      .filter(({ principal }) => wasQueried(snapshot, principal.principalId))
      .flatMap(({ identity, principal }) => {
        const groups = groupsOf(snapshot, principal.principalId) ?? [];

        return identity.roles
          .filter(isCheckableRole)
          .filter((role) => !findGap(snapshot, role.scope, "roleAssignments"))
          .filter((role) => !isListingContradicted(snapshot, principal.principalId, role.scope))
          .filter((role) => !holdsRole(snapshot, principal.principalId, role))
          .flatMap((role) => {
            const grant = groupGrant(snapshot, groups, role);

            return grant ? [groupFinding(identity, role, grant)] : [];
          });
      });
  },
};

function groupFinding(
  identity: IdentityRequirement,
  role: RoleRequirement,
  grant: RoleAssignment,
): Finding {
  return makeFinding(roleViaGroupOnly, {
    severity: roleViaGroupOnly.severity,
    resourceId: grant.id,
    subject: `${identity.name}: ${role.roleName}`,
    message:
      `Identity ${identity.name} holds ${role.roleName} on ${role.scopeLabel} only through ` +
      `group ${grant.principalId}.`,
    expected: `a direct ${role.roleName} assignment`,
    observed: `${role.roleName} via group ${grant.principalId}`,
    docRef: role.docRef,
    evidence: { identity: identity.name, groupId: grant.principalId, assignmentId: grant.id },
  });
}
