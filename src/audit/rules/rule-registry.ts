import type { Finding } from "../findings/finding.js";
import { AUDIT_RUN_MISSED } from "../findings/missed-runs.js";
import { redactFinding } from "../findings/redact-secrets.js";
import { linkRootCauses } from "../findings/root-causes.js";
import { POLICY_RULE_IDS } from "../policy/policy-rule-ids.js";
import { accessPolicyExcess } from "./access-policy-excess.js";
import { referenceActiveVersionStale } from "./reference-active-version-stale.js";
import { referenceIdentityCannotRead } from "./reference-identity-cannot-read.js";
import { referencePinned } from "./reference-pinned.js";
import { referencePinnedNotCurrent } from "./reference-pinned-not-current.js";
import { referenceStatusUnknown } from "./reference-status-unknown.js";
import { referenceUnresolved } from "./reference-unresolved.js";
import { roleIneffectiveAccessPolicy } from "./role-ineffective-access-policy.js";
import { secretSoftDeleted } from "./secret-soft-deleted.js";
import { settingNotSticky } from "./setting-not-sticky.js";
import { slotSettingDiffers } from "./slot-setting-differs.js";
import { applyWaivers } from "./apply-waivers.js";
import { denyAssignmentPresent } from "./deny-assignment-present.js";
import { identityMissing } from "./identity-missing.js";
import { identityObjectIdMismatch } from "./identity-object-id-mismatch.js";
import { notEvaluated } from "./not-evaluated.js";
import { policyProblem } from "./policy-problem.js";
import { principalNotVerified } from "./principal-not-verified.js";
import { referenceMalformed } from "./reference-malformed.js";
import { referenceTargetMismatch } from "./reference-target-mismatch.js";
import { resourceNotFound } from "./resource-not-found.js";
import { roleViaGroupOnly } from "./role-via-group-only.js";
import { undocumentedAccess } from "./undocumented-access.js";
import { vaultNetworkBlocksReferences } from "./vault-network-blocks-references.js";
import { roleCondition } from "./role-condition.js";
import { roleMissing } from "./role-missing.js";
import { roleNotDocumented } from "./role-not-documented.js";
import { roleScopeBroader } from "./role-scope-broader.js";
import { rotationDue } from "./rotation-due.js";
import { rotationOverdue } from "./rotation-overdue.js";
import { scanInconsistent } from "./scan-inconsistent.js";
import type { Rule, RuleContext } from "./rule.js";
import { forgetLookup } from "./snapshot-lookup.js";
import { secretDisabled } from "./secret-disabled.js";
import { secretExpiry } from "./secret-expiry.js";
import { secretMissing } from "./secret-missing.js";
import { secretNoExpiry } from "./secret-no-expiry.js";
import { secretNotDocumented } from "./secret-not-documented.js";
import { secretNotYetValid } from "./secret-not-yet-valid.js";
import { settingLooksSecret } from "./setting-looks-secret.js";
import { settingMissing } from "./setting-missing.js";
import { settingNotReference } from "./setting-not-reference.js";

/** Every rule the engine runs, in report order. */
export const RULES: readonly Rule[] = [
  secretMissing,
  secretSoftDeleted,
  secretDisabled,
  secretExpiry,
  secretNotYetValid,
  secretNoExpiry,
  secretNotDocumented,
  settingMissing,
  settingNotReference,
  referenceMalformed,
  referenceTargetMismatch,
  referenceUnresolved,
  referenceStatusUnknown,
  referencePinnedNotCurrent,
  referencePinned,
  referenceActiveVersionStale,
  referenceIdentityCannotRead,
  vaultNetworkBlocksReferences,
  slotSettingDiffers,
  settingNotSticky,
  rotationOverdue,
  rotationDue,
  settingLooksSecret,
  identityMissing,
  identityObjectIdMismatch,
  principalNotVerified,
  roleMissing,
  roleScopeBroader,
  roleViaGroupOnly,
  roleNotDocumented,
  roleCondition,
  denyAssignmentPresent,
  scanInconsistent,
  undocumentedAccess,
  roleIneffectiveAccessPolicy,
  accessPolicyExcess,
  resourceNotFound,
  notEvaluated,
  policyProblem,
];

/**
 * Every rule id a finding can carry: the rules', the policy layer's and
 * WAIVER_UNMATCHED (apply-waivers.ts). The bindings may name only these
 * under `severity:` and `waivers:`. POLICY_PROBLEM is left out: its
 * findings carry the policy layer's own ids, so naming it would do nothing.
 */
export function listKnownRuleIds(): string[] {
  const ruleIds = RULES.filter((rule) => rule !== policyProblem).map((rule) => rule.id);

  return [...new Set([...ruleIds, ...POLICY_RULE_IDS, "WAIVER_UNMATCHED", AUDIT_RUN_MISSED])];
}

const SEVERITY_ORDER = ["critical", "high", "medium", "low", "info"];

/** Runs every rule, applies waivers and orders findings most severe first. */
export function evaluateRules(context: RuleContext): Finding[] {
  forgetLookup(context.snapshot);

  const findings = RULES.flatMap((rule) => rule.evaluate(context));
  const judged = applySeverityOverrides(dedupe(findings), context.policy.severityOverrides);

  // Findings quote the doc and the bindings, where people paste keys: every
  // text is redacted here, once, after waivers matched on subjects as written.
  return linkRootCauses(
    sortFindings(applyWaivers(judged, context.policy.waivers, context.now)).map(redactFinding),
  );
}

/** The bindings may raise or lower a rule's severity for this estate. */
function applySeverityOverrides(
  findings: Finding[],
  overrides: Record<string, Finding["severity"]> | undefined,
): Finding[] {
  if (!overrides) {
    return findings;
  }

  return findings.map((finding) => {
    const severity = overrides[finding.ruleId];

    return severity ? { ...finding, severity } : finding;
  });
}

function dedupe(findings: Finding[]): Finding[] {
  const byId = new Map(findings.map((finding) => [finding.id, finding]));

  return [...byId.values()];
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.toSorted(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.resourceId.localeCompare(b.resourceId) ||
      a.subject.localeCompare(b.subject),
  );
}
