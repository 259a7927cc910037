/**
 * A snapshot of another subscription is refused before any rule runs. The
 * error must send the reader to where the policy's subscription is
 * written: the bindings, or, with no bindings, the doc's own facts table.
 */
import { copyFile, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { silentLogger } from "../../src/audit/logger.js";
import { runAudit } from "../../src/audit/run-audit.js";
import { makeBindings, makeDoc, parseOk } from "../policy/builders.js";

const DEMO_ESTATE = "examples/demo-estate.json";
const DEMO_SUB = "6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d";
const SHAPE_02 = "test/fixtures/matrix-shapes/shape-02-three-tables-fenced-code.md";
const SHAPE_02_SUB = "1a2b3c4d-0000-4000-8000-000000000201";

async function auditDemoEstate(policyPath: string): Promise<unknown> {
  return runAudit({
    policyPath,
    source: { kind: "snapshot", file: DEMO_ESTATE },
    now: new Date("2026-12-01T00:00:00Z"),
    logger: silentLogger,
    emitters: [],
  });
}

describe("a snapshot of another subscription", () => {
  it("should name the doc and its facts line when the doc alone gives the subscription", async () => {
    const dir = await mkdtemp(join(tmpdir(), "drift-sub-"));
    const doc = join(dir, "secrets.md");
    await copyFile(SHAPE_02, doc);

    await expect(auditDemoEstate(dir)).rejects.toMatchObject({
      code: "SNAPSHOT_SUBSCRIPTION_MISMATCH",
      message:
        `Snapshot ${DEMO_ESTATE} was collected from subscription ${DEMO_SUB}, but the doc ` +
        `${doc} names ${SHAPE_02_SUB} in its vault facts (line 11); collect a snapshot with ` +
        `this policy, or correct the subscription at ${doc}:11, or write subscriptionId in a ` +
        "bindings.yaml beside the doc and pass the directory as --policy.",
    });
  });

  it("should name the bindings file and line when the bindings give it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "drift-sub-"));
    const bindings = join(dir, "bindings.yaml");
    await copyFile(SHAPE_02, join(dir, "secrets.md"));
    await writeFile(bindings, `resourceGroup: rg-app\nsubscriptionId: ${SHAPE_02_SUB}\n`);

    await expect(auditDemoEstate(dir)).rejects.toMatchObject({
      code: "SNAPSHOT_SUBSCRIPTION_MISMATCH",
      message:
        `Snapshot ${DEMO_ESTATE} was collected from subscription ${DEMO_SUB}, but the ` +
        `bindings ${bindings} name ${SHAPE_02_SUB} (line 2); collect a snapshot with this ` +
        `policy, or fix subscriptionId in ${bindings}.`,
    });
  });

  it("should record the bindings as the source, and no source when nothing names one", () => {
    expect(parseOk(makeDoc()).policy).not.toHaveProperty("subscriptionSource");
    expect(parseOk(makeDoc(), makeBindings()).policy.subscriptionSource).toEqual({
      kind: "bindings",
      docRef: { file: "bindings.yaml", line: 1, column: 1 },
    });
  });
});
