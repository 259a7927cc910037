import type { Finding } from "../findings/finding.js";
import { computeFindingId, UNCHECKED_RULE_IDS } from "../findings/finding.js";
import type { Waiver } from "../policy/policy-model.js";
import { sameId } from "./estate-index.js";

/**
 * Marks findings covered by a live waiver (one that holds through the whole
 * of its expiry day, UTC). An expired waiver hides nothing; the policy's
 * clock-dependent findings report it as WAIVER_EXPIRED. Findings that say
 * something could not be checked are never waived.
 */
export function applyWaivers(findings: Finding[], waivers: Waiver[], now: Date): Finding[] {
  const today = now.toISOString().slice(0, 10);
  const live = waivers.filter((waiver) => waiver.expires >= today);
  const unmatched = live.filter((waiver) => !findings.some((finding) => covers(waiver, finding)));

  return [...markWaived(findings, live), ...unmatched.map(unmatchedFinding)];
}

function markWaived(findings: Finding[], live: Waiver[]): Finding[] {
  return findings.map((finding) => {
    const waiver = live.find((w) => covers(w, finding));

    return waiver
      ? {
          ...finding,
          waiver: { owner: waiver.owner, reason: waiver.reason, expires: waiver.expires },
        }
      : finding;
  });
}

function covers(waiver: Waiver, finding: Finding): boolean {
  return (
    !UNCHECKED_RULE_IDS.has(finding.ruleId) &&
    waiver.ruleId === finding.ruleId &&
    sameId(waiver.subject, finding.subject)
  );
}

/**
 * A live waiver that hides nothing: a typo in its subject, drift already
 * fixed, or a rule no waiver may hide. Worth a note, so it gets removed.
 */
function unmatchedFinding(waiver: Waiver): Finding {
  const why = UNCHECKED_RULE_IDS.has(waiver.ruleId)
    ? `${waiver.ruleId} says something could not be checked, which no waiver may hide`
    : `no ${waiver.ruleId} finding has subject "${waiver.subject}" in this run`;

  return {
    id: computeFindingId(
      "WAIVER_UNMATCHED",
      waiver.docRef.file.split("/").pop() ?? "",
      `${waiver.ruleId} ${waiver.subject}`,
    ),
    ruleId: "WAIVER_UNMATCHED",
    severity: "info",
    resourceId: waiver.docRef.file,
    subject: `${waiver.ruleId} ${waiver.subject}`,
    message: `The waiver of ${waiver.ruleId} for "${waiver.subject}" (owner ${waiver.owner}) waives nothing: ${why}.`,
    expected: "every waiver matches a finding",
    observed: "no matching finding",
    docRef: waiver.docRef,
    remediation: "Correct the waiver's rule and subject to match the finding, or remove it.",
    evidence: { owner: waiver.owner },
  };
}
