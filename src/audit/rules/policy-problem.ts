import type { Finding } from "../findings/finding.js";
import { computeFindingId } from "../findings/finding.js";
import { judgePolicyAge } from "../policy/judge-policy-age.js";
import type { PolicyFinding } from "../policy/policy-model.js";
import type { Rule, RuleContext } from "./rule.js";

/**
 * Problems in the doc or bindings themselves (ambiguous rows, unknown
 * access phrases, a stale doc, expired waivers) are findings too: they say
 * which parts of the doc the audit could not trust.
 */
export const policyProblem: Rule = {
  id: "POLICY_PROBLEM",
  title: "The policy document has a problem",
  severity: "medium",
  rationale: "A row the auditor cannot read with certainty is a row it cannot check.",
  remediation: {
    summary: "Fix the doc or bindings at the line given",
    az: "npx drift-audit validate --policy <policy-dir>",
    docs: "https://github.github.com/gfm/#tables-extension-",
  },
  evaluate({ policy, now }: RuleContext): Finding[] {
    return [...policy.findings, ...judgePolicyAge(policy, now)].map(toFinding);
  },
};

function toFinding(problem: PolicyFinding): Finding {
  const where = `${problem.docRef.file}:${problem.docRef.line}`;
  const subject = problem.subject ?? where;

  return {
    id: computeFindingId(problem.ruleId, problem.docRef.file, `${subject}@${where}`),
    ruleId: problem.ruleId,
    severity: problem.severity,
    resourceId: problem.docRef.file,
    subject,
    message: problem.message,
    expected: "a document the auditor can read with certainty",
    observed: problem.message,
    docRef: problem.docRef,
    remediation: problem.remediation,
    evidence: {},
  };
}
