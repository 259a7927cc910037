import { app } from "@azure/functions";
import type { InvocationContext, Timer } from "@azure/functions";

import type { Logger } from "../audit/logger.js";
import { loadPolicyWithOverrides, runAudit } from "../audit/run-audit.js";
import type { RunAuditOptions } from "../audit/run-audit.js";
import { buildRunOptions, describeFailure, hostWiring } from "./audit-wiring.js";
import type { AuditWiring } from "./audit-wiring.js";
import { createInvocationLogger } from "./invocation-logger.js";
import { findMissedSlots, slotOf } from "./schedule-slots.js";
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
    const schedule = readSchedule(wiring.env);
    const runKey = slotOf(schedule, wiring.clock?.() ?? new Date());

    logger.info("nightly audit starting", { pastDue: timer.isPastDue, runKey });

    try {
      const options = { ...buildRunOptions(wiring, logger), runKey };
      const claimed = await claimSlot(options, schedule, logger);

      if (!claimed) {
        return;
      }

      const run = await runAudit({ ...options, ...claimed });
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
 * With a run history, takes this slot for the policy's subscription (two
 * apps auditing two subscriptions may share a container) and finds the
 * slots before it that never ran; the policy it loaded to do so goes on
 * to the audit. Undefined when another firing has the slot already: this
 * one does not run.
 */
async function claimSlot(
  options: RunAuditOptions & { runKey: string },
  schedule: string,
  logger: Logger,
): Promise<Pick<RunAuditOptions, "missedRuns" | "policy"> | undefined> {
  const { history, runKey } = options;

  if (!history) {
    return {};
  }

  const policy = await loadPolicyWithOverrides(options.policyPath, options.armEndpoint);
  const { subscriptionId } = policy;

  if (!(await history.claim(subscriptionId, runKey))) {
    logger.info("nightly audit skipped: another invocation has this schedule slot", { runKey });

    return undefined;
  }

  const slots = await findMissedSlots(history, subscriptionId, schedule, runKey);

  return { policy, missedRuns: { slots, schedule } };
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
