import type { Finding } from "../findings/finding.js";
import type { IdentityRequirement, RoleRequirement } from "../policy/policy-model.js";
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

/** A documented role is not assigned to the identity at (or above) the documented scope. */
export const roleMissing: Rule = {
  id: "ROLE_MISSING",
  title: "Documented role not assigned to the identity",
  severity: "high",
  rationale:
    "Without the role the identity cannot do what the doc says it does: Key Vault " +
    "references stay unresolved, or the app fails when it first calls the resource.",
  remediation: {
    summary: "Assign the documented role at the documented scope",
    az:
      'az role assignment create --assignee-object-id <principal-id> --role "<role>" ' +
      "--scope <scope>",
    docs: "https://learn.microsoft.com/azure/role-based-access-control/role-assignments-cli",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return listResolvedIdentities(policy, snapshot)
      .filter(({ principal }) => wasQueried(snapshot, principal.principalId))
      .flatMap(({ identity, principal }) =>
        identity.roles
          .filter(isCheckableRole)
          .filter((role) => !findGap(snapshot, role.scope, "roleAssignments"))
          // An empty listing Resource Graph contradicted proves nothing (A13).
          .filter((role) => !isListingContradicted(snapshot, principal.principalId, role.scope))
          .filter((role) => !holdsRole(snapshot, principal.principalId, role))
          .filter(
            (role) => !groupGrant(snapshot, groupsOf(snapshot, principal.principalId) ?? [], role),
          )
          .map((role) => missingFinding(identity, role, principal.principalId)),
      );
  },
};

function missingFinding(
  identity: IdentityRequirement,
  role: RoleRequirement,
  principalId: string,
): Finding {
  return makeFinding(roleMissing, {
    severity: roleMissing.severity,
    resourceId: role.scope,
    subject: `${identity.name}: ${role.roleName}`,
    message:
      `Identity ${identity.name} (principal ${principalId}) does not hold ` +
      `${role.roleName} on ${role.scopeLabel}, as the doc says it does.`,
    expected: `${role.roleName} at ${role.scope}`,
    observed: "no such assignment at that scope or above",
    docRef: role.docRef,
    evidence: { identity: identity.name, principalId, role: role.roleName, scope: role.scope },
  });
}
