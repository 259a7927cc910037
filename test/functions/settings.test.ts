import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  DEFAULT_SCHEDULE,
  findAppRoot,
  readFunctionSettings,
  readSchedule,
} from "../../src/functions/settings.js";

const CONNECTION_STRING =
  "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:1/";
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");

let appRoot: string;

beforeAll(() => {
  appRoot = mkdtempSync(join(tmpdir(), "drift-settings-"));
  mkdirSync(join(appRoot, "policy"));
  mkdirSync(join(appRoot, "other-policy"));
});

afterAll(() => {
  rmSync(appRoot, { recursive: true, force: true });
});

function settingsFrom(env: Record<string, string>) {
  return () =>
    readFunctionSettings(
      { APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING, ...env },
      appRoot,
    );
}

describe("readFunctionSettings", () => {
  it("should default the policy to the policy folder beside host.json", () => {
    expect(settingsFrom({})()).toEqual({
      policyPath: join(appRoot, "policy"),
      armEndpoint: undefined,
      appInsightsConnectionString: CONNECTION_STRING,
    });
  });

  it("should keep no run history unless a history setting names one", () => {
    expect(settingsFrom({})().history).toBeUndefined();
    expect(
      settingsFrom({ DRIFT_AUDIT_HISTORY_ACCOUNT_URL: "https://acct.blob.core.windows.net/" })()
        .history,
    ).toEqual({
      kind: "accountUrl",
      accountUrl: "https://acct.blob.core.windows.net",
      container: "drift-audit",
    });
    expect(
      settingsFrom({
        DRIFT_AUDIT_HISTORY_CONNECTION: "UseDevelopmentStorage=true",
        DRIFT_AUDIT_HISTORY_CONTAINER: "nightly-runs",
      })().history,
    ).toMatchObject({ kind: "connectionString", container: "nightly-runs" });
  });

  it.each([
    [
      { DRIFT_AUDIT_HISTORY_ACCOUNT_URL: "http://acct.blob.core.windows.net" },
      'DRIFT_AUDIT_HISTORY_ACCOUNT_URL is "http://acct.blob.core.windows.net", which is not an https URL.',
    ],
    [
      {
        DRIFT_AUDIT_HISTORY_CONNECTION: "AccountKey=c2VjcmV0;",
        DRIFT_AUDIT_HISTORY_ACCOUNT_URL: "https://a.blob.core.windows.net",
      },
      "DRIFT_AUDIT_HISTORY_CONNECTION and DRIFT_AUDIT_HISTORY_ACCOUNT_URL are both set; keep one.",
    ],
    [
      {
        DRIFT_AUDIT_HISTORY_CONNECTION: "AccountKey=c2VjcmV0;",
        DRIFT_AUDIT_HISTORY_CONTAINER: "Runs_2026",
      },
      'DRIFT_AUDIT_HISTORY_CONTAINER is "Runs_2026", which is not a blob container name',
    ],
  ])("should refuse a history setting it cannot use, saying which: %j", (env, message) => {
    expect(settingsFrom(env)).toThrow(message);
    try {
      settingsFrom(env)();
    } catch (error) {
      expect(String(error)).not.toContain("c2VjcmV0");
    }
  });

  it("should resolve a relative DRIFT_AUDIT_POLICY_PATH against the app root", () => {
    const settings = settingsFrom({ DRIFT_AUDIT_POLICY_PATH: "other-policy" })();

    expect(settings.policyPath).toBe(join(appRoot, "other-policy"));
  });

  it("should keep an absolute DRIFT_AUDIT_POLICY_PATH as it is", () => {
    const absolute = join(appRoot, "other-policy");

    expect(settingsFrom({ DRIFT_AUDIT_POLICY_PATH: absolute })().policyPath).toBe(absolute);
  });

  it("should name DRIFT_AUDIT_POLICY_PATH when it points nowhere", () => {
    expect(settingsFrom({ DRIFT_AUDIT_POLICY_PATH: "missing" })).toThrow(
      expect.objectContaining({
        name: "SettingsError",
        code: "SETTING_INVALID",
        setting: "DRIFT_AUDIT_POLICY_PATH",
        message: expect.stringContaining(join(appRoot, "missing")),
      }),
    );
  });

  it("should require APPLICATIONINSIGHTS_CONNECTION_STRING and say where to find it", () => {
    expect(() => readFunctionSettings({}, appRoot)).toThrow(
      expect.objectContaining({
        code: "SETTING_MISSING",
        setting: "APPLICATIONINSIGHTS_CONNECTION_STRING",
        message: expect.stringContaining("Overview page"),
      }),
    );
  });

  it("should treat a blank setting as unset", () => {
    const blank = { APPLICATIONINSIGHTS_CONNECTION_STRING: "  ", DRIFT_AUDIT_ARM_ENDPOINT: "" };

    expect(() => readFunctionSettings(blank, appRoot)).toThrow(
      expect.objectContaining({ code: "SETTING_MISSING" }),
    );
  });

  it("should refuse a connection string without a key, without echoing it", () => {
    const env = { APPLICATIONINSIGHTS_CONNECTION_STRING: "IngestionEndpoint=https://secret-ish/" };

    expect(() => readFunctionSettings(env, appRoot)).toThrow(
      expect.objectContaining({
        code: "SETTING_INVALID",
        message: expect.not.stringContaining("secret-ish"),
      }),
    );
  });

  it("should pass an https DRIFT_AUDIT_ARM_ENDPOINT through", () => {
    const endpoint = "https://management.usgovcloudapi.net";

    expect(settingsFrom({ DRIFT_AUDIT_ARM_ENDPOINT: endpoint })().armEndpoint).toBe(endpoint);
  });

  it.each(["http://127.0.0.1:8443", "management.azure.com"])(
    "should refuse %s as DRIFT_AUDIT_ARM_ENDPOINT",
    (endpoint) => {
      expect(settingsFrom({ DRIFT_AUDIT_ARM_ENDPOINT: endpoint })).toThrow(
        expect.objectContaining({ code: "SETTING_INVALID", setting: "DRIFT_AUDIT_ARM_ENDPOINT" }),
      );
    },
  );
});

describe("readSchedule", () => {
  it("should default to 02:00 UTC daily", () => {
    expect(readSchedule({})).toBe("0 0 2 * * *");
    expect(DEFAULT_SCHEDULE).toBe("0 0 2 * * *");
  });

  it.each(["0 30 1 * * *", "0 0 */6 * * 1-5", "0 0 3 * * Sun", "01:00:00"])(
    "should accept %s",
    (schedule) => {
      expect(readSchedule({ DRIFT_AUDIT_SCHEDULE: schedule })).toBe(schedule);
    },
  );

  it.each(["0 2 * * *", "every night", "0 0 2 * * * *"])("should refuse %s", (schedule) => {
    expect(() => readSchedule({ DRIFT_AUDIT_SCHEDULE: schedule })).toThrow(
      expect.objectContaining({
        code: "SETTING_INVALID",
        setting: "DRIFT_AUDIT_SCHEDULE",
        message: expect.stringContaining("six-field NCRONTAB"),
      }),
    );
  });
});

describe("findAppRoot", () => {
  it("should find the folder holding host.json above the functions module", () => {
    expect(findAppRoot(join(REPO_ROOT, "src", "functions"))).toBe(REPO_ROOT);
  });
});
