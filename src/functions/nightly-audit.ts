import { app } from "@azure/functions";
import type { InvocationContext, Timer } from "@azure/functions";

import { runAudit } from "../audit/run-audit.js";
import { buildRunOptions, describeFailure, hostWiring } from "./audit-wiring.js";
import type { AuditWiring } from "./audit-wiring.js";
import { createInvocationLogger } from "./invocation-logger.js";
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

    logger.info("nightly audit starting", { pastDue: timer.isPastDue });

    try {
      const run = await runAudit(buildRunOptions(wiring, logger));
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

export const nightlyAudit = createNightlyAuditHandler();

/**
 * The schedule is read when the worker loads, from DRIFT_AUDIT_SCHEDULE
 * (default 02:00 UTC daily). A `%SETTING%` expression would leave the
 * function unable to load when the setting is absent, so we resolve it here.
 */
export function registerNightlyAudit(env: SettingsSource = process.env): void {
  app.timer("nightlyAudit", { schedule: readSchedule(env), handler: nightlyAudit });
}
