import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { InvocationContext } from "@azure/functions";
import type { Timer } from "@azure/functions";

import { createAppInsightsEmitter } from "../../src/audit/emit/app-insights-emitter.js";
import type { AuditWiring } from "../../src/functions/audit-wiring.js";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The demo estate `npm run demo` audits, judged at the demo's clock. */
export const DEMO_SNAPSHOT = join(REPO_ROOT, "examples", "demo-estate.json");
export const DEMO_NOW = new Date("2026-12-01T00:00:00Z");

export interface CapturedLog {
  level: string;
  message: string;
}

export function makeContext(functionName: string): {
  context: InvocationContext;
  logs: CapturedLog[];
} {
  const logs: CapturedLog[] = [];
  const context = new InvocationContext({
    functionName,
    invocationId: "00000000-0000-4000-8000-00000000c0de",
    logHandler: (level, ...args) => logs.push({ level, message: args.map(String).join(" ") }),
  });

  return { context, logs };
}

export function makeTimer(overrides: Partial<Timer> = {}): Timer {
  return {
    isPastDue: false,
    schedule: { adjustForDST: false },
    scheduleStatus: { last: "", next: "", lastUpdated: "" },
    ...overrides,
  };
}

/**
 * The host's wiring with two swaps: the demo snapshot instead of the live
 * estate (no credential is ever built), and no offline telemetry store so
 * nothing a test sends is written to disk and replayed by another.
 */
export function makeWiring(
  connectionString: string,
  overrides: Partial<AuditWiring> = {},
): AuditWiring {
  return {
    env: {
      APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString,
      DRIFT_AUDIT_POLICY_PATH: "policy",
    },
    appRoot: REPO_ROOT,
    createSource: () => ({ kind: "snapshot", file: DEMO_SNAPSHOT }),
    createEmitters: (settings) => [
      createAppInsightsEmitter({
        connectionString: settings.appInsightsConnectionString,
        offlineStorage: false,
      }),
    ],
    now: () => DEMO_NOW,
    ...overrides,
  };
}

/** A wiring whose source must never be asked for: proves nothing touched Azure. */
export function refuseSource(): never {
  throw new Error("the handler asked for an audit source although it should have stopped");
}
