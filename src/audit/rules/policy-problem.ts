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
    return toFindings([...policy.findings, ...judgePolicyAge(policy, now)]);
  },
};

/**
 * Two problems of one rule in one cell (two unknown phrases, say) would
 * share an id and one would vanish in de-duplication; the occurrence
 * number, in doc order, keeps them apart and stable.
 */
function toFindings(problems: PolicyFinding[]): Finding[] {
  const seen = new Map<string, number>();

  return problems.map((problem) => {
    const key = `${problem.ruleId}|${problem.subject}|${problem.docRef.line}|${problem.docRef.column}`;
    const occurrence = seen.get(key) ?? 0;

    seen.set(key, occurrence + 1);

    return toFinding(problem, occurrence);
  });
}

function toFinding(problem: PolicyFinding, occurrence: number): Finding {
  const where = `${problem.docRef.file}:${problem.docRef.line}`;
  const subject = problem.subject ?? where;
  // Ids must not depend on how --policy was spelled (relative in the CLI,
  // absolute in Functions): key them on the file name, line and column.
  const fileName = problem.docRef.file.split("/").pop() ?? problem.docRef.file;
  const at = `${fileName}:${problem.docRef.line}:${problem.docRef.column ?? 0}`;
  const stableSubject = subject.replaceAll(problem.docRef.file, fileName);

  return {
    id: computeFindingId(problem.ruleId, fileName, `${stableSubject}@${at}#${occurrence}`),
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
