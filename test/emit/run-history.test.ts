/**
 * The run history on Azurite, through the real @azure/storage-blob client:
 * each run kept as a document, the ledger advanced run after run, two runs
 * at once both counted, and a history that cannot be written reported
 * after the run has gone to every other emitter.
 */
import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { promisify } from "node:util";
import type { AddressInfo } from "node:net";

import { BlobServiceClient } from "@azure/storage-blob";
import type { ContainerClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { AuditRun, RunEmitter } from "../../src/audit/audit-run.js";
import {
  createBlobRunHistory,
  LEDGER_BLOB,
  openBlobRunHistory,
  runBlobName,
} from "../../src/audit/emit/blob-run-history.js";
import type { FindingLedger } from "../../src/audit/findings/lifecycle.js";
import { silentLogger } from "../../src/audit/logger.js";
import { runAudit } from "../../src/audit/run-audit.js";
import { startAzurite } from "../azurite/azurite.js";
import type { Azurite } from "../azurite/azurite.js";
import { makeFinding, makeRun } from "./run-builders.js";

let azurite: Azurite;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));

  return port;
}
let service: BlobServiceClient;
let containers = 0;

beforeAll(async () => {
  azurite = await startAzurite();
  service = BlobServiceClient.fromConnectionString(azurite.connectionString);
}, 60_000);

afterAll(async () => {
  await azurite.stop();
});

function freshContainer(): ContainerClient {
  containers += 1;

  return service.getContainerClient(`history-${containers}`);
}

async function readJson<T>(container: ContainerClient, name: string): Promise<T> {
  const buffer = await container.getBlockBlobClient(name).downloadToBuffer();

  return JSON.parse(buffer.toString("utf8")) as T;
}

const A = makeFinding({ id: "aaaaaaaaaaaaaaaa" });
const B = makeFinding({ id: "bbbbbbbbbbbbbbbb", ruleId: "ROTATION_OVERDUE" });

function runOf(id: string, findings = [A, B]): AuditRun {
  return makeRun({ id, findings });
}

describe("the run history on Azurite", () => {
  it("should create its container, keep the run and start the ledger", async () => {
    const container = freshContainer();
    const history = createBlobRunHistory(container);
    const run = runOf("run-1");

    const lifecycle = await history.record(run);

    expect(lifecycle.states).toEqual({ [A.id]: "new", [B.id]: "new" });
    const stored = await readJson<AuditRun>(container, runBlobName(run));
    expect(stored.id).toBe("run-1");
    expect(stored.lifecycle).toEqual(lifecycle);
    expect(runBlobName(run)).toBe("runs/2026-12-01/run-1.json");
    const ledger = await readJson<FindingLedger>(container, LEDGER_BLOB);
    expect(Object.keys(ledger.entries).sort()).toEqual([A.id, B.id]);
    expect(ledger.lastRunId).toBe("run-1");
  });

  it("should compare each run with the ledger the last one left", async () => {
    const history = createBlobRunHistory(freshContainer());

    await history.record(runOf("run-1"));
    const second = await history.record(runOf("run-2", [A]));
    const third = await history.record(runOf("run-3"));

    expect(second.states).toEqual({ [A.id]: "persisting" });
    expect(second.resolved.map((entry) => entry.id)).toEqual([B.id]);
    expect(third.states).toEqual({ [A.id]: "persisting", [B.id]: "reopened" });
    expect(third.previousRunId).toBe("run-2");
  });

  it("should count two runs recorded at once, neither overwriting the other", async () => {
    const container = freshContainer();
    await createBlobRunHistory(container).record(runOf("run-0", []));

    const [left, right] = await Promise.all([
      createBlobRunHistory(container).record(runOf("run-left", [A])),
      createBlobRunHistory(container).record(runOf("run-right", [B])),
    ]);

    const ledger = await readJson<FindingLedger>(container, LEDGER_BLOB);
    // Whichever wrote second saw the first one's finding, and resolved it.
    expect([left.resolved.length, right.resolved.length].sort()).toEqual([0, 1]);
    expect(Object.keys(ledger.entries).sort()).toEqual([A.id, B.id]);
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

    const audit = runAudit({
      policyPath: "policy",
      source: { kind: "snapshot", file: "examples/demo-estate.json" },
      now: new Date("2026-12-01T00:00:00Z"),
      logger: silentLogger,
      emitters: [emitter],
      history: unreachable,
    });

    await expect(audit).rejects.toMatchObject({ code: "RUN_HISTORY_FAILED" });
    expect(received).toHaveLength(1);
    expect(received[0]?.lifecycle).toBeUndefined();
  });

  it("should join the CLI's runs to the history the environment names", async () => {
    const env = {
      ...process.env,
      DRIFT_AUDIT_HISTORY_CONNECTION: azurite.connectionString,
      DRIFT_AUDIT_HISTORY_CONTAINER: "cli-runs",
    };
    const args = [
      "bin/drift-audit.js",
      "audit",
      "--policy",
      "policy",
      "--snapshot",
      "examples/demo-estate.json",
      "--now",
      "2026-12-01T00:00:00Z",
      "--format",
      "json",
    ];
    const audit = async () => {
      const result = await promisify(execFile)(process.execPath, args, { env }).catch(
        (error: { stdout: string }) => error,
      );

      return JSON.parse(result.stdout) as { lifecycle?: { states: Record<string, string> } };
    };

    const first = await audit();
    const second = await audit();

    expect(new Set(Object.values(first.lifecycle?.states ?? {}))).toEqual(new Set(["new"]));
    expect(new Set(Object.values(second.lifecycle?.states ?? {}))).toEqual(new Set(["persisting"]));
  });

  it("should give the audit's findings their lifecycle through runAudit", async () => {
    const container = freshContainer();
    const options = {
      policyPath: "policy",
      source: { kind: "snapshot" as const, file: "examples/demo-estate.json" },
      now: new Date("2026-12-01T00:00:00Z"),
      logger: silentLogger,
      emitters: [],
      history: createBlobRunHistory(container),
    };

    const first = await runAudit(options);
    const second = await runAudit(options);

    expect(new Set(Object.values(first.lifecycle?.states ?? {}))).toEqual(new Set(["new"]));
    expect(new Set(Object.values(second.lifecycle?.states ?? {}))).toEqual(new Set(["persisting"]));
    expect(Object.keys(second.lifecycle?.states ?? {}).sort()).toEqual(
      second.findings.map((finding) => finding.id).sort(),
    );
  });
});
