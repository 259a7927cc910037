/**
 * A snapshot file that does not say it read something must not pass for
 * one that read it and found nothing: each missing part becomes a gap, so
 * the run is incomplete and the report says what to collect again.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { loadPolicy } from "../../src/audit/load-policy.js";
import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import { readSnapshotFile } from "../../src/audit/snapshot-file.js";

const NOW = new Date("2026-12-01T00:00:00Z");
const SUBSCRIPTION = "/subscriptions/6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d";

let dir = "";

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "drift-older-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeDemoWithout(fields: string[], siteFields: string[] = []): Promise<string> {
  const snapshot = JSON.parse(await readFile("examples/demo-estate.json", "utf8")) as Record<
    string,
    unknown
  > & { sites: Record<string, unknown>[] };
  for (const field of fields) {
    Reflect.deleteProperty(snapshot, field);
  }
  for (const site of snapshot.sites) {
    for (const field of siteFields) {
      Reflect.deleteProperty(site, field);
    }
  }
  const file = join(dir, "older.json");
  await writeFile(file, JSON.stringify(snapshot));

  return file;
}

async function notEvaluated(file: string): Promise<string[]> {
  const policy = await loadPolicy("policy");
  const findings = evaluateRules({ policy, snapshot: await readSnapshotFile(file), now: NOW });

  return findings.filter((f) => f.ruleId === "NOT_EVALUATED").map((f) => f.subject);
}

describe("a snapshot file that lacks what the collector always records", () => {
  it("should add no gap to a snapshot the collector wrote", async () => {
    expect(await notEvaluated("examples/demo-estate.json")).toEqual([]);
  });

  it("should turn each missing part into a gap that names it", async () => {
    const file = await writeDemoWithout(
      ["scopesQueried", "principalGroups", "denyAssignments"],
      ["configReferences"],
    );
    const snapshot = await readSnapshotFile(file);

    expect(snapshot.gaps.map((gap) => `${gap.what} ${gap.resourceId}`)).toEqual([
      `roleAssignments.scope ${SUBSCRIPTION}`,
      `roleAssignments.viaGroups ${SUBSCRIPTION}`,
      `denyAssignments ${SUBSCRIPTION}`,
      ...snapshot.sites.map((site) => `configReferences.appSettings ${site.resourceId}`),
    ]);
    expect(snapshot.gaps[0]?.reason).toBe(
      "the snapshot does not record which scopes' role assignments it listed (it was written " +
        "by an older collector or by hand); collect a new one",
    );
    expect(await notEvaluated(file)).toEqual(
      expect.arrayContaining(["roleAssignments.scope: 6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d"]),
    );
  });
});
