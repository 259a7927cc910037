import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { readHistorySettings } from "../audit/emit/history-settings.js";
import type { HistorySettings } from "../audit/emit/history-settings.js";
import { SettingsError } from "./settings-error.js";

/** Where settings come from: app settings arrive as environment variables. */
export type SettingsSource = Readonly<Record<string, string | undefined>>;

/** The app settings both Functions read, checked. */
export interface FunctionSettings {
  /** Absolute path of the policy folder (the secrets doc and its bindings). */
  policyPath: string;
  /** Overrides the bindings' ARM endpoint, e.g. for a sovereign cloud. */
  armEndpoint: string | undefined;
  appInsightsConnectionString: string;
  /** Where runs and finding lifecycles are kept; none when not configured. */
  history: HistorySettings | undefined;
}

export const SETTING = {
  policyPath: "DRIFT_AUDIT_POLICY_PATH",
  armEndpoint: "DRIFT_AUDIT_ARM_ENDPOINT",
  schedule: "DRIFT_AUDIT_SCHEDULE",
  connectionString: "APPLICATIONINSIGHTS_CONNECTION_STRING",
} as const;

export const DEFAULT_POLICY_PATH = "policy";

/** NCRONTAB, six fields with seconds first: 02:00 UTC every day. */
export const DEFAULT_SCHEDULE = "0 0 2 * * *";

const NCRONTAB_FIELD = /^[0-9A-Za-z*/,-]+$/;
// A TimeSpan interval is accepted by the host on App Service plans only.
const TIMESPAN = /^(\d+\.)?\d{1,2}:\d{2}:\d{2}$/;

/**
 * Reads and checks every setting a run needs, so a misconfigured app fails
 * with the setting's name before any Azure call. Relative policy paths are
 * resolved against the app root: the folder holding host.json.
 */
export function readFunctionSettings(
  env: SettingsSource,
  appRoot: string = findAppRoot(),
): FunctionSettings {
  return {
    policyPath: readPolicyPath(env, appRoot),
    armEndpoint: readArmEndpoint(env),
    appInsightsConnectionString: readConnectionString(env),
    history: readHistorySettings(env),
  };
}

/** The timer's schedule, read when the function is registered. */
export function readSchedule(env: SettingsSource): string {
  const schedule = readOptional(env, SETTING.schedule) ?? DEFAULT_SCHEDULE;
  const fields = schedule.split(/\s+/);
  const isCron = fields.length === 6 && fields.every((field) => NCRONTAB_FIELD.test(field));

  if (!isCron && !TIMESPAN.test(schedule)) {
    throw new SettingsError(
      "SETTING_INVALID",
      SETTING.schedule,
      `${SETTING.schedule} is "${schedule}", which is not a six-field NCRONTAB expression ` +
        `(second minute hour day month day-of-week). Set it to e.g. "${DEFAULT_SCHEDULE}" ` +
        "for 02:00 UTC daily, or remove it to use that default.",
    );
  }

  return schedule;
}

function readPolicyPath(env: SettingsSource, appRoot: string): string {
  const configured = readOptional(env, SETTING.policyPath) ?? DEFAULT_POLICY_PATH;
  const policyPath = isAbsolute(configured) ? configured : resolve(appRoot, configured);

  if (!existsSync(policyPath)) {
    throw new SettingsError(
      "SETTING_INVALID",
      SETTING.policyPath,
      `${SETTING.policyPath} points at ${policyPath}, which does not exist. Set it to the ` +
        `folder holding the secrets doc and its bindings, absolute or relative to ${appRoot}, ` +
        `or deploy that folder as "${DEFAULT_POLICY_PATH}" beside host.json.`,
    );
  }

  return policyPath;
}

function readArmEndpoint(env: SettingsSource): string | undefined {
  const endpoint = readOptional(env, SETTING.armEndpoint);

  if (endpoint === undefined) {
    return undefined;
  }

  if (!URL.canParse(endpoint) || new URL(endpoint).protocol !== "https:") {
    throw new SettingsError(
      "SETTING_INVALID",
      SETTING.armEndpoint,
      `${SETTING.armEndpoint} is "${endpoint}", which is not an https URL. Set it to the ` +
        "Resource Manager endpoint, e.g. https://management.usgovcloudapi.net, or remove it " +
        "to use the one in the policy bindings.",
    );
  }

  return endpoint;
}

/** The value is never echoed: a connection string is a credential of sorts. */
function readConnectionString(env: SettingsSource): string {
  const connectionString = readOptional(env, SETTING.connectionString);

  if (connectionString === undefined) {
    throw new SettingsError(
      "SETTING_MISSING",
      SETTING.connectionString,
      `${SETTING.connectionString} is not set. The audit reports its findings to ` +
        "Application Insights: set it to the connection string on the Application Insights " +
        "resource's Overview page.",
    );
  }

  if (!/(^|;)\s*InstrumentationKey=/i.test(connectionString)) {
    throw new SettingsError(
      "SETTING_INVALID",
      SETTING.connectionString,
      `${SETTING.connectionString} has no InstrumentationKey. Copy the whole connection ` +
        "string from the Application Insights resource's Overview page.",
    );
  }

  return connectionString;
}

/** Blank counts as unset: the portal saves cleared settings as "". */
function readOptional(env: SettingsSource, name: string): string | undefined {
  const value = env[name]?.trim();

  return value ? value : undefined;
}

/**
 * The app root is the nearest folder above this module that holds
 * host.json: `dist/src/functions` when deployed, `src/functions` in tests.
 */
export function findAppRoot(start: string = dirname(fileURLToPath(import.meta.url))): string {
  let folder = start;

  while (!existsSync(join(folder, "host.json"))) {
    const parent = dirname(folder);

    if (parent === folder) {
      return process.cwd();
    }

    folder = parent;
  }

  return folder;
}
