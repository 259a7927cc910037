/**
 * AUDIT_RUN_MISSED: a scheduled audit that never ran. The host does not
 * always say so (`isPastDue` stays false after a quick restart, A27), so
 * the nightly handler compares the schedule with the slots the run
 * history saw claimed, and each slot with no run becomes a finding. Each
 * is new once, so an alert on it fires once.
 */
import type { Finding } from "./finding.js";
import { computeFindingId } from "./finding.js";

export const AUDIT_RUN_MISSED = "AUDIT_RUN_MISSED";

export function missedRunFindings(
  missedSlots: readonly string[],
  subscriptionId: string,
  schedule: string,
): Finding[] {
  const resourceId = `/subscriptions/${subscriptionId}`;

  return missedSlots.map((slot) => ({
    id: computeFindingId(AUDIT_RUN_MISSED, resourceId, slot),
    ruleId: AUDIT_RUN_MISSED,
    severity: "medium",
    resourceId,
    subject: slot,
    message:
      `The nightly audit scheduled for ${slot} (schedule "${schedule}") did not run, so ` +
      "nothing was checked then; this run covers the estate as it is now.",
    expected: `an audit run at ${slot}`,
    observed: "no run claimed that slot",
    docRef: undefined,
    remediation:
      "Check the function app's invocations and restarts around that time (Application " +
      "Insights: requests for nightlyAudit); keep the app on a plan that stays warm, or " +
      "alert on AUDIT_RUN_MISSED.",
    evidence: { slot, schedule },
  }));
}
