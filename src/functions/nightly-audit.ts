import { app } from "@azure/functions";
import type { InvocationContext, Timer } from "@azure/functions";

import type { RunHistory } from "../audit/audit-run.js";
import { runAudit } from "../audit/run-audit.js";
import { buildRunOptions, describeFailure, hostWiring } from "./audit-wiring.js";
import type { AuditWiring } from "./audit-wiring.js";
import { createInvocationLogger } from "./invocation-logger.js";
import { occurrencesBetween, parseNcrontab } from "./ncrontab.js";
import { readSchedule } from "./settings.js";
import type { SettingsSource } from "./settings.js";

export type NightlyAuditHandler = (timer: Timer, context: InvocationContext) => Promise<void>;

/**
 * The timer's handler: audit, emit to App Insights, log the outcome. A run
 * that could not start or finish throws, so the host records a failed
 * invocation; an incomplete run is a result, logged as a warning.
 */
export function createNightlyAuditHandler(wiring: AuditWiring = hostWiring): NightlyAuditHandler {
  return async (timer, context) => {
    const logger = createInvocationLogger(context);

    const runKey = scheduleSlotOf(wiring.clock?.() ?? new Date());

    logger.info("nightly audit starting", { pastDue: timer.isPastDue, runKey });

    try {
      const options = { ...buildRunOptions(wiring, logger), runKey };

      if (options.history && !(await options.history.claim(runKey))) {
        logger.info("nightly audit skipped: another invocation has this schedule slot", {
          runKey,
        });

        return;
      }

      const missedRuns = await findMissedRuns(options.history, wiring, runKey);
      const run = await runAudit({ ...options, ...(missedRuns ? { missedRuns } : {}) });
      const fields = { runId: run.id, status: run.status, findings: run.counts.total };

      if (run.status === "incomplete") {
        logger.warn("nightly audit incomplete: some of the estate could not be read", fields);
      } else {
        logger.info("nightly audit finished", fields);
      }
    } catch (error) {
      logger.error("nightly audit failed", describeFailure(error));

      throw error;
    }
  };
}

/**
 * The slots between the last claimed one and this one that the schedule
 * should have fired in (A27): computed from the history, not `isPastDue`,
 * which stays false after a quick restart. None without a history, before
 * the first claim, or for a TimeSpan schedule.
 */
async function findMissedRuns(
  history: RunHistory | undefined,
  wiring: AuditWiring,
  runKey: string,
): Promise<{ slots: string[]; schedule: string } | undefined> {
  const schedule = readSchedule(wiring.env);
  const previous = history && (await history.previousClaim(runKey));

  if (!previous || schedule.split(/\s+/).length !== 6) {
    return undefined;
  }

  const slots = occurrencesBetween(
    parseNcrontab(schedule),
    new Date(previous),
    new Date(runKey),
  ).map(scheduleSlotOf);

  return { slots: slots.reverse(), schedule };
}

/**
 * The slot a firing belongs to: its minute. The host has been seen firing
 * one schedule twice, milliseconds apart, on several instances (A26); with
 * a run history, only the first to claim the slot runs.
 */
export function scheduleSlotOf(firedAt: Date): string {
  return `${firedAt.toISOString().slice(0, 16)}Z`;
}

export const nightlyAudit = createNightlyAuditHandler();

/**
 * The schedule is read when the worker loads, from DRIFT_AUDIT_SCHEDULE
 * (default 02:00 UTC daily). A `%SETTING%` expression would leave the
 * function unable to load when the setting is absent, so we resolve it here.
 */
export function registerNightlyAudit(env: SettingsSource = process.env): void {
  // runOnStartup would fire on every cold start of a Consumption app (A27).
  app.timer("nightlyAudit", {
    schedule: readSchedule(env),
    runOnStartup: false,
    handler: nightlyAudit,
  });
}
