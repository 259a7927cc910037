/**
 * The run history on Azurite, through the real @azure/storage-blob client:
 * each run kept as a document, one ledger per subscription advanced run
 * after run, two runs at once both counted, a clock set back kept out of
 * the ledger, saved snapshots kept out entirely, and a history that cannot
 * be written reported after the run has gone to every other emitter.
 */
import { execFile } from "node:child_process";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";

import { DefaultAzureCredential } from "@azure/identity";
import { BlobServiceClient } from "@azure/storage-blob";
import type { ContainerClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AuditRun, RunEmitter } from "../../src/audit/audit-run.js";
import {
  createBlobRunHistory,
  ledgerBlobName,
  openBlobRunHistory,
  runBlobName,
} from "../../src/audit/emit/blob-run-history.js";
import type { FindingLedger } from "../../src/audit/findings/lifecycle.js";
import { silentLogger } from "../../src/audit/logger.js";
import { runAudit } from "../../src/audit/run-audit.js";
import type { RunAuditOptions } from "../../src/audit/run-audit.js";
import { startAzurite } from "../azurite/azurite.js";
import type { Azurite } from "../azurite/azurite.js";
import { makeDriftedEstate, DRIFT_NOW } from "../e2e/drifted-estate.js";
import { makePolicyDirForFake } from "../e2e/policy-for-fake-dir.js";
import { startFakeAzure } from "../fake-azure/fake-azure.js";
import type { FakeAzure } from "../fake-azure/fake-azure.js";
import { makeFinding, makeRun } from "./run-builders.js";

const SUBSCRIPTION = "11111111-1111-1111-1111-111111111111";
const OTHER = "22222222-2222-2222-2222-222222222222";

let azurite: Azurite;
let service: BlobServiceClient;
let containers = 0;

beforeAll(async () => {
  azurite = await startAzurite();
  service = BlobServiceClient.fromConnectionString(azurite.connectionString);
}, 60_000);

afterAll(async () => {
  await azurite.stop();
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));

  return port;
}

function freshContainer(): ContainerClient {
  containers += 1;

  return service.getContainerClient(`history-${containers}`);
}

async function readJson<T>(container: ContainerClient, name: string): Promise<T> {
  const buffer = await container.getBlockBlobClient(name).downloadToBuffer();

  return JSON.parse(buffer.toString("utf8")) as T;
}

async function listBlobs(container: ContainerClient): Promise<string[]> {
  const names: string[] = [];
  for await (const blob of container.listBlobsFlat()) {
    names.push(blob.name);
  }

  return names;
}

const A = makeFinding({ id: "aaaaaaaaaaaaaaaa" });
const B = makeFinding({ id: "bbbbbbbbbbbbbbbb", ruleId: "ROTATION_OVERDUE" });

function runOf(id: string, findings = [A, B], now = "2026-12-01T00:00:00.000Z"): AuditRun {
  return makeRun({ id, findings, now, startedAt: now });
}

describe("the run history on Azurite", () => {
  it("should create its container, keep the run and start the subscription's ledger", async () => {
    const container = freshContainer();
    const run = runOf("run-1");

    const lifecycle = await createBlobRunHistory(container).record(run);

    expect(lifecycle?.states).toEqual({ [A.id]: "new", [B.id]: "new" });
    const stored = await readJson<AuditRun>(container, runBlobName(run));
    expect(stored.lifecycle).toEqual(lifecycle);
    expect(await listBlobs(container)).toEqual([
      `ledgers/${SUBSCRIPTION}.json`,
      "runs/2026-12-01/run-1.json",
    ]);
    const ledger = await readJson<FindingLedger>(container, ledgerBlobName(SUBSCRIPTION));
    expect(Object.keys(ledger.entries).sort()).toEqual([A.id, B.id]);
  });

  it("should compare each run with the ledger the last one left", async () => {
    const history = createBlobRunHistory(freshContainer());

    await history.record(runOf("run-1"));
    const second = await history.record(runOf("run-2", [A], "2026-12-02T00:00:00.000Z"));
    const third = await history.record(runOf("run-3", [A, B], "2026-12-03T00:00:00.000Z"));

    expect(second?.states).toEqual({ [A.id]: "persisting" });
    expect(second?.resolved.map((entry) => entry.id)).toEqual([B.id]);
    expect(third?.states).toEqual({ [A.id]: "persisting", [B.id]: "reopened" });
    expect(third?.previousRunId).toBe("run-2");
  });

  it("should keep a run judged before the ledger's last update out of the ledger", async () => {
    const container = freshContainer();
    const history = createBlobRunHistory(container);
    await history.record(runOf("run-today", [A, B], "2026-12-02T00:00:00.000Z"));

    // --now a year back, on a run started today.
    const backdated = await history.record(
      makeRun({
        id: "run-backdated",
        findings: [],
        now: "2025-01-01T00:00:00.000Z",
        startedAt: "2026-12-02T00:00:05.000Z",
      }),
    );

    expect(backdated).toBeUndefined();
    const ledger = await readJson<FindingLedger>(container, ledgerBlobName(SUBSCRIPTION));
    expect(ledger.lastRunId).toBe("run-today");
    expect(Object.values(ledger.entries).map((entry) => entry.state)).toEqual(["open", "open"]);
  });

  it("should count a run that lost a write race, seconds behind the winner", async () => {
    const container = freshContainer();
    const history = createBlobRunHistory(container);
    await history.record(runOf("winner", [A], "2026-12-01T02:00:05.000Z"));

    const loser = await history.record(runOf("loser", [A, B], "2026-12-01T02:00:01.000Z"));

    expect(loser?.states).toEqual({ [A.id]: "persisting", [B.id]: "new" });
  });

  it("should not let a run with its clock set ahead freeze the ledger", async () => {
    const container = freshContainer();
    const history = createBlobRunHistory(container);
    const ahead = makeRun({ id: "what-if", now: "2030-01-01T00:00:00.000Z", findings: [A] });

    expect(await history.record(ahead)).toBeUndefined();
    expect((await history.record(runOf("tonight")))?.states).toEqual({
      [A.id]: "new",
      [B.id]: "new",
    });
  });

  it("should let the first real run take over a ledger an earlier bug pushed ahead", async () => {
    const container = freshContainer();
    const frozen = {
      schemaVersion: 1,
      updatedAt: "2030-01-01T00:00:00.000Z",
      lastRunId: "x",
      entries: {},
    };
    const body = JSON.stringify(frozen);
    await container.createIfNotExists();
    await container.getBlockBlobClient(ledgerBlobName(SUBSCRIPTION)).upload(body, body.length);

    const tonight = await createBlobRunHistory(container).record(runOf("tonight"));

    expect(tonight?.states).toEqual({ [A.id]: "new", [B.id]: "new" });
  });

  it("should keep one ledger per subscription", async () => {
    const container = freshContainer();
    const history = createBlobRunHistory(container);
    await history.record(runOf("run-1"));

    const other = await history.record(
      makeRun({
        id: "run-other",
        findings: [],
        subscriptionId: "22222222-2222-2222-2222-222222222222",
      }),
    );

    expect(other?.resolved).toEqual([]);
    const ledger = await readJson<FindingLedger>(container, ledgerBlobName(SUBSCRIPTION));
    expect(Object.values(ledger.entries).map((entry) => entry.state)).toEqual(["open", "open"]);
  });

  it("should let only the first of two firings claim a schedule slot", async () => {
    const container = freshContainer();
    const [first, second] = await Promise.all([
      createBlobRunHistory(container).claim(SUBSCRIPTION, "2026-12-01T02:00Z"),
      createBlobRunHistory(container).claim(SUBSCRIPTION, "2026-12-01T02:00Z"),
    ]);

    expect([first, second].sort()).toEqual([false, true]);
    expect(await createBlobRunHistory(container).claim(SUBSCRIPTION, "2026-12-02T02:00Z")).toBe(
      true,
    );
    // Another subscription's app sharing the container has its own slots.
    expect(await createBlobRunHistory(container).claim(OTHER, "2026-12-01T02:00Z")).toBe(true);
    expect(
      await createBlobRunHistory(container).previousClaim(SUBSCRIPTION, "2026-12-03T02:00Z"),
    ).toBe("2026-12-02T02:00Z");
  });

  it("should count two runs recorded at once, neither overwriting the other", async () => {
    const container = freshContainer();
    await createBlobRunHistory(container).record(runOf("run-0", []));

    const [left, right] = await Promise.all([
      createBlobRunHistory(container).record(runOf("run-left", [A])),
      createBlobRunHistory(container).record(runOf("run-right", [B])),
    ]);

    const ledger = await readJson<FindingLedger>(container, ledgerBlobName(SUBSCRIPTION));
    // Whichever wrote second saw the first one's finding, and resolved it.
    expect([left?.resolved.length, right?.resolved.length].sort()).toEqual([0, 1]);
    expect(Object.keys(ledger.entries).sort()).toEqual([A.id, B.id]);
  });
});

describe("runAudit with a run history, live against the fake estate", () => {
  let fake: FakeAzure;
  let policy: { dir: string; remove: () => Promise<void> };
  let restoreEnv: () => void;

  beforeAll(async () => {
    fake = await startFakeAzure(makeDriftedEstate(), { latencyMs: 0 });
    restoreEnv = fake.useManagedIdentityEnv();
    policy = await makePolicyDirForFake(fake);
  });

  afterAll(async () => {
    restoreEnv();
    await policy.remove();
    await fake.close();
  });

  function liveOptions(overrides: Partial<RunAuditOptions> = {}): RunAuditOptions {
    return {
      policyPath: policy.dir,
      source: { kind: "live", credential: new DefaultAzureCredential() },
      now: new Date(DRIFT_NOW),
      logger: silentLogger,
      emitters: [],
      ...overrides,
    };
  }

  it("should give each finding its lifecycle, night after night", async () => {
    const history = createBlobRunHistory(freshContainer());

    const first = await runAudit(liveOptions({ history }));
    const second = await runAudit(liveOptions({ history }));

    expect(new Set(Object.values(first.lifecycle?.states ?? {}))).toEqual(new Set(["new"]));
    expect(new Set(Object.values(second.lifecycle?.states ?? {}))).toEqual(new Set(["persisting"]));
    expect(Object.keys(second.lifecycle?.states ?? {}).sort()).toEqual(
      second.findings.map((finding) => finding.id).sort(),
    );
  });

  it("should leave the history alone when auditing a saved snapshot", async () => {
    const container = freshContainer();

    const run = await runAudit({
      policyPath: "policy",
      source: { kind: "snapshot", file: "examples/demo-estate.json" },
      now: new Date("2026-12-01T00:00:00Z"),
      logger: silentLogger,
      emitters: [],
      history: createBlobRunHistory(container),
    });

    expect(run.lifecycle).toBeUndefined();
    expect(await container.exists()).toBe(false);
  });

  it("should report the run everywhere else, then fail, when the history cannot be written", async () => {
    const unreachable = openBlobRunHistory(
      {
        kind: "connectionString",
        // A loopback port nothing listens on any more.
        connectionString: azurite.connectionString.replace(/:\d+\//, `:${await closedPort()}/`),
        container: "drift-audit",
      },
      undefined,
    );
    const received: AuditRun[] = [];
    const emitter: RunEmitter = {
      name: "test",
      emit: (run) => {
        received.push(run);

        return Promise.resolve();
      },
    };

    const audit = runAudit(liveOptions({ emitters: [emitter], history: unreachable }));

    await expect(audit).rejects.toMatchObject({ code: "RUN_HISTORY_FAILED" });
    expect(received).toHaveLength(1);
    expect(received[0]?.lifecycle).toBeUndefined();
  });

  it("should join the CLI's live runs to the history the environment names", async () => {
    const env = {
      ...process.env,
      IDENTITY_ENDPOINT: fake.identityEndpoint,
      IDENTITY_HEADER: fake.identityHeader,
      AZURE_TOKEN_CREDENTIALS: "ManagedIdentityCredential",
      DRIFT_AUDIT_HISTORY_CONNECTION: azurite.connectionString,
      DRIFT_AUDIT_HISTORY_CONTAINER: "cli-runs",
    };
    const args = ["bin/drift-audit.js", "audit", "--policy", policy.dir, "--live"];
    const audit = async () => {
      const result = await promisify(execFile)(
        process.execPath,
        [...args, "--now", DRIFT_NOW, "--format", "json"],
        { env },
      ).catch((error: { stdout: string }) => error);

      return JSON.parse(result.stdout) as { lifecycle?: { states: Record<string, string> } };
    };

    const first = await audit();
    const second = await audit();

    expect(new Set(Object.values(first.lifecycle?.states ?? {}))).toEqual(new Set(["new"]));
    expect(new Set(Object.values(second.lifecycle?.states ?? {}))).toEqual(new Set(["persisting"]));
  });
});
