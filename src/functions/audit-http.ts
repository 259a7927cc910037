import { app } from "@azure/functions";
import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";

import { renderJsonReport } from "../audit/report/json-report.js";
import { runAudit } from "../audit/run-audit.js";
import { buildRunOptions, describeFailure, hostWiring, isActionableError } from "./audit-wiring.js";
import type { AuditWiring } from "./audit-wiring.js";
import { createInvocationLogger } from "./invocation-logger.js";

export type AuditHttpHandler = (
  request: HttpRequest,
  context: InvocationContext,
) => Promise<HttpResponseInit>;

export const AUDIT_HTTP_METHODS = ["GET", "POST"] as const;

// A run describes the estate's security posture: no proxy may keep a copy.
const NO_STORE = { "cache-control": "no-store" };

/**
 * The HTTP handler: runs one audit and answers with the run as JSON, in
 * the CLI's `--format json` shape. 200 for every finished run, whatever
 * its status (clean, findings or incomplete): the status is in the body
 * and in the `x-drift-audit-status` header, and an incomplete run is
 * still a result worth reading. 500 with `{ error: { code, message } }`
 * when the app is misconfigured or the policy is broken; any other failure
 * is rethrown for the host to record.
 */
export function createAuditHttpHandler(wiring: AuditWiring = hostWiring): AuditHttpHandler {
  return async (request, context) => {
    if (!isAllowedMethod(request.method)) {
      return methodNotAllowed(request.method);
    }

    const logger = createInvocationLogger(context);

    try {
      const run = await runAudit(buildRunOptions(wiring, logger));

      return {
        status: 200,
        headers: {
          ...NO_STORE,
          "content-type": "application/json; charset=utf-8",
          "x-drift-audit-status": run.status,
        },
        body: renderJsonReport(run),
      };
    } catch (error) {
      logger.error("audit request failed", describeFailure(error));

      if (!isActionableError(error)) {
        throw error;
      }

      return {
        status: 500,
        headers: NO_STORE,
        jsonBody: { error: { code: error.code, message: error.message } },
      };
    }
  };
}

export const auditHttp = createAuditHttpHandler();

/** `audit`, at /api/audit; callers need a function key. */
export function registerAuditHttp(): void {
  app.http("audit", {
    methods: [...AUDIT_HTTP_METHODS],
    authLevel: "function",
    handler: auditHttp,
  });
}

function isAllowedMethod(method: string): boolean {
  return (AUDIT_HTTP_METHODS as readonly string[]).includes(method.toUpperCase());
}

/** The host routes only GET and POST here; this guards direct callers. */
function methodNotAllowed(method: string): HttpResponseInit {
  return {
    status: 405,
    headers: { ...NO_STORE, allow: AUDIT_HTTP_METHODS.join(", ") },
    jsonBody: {
      error: {
        code: "METHOD_NOT_ALLOWED",
        message: `The audit function answers GET or POST, not ${method}.`,
      },
    },
  };
}
