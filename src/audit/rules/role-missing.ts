import type { Finding } from "../findings/finding.js";
import type { IdentityRequirement, RoleRequirement } from "../policy/policy-model.js";
import type { RoleAssignment, Snapshot } from "../snapshot/snapshot.js";
import type { Rule, RuleContext } from "./rule.js";
import { findGap } from "./estate-index.js";
import {
  findNamesakeGrant,
  groupGrant,
  groupsOf,
  holdsRole,
  isCheckableRole,
  listResolvedIdentities,
  roleGuidOf,
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
          .map((role) => missingFinding(snapshot, identity, role, principal.principalId)),
      );
  },
};

function missingFinding(
  snapshot: Snapshot,
  identity: IdentityRequirement,
  role: RoleRequirement,
  principalId: string,
): Finding {
  const namesake = findNamesakeGrant(snapshot, principalId, role);
  const evidence = { identity: identity.name, principalId, role: role.roleName, scope: role.scope };

  return makeFinding(roleMissing, {
    severity: roleMissing.severity,
    resourceId: role.scope,
    subject: `${identity.name}: ${role.roleName}`,
    message:
      `Identity ${identity.name} (principal ${principalId}) does not hold ` +
      `${role.roleName} on ${role.scopeLabel}, as the doc says it does` +
      `${namesake ? `; ${describeNamesake(role, namesake)}` : ""}.`,
    expected: `${role.roleName} at ${role.scope}`,
    observed: namesake
      ? `only custom role ${role.roleName} (${roleGuidOf(namesake.roleDefinitionId)}) ` +
        `at ${namesake.scope}`
      : "no such assignment at that scope or above",
    docRef: role.docRef,
    evidence: namesake
      ? { ...evidence, customRoleDefinitionId: namesake.roleDefinitionId }
      : evidence,
    ...(namesake ? { remediation: namesakeRemediation(role) } : {}),
  });
}

function describeNamesake(role: RoleRequirement, namesake: RoleAssignment): string {
  return (
    `the custom role ${role.roleName} it holds at ${namesake.scope} only shares the ` +
    `name and does not count`
  );
}

/**
 * With two definitions of one name, `--role "<name>"` is ambiguous, so the
 * command names the documented role by GUID, or says how to find it.
 */
function namesakeRemediation(role: RoleRequirement): string {
  const guid = role.roleDefinitionGuid ?? "<built-in-role-guid>";
  const lookup = role.roleDefinitionGuid
    ? ""
    : `; find the GUID with az role definition list --name "<role>" ` +
      `--query "[?roleType=='BuiltInRole'].name" -o tsv`;

  return (
    `Assign the documented role by its GUID, since a custom role shares its name ` +
    `(az role assignment create --assignee-object-id <principal-id> --role ${guid} ` +
    `--scope <scope>${lookup}). If the doc means the custom role, write its GUID in the ` +
    `doc instead of the name.`
  );
}
