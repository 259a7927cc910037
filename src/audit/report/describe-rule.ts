import { policyProblem } from "../rules/policy-problem.js";
import { RULES } from "../rules/rule-registry.js";
import type { RuleMetadata } from "../rules/rule.js";

/**
 * The metadata a report shows for a rule id. Findings from the policy
 * layer (DOC_STALE, WAIVER_EXPIRED, WAIVER_UNMATCHED...) carry ids of
 * their own that no registered rule has: they are problems in the doc or
 * the bindings, so they borrow POLICY_PROBLEM's words under their own id.
 */
export function describeRule(
  ruleId: string,
  catalog: readonly RuleMetadata[] = RULES,
): RuleMetadata {
  const known = catalog.find((rule) => rule.id === ruleId);
  const { title, severity, rationale, remediation } = known ?? policyProblem;

  return { id: ruleId, title, severity, rationale, remediation };
}

/** Only an absolute https link may become a helpUri or an <a href>. */
export function isHttpsUrl(text: string): boolean {
  return URL.canParse(text) && new URL(text).protocol === "https:";
}
