import { HttpRequest } from "@azure/functions";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createAppInsightsEmitter } from "../../src/audit/emit/app-insights-emitter.js";
import type { AuditWiring } from "../../src/functions/audit-wiring.js";
import { hostWiring } from "../../src/functions/audit-wiring.js";
import { createAuditHttpHandler } from "../../src/functions/audit-http.js";
import { createNightlyAuditHandler } from "../../src/functions/nightly-audit.js";
import { startAzurite } from "../azurite/azurite.js";
import type { Azurite } from "../azurite/azurite.js";
import { startFakeAzure } from "../fake-azure/fake-azure.js";
import type { FakeAzure } from "../fake-azure/fake-azure.js";
import { refusedConnections } from "../fake-azure/loopback-guard.js";
import { startFakeIngestion } from "../fake-ingestion/fake-ingestion-server.js";
import { makeContext, makeTimer, REPO_ROOT } from "../functions/handler-kit.js";
import { DRIFT_NOW, makeDriftedEstate, plantedCanaries } from "./drifted-estate.js";
import { EXPECTED_DRIFT, summarise } from "./expected-drift.js";
import { makePolicyDirForFake } from "./policy-for-fake-dir.js";

type Ingestion = Awaited<ReturnType<typeof startFakeIngestion>>;

interface EventEnvelope {
  data?: { baseType?: string; baseData?: { name?: string; properties?: Record<string, string> } };
}

function eventsNamed(ingestion: Ingestion, name: string): Record<string, string>[] {
  return (ingestion.envelopes as EventEnvelope[])
    .filter((e) => e.data?.baseType === "EventData" && e.data.baseData?.name === name)
    .map((e) => e.data?.baseData?.properties ?? {});
}

describe("the Functions against the fake estate, live", () => {
  const estate = makeDriftedEstate();
  let fake: FakeAzure;
  let ingestion: Ingestion;
  let policy: { dir: string; remove: () => Promise<void> };
  let restoreEnv: () => void;
  let wiring: AuditWiring;
  let azurite: Azurite;

  beforeAll(async () => {
    azurite = await startAzurite();
    fake = await startFakeAzure(estate, { latencyMs: 0 });
    restoreEnv = fake.useManagedIdentityEnv();
    ingestion = await startFakeIngestion();
    policy = await makePolicyDirForFake(fake);
    // The host's own wiring (DefaultAzureCredential, live source), with the
    // settings a deployed app would have and telemetry kept off disk.
    wiring = {
      ...hostWiring,
      env: {
        DRIFT_AUDIT_POLICY_PATH: policy.dir,
        APPLICATIONINSIGHTS_CONNECTION_STRING: ingestion.connectionString,
        DRIFT_AUDIT_HISTORY_CONNECTION: azurite.connectionString,
      },
      appRoot: REPO_ROOT,
      createEmitters: (settings) => [
        createAppInsightsEmitter({
          connectionString: settings.appInsightsConnectionString,
          offlineStorage: false,
        }),
      ],
      now: () => new Date(DRIFT_NOW),
      clock: () => new Date("2026-12-01T02:00:00.021Z"),
    };
  });

  afterAll(async () => {
    restoreEnv();
    await policy.remove();
    await ingestion.close();
    await fake.close();
    await azurite.stop();
  }, 60_000);

  it("should answer the HTTP audit with exactly the planted drift", async () => {
    const { context } = makeContext("audit");
    const response = await createAuditHttpHandler(wiring)(
      new HttpRequest({ method: "GET", url: "https://localhost/api/audit" }),
      context,
    );
    const report = JSON.parse(response.body as string) as {
      run: { status: string };
      findings: { severity: string; ruleId: string; subject: string }[];
    };

    expect(response.status).toBe(200);
    expect(report.run.status).toBe("findings");
    expect(summarise(report.findings, policy.dir)).toEqual(EXPECTED_DRIFT);
  });

  it("should run the nightly audit and send one DriftFinding per finding and one DriftAuditRun", async () => {
    ingestion.envelopes.length = 0;
    const { context, logs } = makeContext("nightlyAudit");

    await createNightlyAuditHandler(wiring)(makeTimer(), context);

    const findings = eventsNamed(ingestion, "DriftFinding");
    const [run] = eventsNamed(ingestion, "DriftAuditRun");

    expect(
      findings.map(
        (f) => `${f["severity"]} ${f["ruleId"]} ${f["subject"]?.replace(policy.dir, "policy")}`,
      ),
    ).toEqual(EXPECTED_DRIFT);
    expect(new Set(findings.map((f) => f["lifecycle"]))).toEqual(new Set(["persisting"]));
    expect(run).toMatchObject({
      status: "findings",
      totalCount: String(EXPECTED_DRIFT.length),
      criticalCount: "1",
    });
    expect(new Set(findings.map((f) => f["runId"]))).toEqual(new Set([run?.["runId"]]));

    const everything = [
      ...ingestion.requests.map((r) => r.text),
      ...logs.map((l) => l.message),
    ].join("\n");
    for (const canary of plantedCanaries(estate)) {
      expect(everything).not.toContain(canary);
    }
  });

  it("should skip a second firing of the same schedule slot, and keep each run (A26)", async () => {
    ingestion.envelopes.length = 0;
    const { context, logs } = makeContext("nightlyAudit");
    const again = { ...wiring, clock: () => new Date("2026-12-01T02:00:00.088Z") };

    await createNightlyAuditHandler(again)(makeTimer(), context);

    expect(eventsNamed(ingestion, "DriftAuditRun")).toEqual([]);
    expect(logs.map((l) => l.message)).toContain(
      'nightly audit skipped: another invocation has this schedule slot {"runKey":"2026-12-01T02:00Z"}',
    );
    const container = BlobServiceClient.fromConnectionString(
      azurite.connectionString,
    ).getContainerClient("drift-audit");
    const names: string[] = [];
    const stored: string[] = [];
    for await (const blob of container.listBlobsFlat()) {
      names.push(blob.name.replace(/^runs\/[\d-]+\/[0-9a-f-]{36}/, "runs/<date>/<run>"));
      stored.push((await container.getBlobClient(blob.name).downloadToBuffer()).toString("utf8"));
    }

    // The HTTP run and the one nightly run, the slot's claim and the ledger.
    expect(names.sort()).toEqual([
      "claims/6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d/2026-12-01T02-00Z.json",
      "ledgers/6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d.json",
      "runs/<date>/<run>.json",
      "runs/<date>/<run>.json",
    ]);
    for (const canary of plantedCanaries(estate)) {
      expect(stored.join("\n")).not.toContain(canary);
    }
  });

  it("should run the next slot, whose findings persist", async () => {
    ingestion.envelopes.length = 0;
    const { context } = makeContext("nightlyAudit");
    const nextNight = { ...wiring, clock: () => new Date("2026-12-02T02:00:00.010Z") };

    await createNightlyAuditHandler(nextNight)(makeTimer(), context);

    const [run] = eventsNamed(ingestion, "DriftAuditRun");
    const lifecycles = new Set(eventsNamed(ingestion, "DriftFinding").map((f) => f["lifecycle"]));
    expect(run).toMatchObject({ runKey: "2026-12-02T02:00Z", newCount: "0" });
    expect(lifecycles).toEqual(new Set(["persisting"]));
  });

  it("should count a late firing as its own slot, not as a missed one (A27)", async () => {
    ingestion.envelopes.length = 0;
    const { context } = makeContext("nightlyAudit");
    const late = { ...wiring, clock: () => new Date("2026-12-03T02:07:30.000Z") };

    await createNightlyAuditHandler(late)(makeTimer({ isPastDue: true }), context);

    const [run] = eventsNamed(ingestion, "DriftAuditRun");
    const missed = eventsNamed(ingestion, "DriftFinding").filter(
      (f) => f["ruleId"] === "AUDIT_RUN_MISSED",
    );
    expect(run?.["runKey"]).toBe("2026-12-03T02:00Z");
    expect(missed).toEqual([]);
  });

  it("should report the nights the schedule should have run and did not (A27)", async () => {
    ingestion.envelopes.length = 0;
    const { context } = makeContext("nightlyAudit");
    const later = { ...wiring, clock: () => new Date("2026-12-05T02:00:00.015Z") };

    await createNightlyAuditHandler(later)(makeTimer({ isPastDue: false }), context);

    const missed = eventsNamed(ingestion, "DriftFinding").filter(
      (f) => f["ruleId"] === "AUDIT_RUN_MISSED",
    );
    expect(missed.map((f) => `${f["severity"]} ${f["subject"]} ${f["lifecycle"]}`)).toEqual([
      "medium 2026-12-04T02:00Z new",
    ]);
  });

  it("should never ask for a secret value or reach beyond loopback", () => {
    expect(fake.secretValueRequests()).toEqual([]);
    expect(fake.writeRequests()).toEqual([]);
    expect(refusedConnections).toEqual([]);
  });
});
