import { makeFinding } from "./make-finding.js";
import type { Policy, PolicyFinding, Waiver } from "./policy-model.js";

const DAY_MS = 86_400_000;

function startOfDay(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00Z`);
}

function wholeDaysBetween(fromMs: number, toMs: number): number {
  return Math.floor((toMs - fromMs) / DAY_MS);
}

/**
 * The policy findings that depend on the clock: a doc not verified within
 * `docMaxAgeDays`, and waivers that have expired or are about to. Pure:
 * the caller passes `now` (the CLI's `--now`, or the run's clock).
 */
export function judgePolicyAge(policy: Policy, now: Date): PolicyFinding[] {
  return [
    ...judgeDocAge(policy, now),
    ...policy.waivers.flatMap((waiver) => judgeWaiver(policy, waiver, now)),
  ];
}

function judgeDocAge(policy: Policy, now: Date): PolicyFinding[] {
  if (!policy.lastVerified) {
    return [];
  }

  const ageDays = wholeDaysBetween(startOfDay(policy.lastVerified), now.getTime());

  if (ageDays <= policy.docMaxAgeDays) {
    return [];
  }

  const ref = policy.lastVerifiedRef ?? { file: policy.docFile, line: 1 };

  return [
    makeFinding({
      ruleId: "DOC_STALE",
      severity: "medium",
      ...ref,
      subject: policy.docFile,
      message: `${policy.docFile} was last verified on ${policy.lastVerified}, ${ageDays} days before ${now.toISOString().slice(0, 10)}; the limit is ${policy.docMaxAgeDays} days.`,
      remediation:
        "Check the doc against the estate, then set `last_verified:` in its front matter to that day's date.",
    }),
  ];
}

function judgeWaiver(policy: Policy, waiver: Waiver, now: Date): PolicyFinding[] {
  // A waiver holds through the whole of its expiry day (UTC).
  const endMs = startOfDay(waiver.expires) + DAY_MS;
  const daysLeft = Math.ceil((endMs - now.getTime()) / DAY_MS);
  const warnDays = policy.expiryWarningDays[0] ?? 0;
  const what = `The waiver of ${waiver.ruleId} for "${waiver.subject}" (owner ${waiver.owner})`;

  if (daysLeft <= 0) {
    return [
      makeFinding({
        ruleId: "WAIVER_EXPIRED",
        severity: "medium",
        ...waiver.docRef,
        subject: waiver.subject,
        message: `${what} expired on ${waiver.expires}, so the finding it covered is reported again.`,
        remediation:
          "Fix the finding, or renew the waiver with a new expires: date and a current reason.",
      }),
    ];
  }

  if (daysLeft > warnDays) {
    return [];
  }

  return [
    makeFinding({
      ruleId: "WAIVER_EXPIRING",
      severity: "info",
      ...waiver.docRef,
      subject: waiver.subject,
      message: `${what} expires on ${waiver.expires}, in ${daysLeft} day${daysLeft === 1 ? "" : "s"}.`,
      remediation: "Fix the finding before then, or renew the waiver with its owner.",
    }),
  ];
}
