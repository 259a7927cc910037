import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import {
  createNightlyAuditHandler,
  registerNightlyAudit,
} from "../../src/functions/nightly-audit.js";
import { refusedConnections } from "../fake-azure/loopback-guard.js";
import { startFakeIngestion } from "../fake-ingestion/fake-ingestion-server.js";
import type { FakeIngestion } from "../fake-ingestion/fake-ingestion-server.js";
import { makeContext, makeTimer, makeWiring, refuseSource } from "./handler-kit.js";

let ingestion: FakeIngestion;

beforeAll(async () => {
  ingestion = await startFakeIngestion();
});

afterAll(async () => {
  await ingestion.close();
});

beforeEach(() => {
  ingestion.envelopes.length = 0;
});

describe("nightly audit handler", () => {
  it("should audit, emit the summary and log how the run ended", async () => {
    const { context, logs } = makeContext("nightlyAudit");
    const handler = createNightlyAuditHandler({
      ...makeWiring(ingestion.connectionString),
      clock: () => new Date("2026-12-01T02:00:00.021Z"),
    });

    await handler(makeTimer({ isPastDue: true }), context);

    const summary = ingestion.envelopes.find((e) => e.data.baseData.name === "DriftAuditRun");
    const runId = summary?.data.baseData.properties?.["runId"];

    expect(runId).toEqual(expect.any(String));
    expect(logs[0]).toEqual({
      level: "information",
      message: 'nightly audit starting {"pastDue":true,"runKey":"2026-12-01T02:00Z"}',
    });
    expect(logs.at(-1)?.message).toMatch(/^nightly audit (finished|incomplete)/);
    expect(logs.at(-1)?.message).toContain(String(runId));
    expect(summary?.data.baseData.properties?.["runKey"]).toBe("2026-12-01T02:00Z");
  });

  it("should log and rethrow a settings error so the host records a failed run", async () => {
    const { context, logs } = makeContext("nightlyAudit");
    const handler = createNightlyAuditHandler({
      ...makeWiring(ingestion.connectionString),
      env: {},
      createSource: refuseSource,
    });

    await expect(handler(makeTimer(), context)).rejects.toMatchObject({
      name: "SettingsError",
      setting: "APPLICATIONINSIGHTS_CONNECTION_STRING",
    });
    expect(logs.at(-1)).toEqual({
      level: "error",
      message: expect.stringContaining('"code":"SETTING_MISSING"'),
    });
    expect(ingestion.envelopes).toEqual([]);
  });

  it("should refuse to register with a schedule that is not NCRONTAB", () => {
    expect(() => registerNightlyAudit({ DRIFT_AUDIT_SCHEDULE: "daily at 2" })).toThrow(
      expect.objectContaining({ setting: "DRIFT_AUDIT_SCHEDULE" }),
    );
  });

  it("should have reached nothing beyond loopback", () => {
    expect(refusedConnections).toEqual([]);
  });
});
