import { HttpRequest } from "@azure/functions";
import type { HttpResponseInit } from "@azure/functions";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createAuditHttpHandler } from "../../src/functions/audit-http.js";
import { refusedConnections } from "../fake-azure/loopback-guard.js";
import { startFakeIngestion } from "../fake-ingestion/fake-ingestion-server.js";
import type { FakeIngestion } from "../fake-ingestion/fake-ingestion-server.js";
import { makeContext, makeWiring, refuseSource } from "./handler-kit.js";

const URL_BASE = "https://drift-auditor.example/api/audit";

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

function request(method: string): HttpRequest {
  return new HttpRequest({ method, url: URL_BASE });
}

interface ReportBody {
  run: { id: string; status: string; now: string; counts: { total: number } };
  findings: Record<string, unknown>[];
}

function parseReport(response: HttpResponseInit): ReportBody {
  expect(typeof response.body).toBe("string");

  return JSON.parse(response.body as string) as ReportBody;
}

describe("audit HTTP handler", () => {
  it.each(["GET", "POST"])(
    "should run the audit on %s and answer the run as JSON",
    async (method) => {
      const handler = createAuditHttpHandler(makeWiring(ingestion.connectionString));
      const response = await handler(request(method), makeContext("audit").context);
      const report = parseReport(response);

      expect(response.status).toBe(200);
      expect(response.headers).toMatchObject({
        "content-type": "application/json; charset=utf-8",
        "cache-control": "no-store",
        "x-drift-audit-status": report.run.status,
      });
      expect(["clean", "findings", "incomplete"]).toContain(report.run.status);
      expect(report.run.now).toBe("2026-12-01T00:00:00.000Z");
      expect(report.findings).toHaveLength(report.run.counts.total);

      for (const finding of report.findings) {
        expect(Object.keys(finding)).toEqual(
          expect.arrayContaining(["id", "ruleId", "severity", "resourceId", "subject", "message"]),
        );
      }
    },
  );

  it("should have sent the run to Application Insights before answering", async () => {
    const handler = createAuditHttpHandler(makeWiring(ingestion.connectionString));
    const report = parseReport(await handler(request("GET"), makeContext("audit").context));
    const names = ingestion.envelopes.map((envelope) => envelope.data.baseData.name);
    const summary = ingestion.envelopes.find((e) => e.data.baseData.name === "DriftAuditRun");

    expect(names.filter((name) => name === "DriftFinding")).toHaveLength(report.findings.length);
    expect(summary?.data.baseData.properties).toMatchObject({
      runId: report.run.id,
      status: report.run.status,
    });
  });

  it("should log through the invocation context with the run id", async () => {
    const { context, logs } = makeContext("audit");
    const handler = createAuditHttpHandler(makeWiring(ingestion.connectionString));
    const report = parseReport(await handler(request("GET"), context));

    expect(logs.some((log) => log.message.includes(report.run.id))).toBe(true);
  });

  it.each(["PUT", "DELETE", "HEAD"])(
    "should answer %s with 405 before reading any setting",
    async (method) => {
      const handler = createAuditHttpHandler({
        ...makeWiring(ingestion.connectionString),
        env: {},
        createSource: refuseSource,
      });
      const response = await handler(request(method), makeContext("audit").context);

      expect(response.status).toBe(405);
      expect(response.headers).toMatchObject({ allow: "GET, POST" });
      expect(response.jsonBody).toEqual({
        error: {
          code: "METHOD_NOT_ALLOWED",
          message: `The audit function answers GET or POST, not ${method}.`,
        },
      });
    },
  );

  it("should answer 500 naming the missing connection string, touching nothing in Azure", async () => {
    const { context, logs } = makeContext("audit");
    const handler = createAuditHttpHandler({
      ...makeWiring(ingestion.connectionString),
      env: { DRIFT_AUDIT_POLICY_PATH: "policy" },
      createSource: refuseSource,
    });
    const response = await handler(request("GET"), context);

    expect(response.status).toBe(500);
    expect(response.jsonBody).toEqual({
      error: {
        code: "SETTING_MISSING",
        message: expect.stringContaining("APPLICATIONINSIGHTS_CONNECTION_STRING is not set"),
      },
    });
    expect(logs).toEqual([
      expect.objectContaining({
        level: "error",
        message: expect.stringContaining("SETTING_MISSING"),
      }),
    ]);
  });

  it("should answer 500 naming DRIFT_AUDIT_POLICY_PATH when it points nowhere", async () => {
    const handler = createAuditHttpHandler({
      ...makeWiring(ingestion.connectionString),
      env: {
        APPLICATIONINSIGHTS_CONNECTION_STRING: ingestion.connectionString,
        DRIFT_AUDIT_POLICY_PATH: "no-such-policy",
      },
      createSource: refuseSource,
    });
    const response = await handler(request("POST"), makeContext("audit").context);

    expect(response.status).toBe(500);
    expect(response.jsonBody).toMatchObject({
      error: {
        code: "SETTING_INVALID",
        message: expect.stringContaining("DRIFT_AUDIT_POLICY_PATH"),
      },
    });
  });

  it("should rethrow a failure that is not ours for the host to record", async () => {
    const handler = createAuditHttpHandler({
      ...makeWiring(ingestion.connectionString),
      createSource: () => {
        throw new TypeError("boom");
      },
    });

    await expect(handler(request("GET"), makeContext("audit").context)).rejects.toThrow("boom");
  });

  it("should have reached nothing beyond loopback", () => {
    expect(refusedConnections).toEqual([]);
  });
});
