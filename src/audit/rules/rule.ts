import type { Finding, FindingInput } from "../findings/finding.js";
import { computeFindingId } from "../findings/finding.js";
import type { Policy, Severity } from "../policy/policy-model.js";
import type { Snapshot } from "../snapshot/snapshot.js";

/** Everything a rule may look at. Rules never read a clock or do I/O. */
export interface RuleContext {
  policy: Policy;
  snapshot: Snapshot;
  now: Date;
}

/** A rule's metadata, kept beside its code so every finding can explain itself. */
export interface RuleMetadata {
  id: string;
  title: string;
  severity: Severity;
  /** Why the drift matters. */
  rationale: string;
  remediation: {
    summary: string;
    /** An `az` command that fixes or inspects the drift; placeholders in <angle brackets>. */
    az: string;
    docs: string;
  };
}

export interface Rule extends RuleMetadata {
  evaluate(context: RuleContext): Finding[];
}

/** Builds a finding, filling the stable id and the rule's remediation. */
export function makeFinding(rule: RuleMetadata, input: Omit<FindingInput, "ruleId">): Finding {
  const { evidence = {}, remediation, ...rest } = input;

  return {
    id: computeFindingId(rule.id, input.resourceId, input.subject),
    ruleId: rule.id,
    ...rest,
    evidence,
    remediation: remediation ?? `${rule.remediation.summary} (${rule.remediation.az})`,
  };
}
