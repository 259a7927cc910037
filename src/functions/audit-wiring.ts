import { DefaultAzureCredential } from "@azure/identity";

import { AuditError } from "../audit/audit-error.js";
import type { RunEmitter, RunHistory } from "../audit/audit-run.js";
import { createAppInsightsEmitter } from "../audit/emit/app-insights-emitter.js";
import { openBlobRunHistory } from "../audit/emit/blob-run-history.js";
import type { LogFields, Logger } from "../audit/logger.js";
import type { AuditSource, RunAuditOptions } from "../audit/run-audit.js";
import { SettingsError } from "./settings-error.js";
import { findAppRoot, readFunctionSettings } from "./settings.js";
import type { FunctionSettings, SettingsSource } from "./settings.js";

/**
 * Everything a Function handler depends on besides the invocation. The
 * host uses `hostWiring`; a test swaps the source (a snapshot instead of
 * the live estate) or the settings, and keeps the rest real.
 */
export interface AuditWiring {
  /** App settings; `process.env` in the host. */
  env: SettingsSource;
  /** Overrides where relative settings paths resolve (the app root). */
  appRoot?: string;
  /** What to audit: the live estate through DefaultAzureCredential in the host. */
  createSource(settings: FunctionSettings): AuditSource;
  /** Where finished runs go: Application Insights in the host. */
  createEmitters(settings: FunctionSettings): RunEmitter[];
  /** Where runs are kept: Blob Storage in the host, when the settings name it. */
  createHistory?(settings: FunctionSettings): RunHistory | undefined;
  /** The clock rules judge against; the real one when absent. */
  now?: () => Date;
  /** When a timer fired, for its schedule slot; the real clock when absent. */
  clock?: () => Date;
}

let credential: DefaultAzureCredential | undefined;

/**
 * One credential per worker, so its token cache outlives an invocation. In
 * App Service it takes the managed identity (AZURE_CLIENT_ID selects a
 * user-assigned one); on a laptop, the developer's Azure CLI login.
 */
function getCredential(): DefaultAzureCredential {
  credential ??= new DefaultAzureCredential();

  return credential;
}

export const hostWiring: AuditWiring = {
  env: process.env,
  createSource: () => ({ kind: "live", credential: getCredential() }),
  createEmitters: (settings) => [
    createAppInsightsEmitter({ connectionString: settings.appInsightsConnectionString }),
  ],
  createHistory: ({ history }) =>
    history &&
    openBlobRunHistory(history, history.kind === "accountUrl" ? getCredential() : undefined),
};

/**
 * Reads the settings and builds the run's dependencies. Throws a
 * SettingsError or AuditError (telemetry not configured) before any Azure
 * call, so a misconfigured app never half-runs.
 */
export function buildRunOptions(wiring: AuditWiring, logger: Logger): RunAuditOptions {
  const settings = readFunctionSettings(wiring.env, wiring.appRoot ?? findAppRoot());
  const emitters = wiring.createEmitters(settings);
  const history = wiring.createHistory?.(settings);
  const now = wiring.now?.();

  return {
    policyPath: settings.policyPath,
    source: wiring.createSource(settings),
    logger,
    emitters,
    ...(history ? { history } : {}),
    ...(settings.armEndpoint ? { armEndpoint: settings.armEndpoint } : {}),
    ...(now ? { now } : {}),
  };
}

/** A failure the user can act on: a settings or audit error with a code. */
export function isActionableError(error: unknown): error is SettingsError | AuditError {
  return error instanceof SettingsError || error instanceof AuditError;
}

/**
 * Log fields for a failed run. Messages of our own typed errors are safe
 * and say what to do; anything else is logged by name only, because an
 * SDK error message can quote a response body.
 */
export function describeFailure(error: unknown): LogFields {
  if (isActionableError(error)) {
    const setting = error instanceof SettingsError ? error.setting : undefined;

    return { code: error.code, setting, error: error.message };
  }

  return { error: error instanceof Error ? error.name : typeof error };
}
