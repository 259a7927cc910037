import type { Finding } from "../findings/finding.js";
import { UNCHECKED_RULE_IDS } from "../findings/finding.js";
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
