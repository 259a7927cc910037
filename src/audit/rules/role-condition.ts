import type { Finding } from "../findings/finding.js";
import type { Rule, RuleContext } from "./rule.js";
import { assignmentsOf, listResolvedIdentities, roleNameOf } from "./principal-index.js";
import { makeFinding } from "./rule.js";

/**
 * A documented identity's assignment carries an ABAC condition. The doc's
 * tables cannot express conditions, so the audit shows them for review.
 */
export const roleCondition: Rule = {
  id: "ROLE_ASSIGNMENT_CONDITION",
  title: "Role assignment carries a condition",
  severity: "info",
  rationale:
    "A condition narrows (or, when wrong, silently breaks) what the role allows; the " +
    "doc says nothing about it, so a reviewer should read it.",
  remediation: {
    summary: "Review the condition and note it in the doc's Notes column",
    az: 'az role assignment list --assignee <principal-id> --all --query "[].condition"',
    docs: "https://learn.microsoft.com/azure/role-based-access-control/conditions-overview",
  },
  evaluate({ policy, snapshot }: RuleContext): Finding[] {
    return listResolvedIdentities(policy, snapshot).flatMap(({ identity, principal }) =>
      assignmentsOf(snapshot, principal.principalId)
        .filter((assignment) => assignment.condition)
        .map((assignment) =>
          makeFinding(roleCondition, {
            severity: roleCondition.severity,
            resourceId: assignment.id,
            subject: `${identity.name}: ${roleNameOf(snapshot, assignment)}`,
            message:
              `Identity ${identity.name}'s ${roleNameOf(snapshot, assignment)} assignment at ` +
              `${assignment.scope} carries a condition the doc does not describe.`,
            expected: "conditions described in the doc",
            observed: `condition: ${assignment.condition}`,
            docRef: identity.docRef,
            evidence: { assignmentId: assignment.id, condition: assignment.condition ?? "" },
          }),
        ),
    );
  },
};
