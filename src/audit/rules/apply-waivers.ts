import type { Finding } from "../findings/finding.js";
import { computeFindingId } from "../findings/finding.js";
import type { Waiver } from "../policy/policy-model.js";
import { sameId } from "./estate-index.js";

/**
 * Marks findings covered by a live waiver. A waiver past its expiry no
 * longer hides anything and becomes a finding itself, so exceptions end.
 */
export function applyWaivers(findings: Finding[], waivers: Waiver[], now: Date): Finding[] {
  const today = now.toISOString().slice(0, 10);
  const live = waivers.filter((waiver) => waiver.expires >= today);
  const expired = waivers.filter((waiver) => waiver.expires < today);
  const judged = findings.map((finding) => {
    const waiver = live.find((w) => covers(w, finding));

    return waiver
      ? {
          ...finding,
          waiver: { owner: waiver.owner, reason: waiver.reason, expires: waiver.expires },
        }
      : finding;
  });

  return [...judged, ...expired.map(expiredFinding)];
}

function covers(waiver: Waiver, finding: Finding): boolean {
  return waiver.ruleId === finding.ruleId && sameId(waiver.subject, finding.subject);
}

function expiredFinding(waiver: Waiver): Finding {
  return {
    id: computeFindingId(
      "WAIVER_EXPIRED",
      waiver.docRef.file,
      `${waiver.ruleId} ${waiver.subject}`,
    ),
    ruleId: "WAIVER_EXPIRED",
    severity: "medium",
    resourceId: waiver.docRef.file,
    subject: `${waiver.ruleId} ${waiver.subject}`,
    message:
      `The waiver for ${waiver.ruleId} on ${waiver.subject} (owner ${waiver.owner}) ` +
      `expired on ${waiver.expires}; the finding it covered is reported again.`,
    expected: "waivers renewed or removed before they expire",
    observed: `expired ${waiver.expires}`,
    docRef: waiver.docRef,
    remediation: "Fix the drift, or renew the waiver with a new expiry and a reason.",
    evidence: { owner: waiver.owner, reason: waiver.reason },
  };
}
