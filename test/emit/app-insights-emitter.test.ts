import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { RunEmitter } from "../../src/audit/audit-run.js";
import type { AppInsightsEmitterOptions } from "../../src/audit/emit/app-insights-emitter.js";
import { startFakeIngestion } from "../fake-ingestion/fake-ingestion-server.js";
import type { FakeIngestion, IngestedEnvelope } from "../fake-ingestion/fake-ingestion-server.js";
import { refusedConnections } from "../fake-azure/loopback-guard.js";
import { CANARY, VAULT_ID, makeFinding, makeRun } from "./run-builders.js";

const APP_ID =
  "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-trader" +
  "/providers/Microsoft.Web/sites/app-trader-api";

let ingestion: FakeIngestion;
let createEmitter: (options?: AppInsightsEmitterOptions) => RunEmitter;

beforeAll(async () => {
  // Loaded only now, after the setup file's loopback guard is in place.
  process.env["APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL"] = "true";
  ingestion = await startFakeIngestion();

  const module = await import("../../src/audit/emit/app-insights-emitter.js");

  createEmitter = (options = {}) =>
    module.createAppInsightsEmitter({
      connectionString: ingestion.connectionString,
      offlineStorage: false,
      ...options,
    });
});

afterAll(async () => {
  await ingestion.close();
});

beforeEach(() => {
  ingestion.envelopes.length = 0;
  ingestion.requests.length = 0;
});

function twoFindingRun() {
  return makeRun({
    findings: [
      makeFinding(),
      makeFinding({
        id: "0f1e2d3c4b5a6978",
        ruleId: "SETTING_NOT_REFERENCE",
        severity: "critical",
        resourceId: APP_ID,
        subject: "ALPACA_API_KEY",
        docRef: { file: "policy/secrets.md", line: 31 },
        waiver: { owner: "ops", reason: `migration ${CANARY}`, expires: "2027-01-01" },
      }),
    ],
    counts: {
      total: 2,
      bySeverity: { critical: 1, high: 1, medium: 0, low: 0, info: 0 },
      waived: 1,
    },
  });
}

function eventsNamed(name: string): IngestedEnvelope[] {
  return ingestion.envelopes.filter((envelope) => envelope.data.baseData.name === name);
}

describe("createAppInsightsEmitter", () => {
  it("should have sent every event by the time emit() resolves", async () => {
    await createEmitter().emit(twoFindingRun());

    expect(ingestion.envelopes).toHaveLength(3);
    expect(ingestion.requests).toEqual([
      expect.objectContaining({ method: "POST", path: "/v2.1/track", itemCount: 3 }),
    ]);
  });

  it("should file every event as a customEvent (EventData), never a trace", async () => {
    await createEmitter().emit(twoFindingRun());

    for (const envelope of ingestion.envelopes) {
      expect(envelope.name).toBe("Microsoft.ApplicationInsights.Event");
      expect(envelope.data.baseType).toBe("EventData");
      expect(envelope.iKey).toBe("00000000-0000-0000-0000-000000000000");
      expect(envelope.tags?.["ai.cloud.role"]).toBe("drift-auditor");
    }

    expect(ingestion.envelopes.map((envelope) => envelope.data.baseData.name)).toEqual([
      "DriftFinding",
      "DriftFinding",
      "DriftAuditRun",
    ]);
  });

  it("should send exactly the allow-listed dimensions of each finding", async () => {
    await createEmitter().emit(twoFindingRun());

    expect(eventsNamed("DriftFinding").map((event) => event.data.baseData.properties)).toEqual([
      {
        runId: "5e0c7a4e-0000-4000-8000-000000000001",
        findingId: "a1b2c3d4e5f60718",
        ruleId: "SECRET_MISSING",
        severity: "high",
        resourceId: VAULT_ID,
        subject: "ALPACA-API-KEY",
        docFile: "policy/secrets.md",
        docLine: "12",
        waived: "false",
      },
      {
        runId: "5e0c7a4e-0000-4000-8000-000000000001",
        findingId: "0f1e2d3c4b5a6978",
        ruleId: "SETTING_NOT_REFERENCE",
        severity: "critical",
        resourceId: APP_ID,
        subject: "ALPACA_API_KEY",
        docFile: "policy/secrets.md",
        docLine: "31",
        waived: "true",
      },
    ]);
  });

  it("should summarise the run in one DriftAuditRun event", async () => {
    await createEmitter().emit(twoFindingRun());

    expect(eventsNamed("DriftAuditRun").map((event) => event.data.baseData.properties)).toEqual([
      {
        runId: "5e0c7a4e-0000-4000-8000-000000000001",
        status: "findings",
        source: "snapshots/estate.json",
        now: "2026-12-01T00:00:00.000Z",
        totalCount: "2",
        waivedCount: "1",
        criticalCount: "1",
        highCount: "1",
        mediumCount: "0",
        lowCount: "0",
        infoCount: "0",
      },
    ]);
  });

  it("should send only the summary for a clean run", async () => {
    const clean = makeRun({
      status: "clean",
      findings: [],
      counts: { total: 0, bySeverity: {}, waived: 0 },
    });

    await createEmitter().emit(clean);

    expect(ingestion.envelopes.map((envelope) => envelope.data.baseData.name)).toEqual([
      "DriftAuditRun",
    ]);
    expect(eventsNamed("DriftAuditRun")[0]?.data.baseData.properties).toMatchObject({
      status: "clean",
      totalCount: "0",
      criticalCount: "0",
    });
  });

  it("should never send a message, expected, observed, evidence, remediation or waiver reason", async () => {
    await createEmitter().emit(twoFindingRun());

    expect(ingestion.requests.length).toBeGreaterThan(0);

    for (const request of ingestion.requests) {
      expect(request.text).not.toContain(CANARY);
      expect(request.text).not.toContain("is missing from vault");
    }
  });

  it("should keep concurrent runs apart, each emit() waiting for its own events", async () => {
    const first = makeRun({ id: "run-1" });
    const second = makeRun({ id: "run-2", findings: [makeFinding(), makeFinding()] });

    await Promise.all([createEmitter().emit(first), createEmitter().emit(second)]);

    const runIds = ingestion.envelopes.map(
      (envelope) => envelope.data.baseData.properties?.["runId"],
    );

    expect(runIds.filter((id) => id === "run-1")).toHaveLength(2);
    expect(runIds.filter((id) => id === "run-2")).toHaveLength(3);
    expect(ingestion.requests).toHaveLength(2);
  });

  it("should go on working across many runs in one process", async () => {
    const emitter = createEmitter();

    for (let index = 0; index < 5; index++) {
      await emitter.emit(makeRun({ id: `run-${index}` }));
    }

    expect(ingestion.envelopes).toHaveLength(10);
  });

  it("should split a large run into requests of at most 512 events", async () => {
    const findings = Array.from({ length: 600 }, (_, index) =>
      makeFinding({ id: `finding-${index}` }),
    );

    await createEmitter().emit(makeRun({ findings }));

    expect(ingestion.requests.map((request) => request.itemCount)).toEqual([512, 89]);
  });

  it("should reject with TELEMETRY_EXPORT_FAILED when ingestion refuses the batch", async () => {
    ingestion.failNext(400);

    await expect(createEmitter().emit(twoFindingRun())).rejects.toMatchObject({
      name: "AuditError",
      code: "TELEMETRY_EXPORT_FAILED",
      message: expect.stringContaining("ingestion answered 400"),
    });
  });

  // The exporter itself calls this a success: it keeps retriable items for
  // later (or drops them without offline storage). emit() must not.
  it("should reject when ingestion accepts only part of the batch", async () => {
    ingestion.failNext(206);

    await expect(createEmitter().emit(twoFindingRun())).rejects.toMatchObject({
      code: "TELEMETRY_EXPORT_FAILED",
      message: expect.stringContaining("ingestion answered 206"),
    });
  });
});

describe("createAppInsightsEmitter configuration", () => {
  it("should name the setting when no connection string is given", () => {
    expect(() => createEmitter({ connectionString: "", env: {} })).toThrow(
      expect.objectContaining({
        code: "TELEMETRY_NOT_CONFIGURED",
        message: expect.stringContaining("APPLICATIONINSIGHTS_CONNECTION_STRING"),
      }),
    );
  });

  it("should read the connection string from the environment when not given", async () => {
    const module = await import("../../src/audit/emit/app-insights-emitter.js");
    const env = { APPLICATIONINSIGHTS_CONNECTION_STRING: ingestion.connectionString };

    await module.createAppInsightsEmitter({ env, offlineStorage: false }).emit(makeRun());

    expect(ingestion.envelopes).toHaveLength(2);
  });

  it("should refuse a key that is not a GUID without echoing the connection string", () => {
    const connectionString = "InstrumentationKey=not-a-guid;IngestionEndpoint=https://127.0.0.1:9/";

    expect(() => createEmitter({ connectionString })).toThrow(
      expect.objectContaining({
        code: "TELEMETRY_NOT_CONFIGURED",
        message: expect.not.stringContaining("not-a-guid"),
      }),
    );
  });

  // The exporter in use reads only its legacy switch, once, when it is built.
  it("should map APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL to the exporter's own switch", () => {
    delete process.env["APPLICATION_INSIGHTS_NO_STATSBEAT"];

    createEmitter({ env: { APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL: "True" } });

    expect(process.env["APPLICATION_INSIGHTS_NO_STATSBEAT"]).toBe("true");
  });

  it("should have reached nothing beyond loopback", () => {
    expect(refusedConnections).toEqual([]);
  });
});
