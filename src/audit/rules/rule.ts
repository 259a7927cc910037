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

/**
 * Builds a finding, filling the stable id and the rule's remediation. Its
 * text is redacted once every rule has run and waivers have matched on the
 * subject as written (see evaluateRules).
 */
export function makeFinding(rule: RuleMetadata, input: Omit<FindingInput, "ruleId">): Finding {
  const { evidence = {}, remediation, ...rest } = input;

  return {
    id: computeFindingId(rule.id, input.resourceId, input.subject),
    ruleId: rule.id,
    ...rest,
    evidence,
    remediation: fillPlaceholders(
      remediation ?? `${rule.remediation.summary} (${rule.remediation.az})`,
      input.resourceId,
      evidence,
    ),
  };
}

/**
 * Puts what the finding already knows into the remediation's command, so
 * `<app>` becomes `ai-trader-api`. Placeholders with no known value stay.
 */
export function fillPlaceholders(
  text: string,
  resourceId: string,
  evidence: Record<string, string>,
): string {
  const values: Record<string, string | undefined> = {
    "resource-group": /\/resourceGroups\/([^/]+)/i.exec(resourceId)?.[1],
    app: evidence["app"],
    slot: evidence["slot"] === "production" ? undefined : evidence["slot"],
    vault: evidence["vault"],
    "vault-id": evidence["vaultId"],
    secret: evidence["secret"],
    SETTING: evidence["setting"],
    "principal-id": evidence["principalId"],
    role: evidence["role"],
    scope: evidence["scope"],
    "assignment-id": evidence["assignmentId"],
    "site-id": /\/providers\/Microsoft\.Web\/sites\//i.test(resourceId) ? resourceId : undefined,
  };

  return text.replace(
    /<([A-Za-z-]+)>/g,
    (placeholder, name: string) => values[name] ?? placeholder,
  );
}
