import { readFile, writeFile } from "node:fs/promises";

import { DefaultAzureCredential } from "@azure/identity";
import { describe, expect, it } from "vitest";

import { collectSnapshot } from "../../src/audit/collect/collect-snapshot.js";
import { loadPolicy } from "../../src/audit/load-policy.js";
import { silentLogger } from "../../src/audit/logger.js";
import type { Snapshot } from "../../src/audit/snapshot/snapshot.js";
import { startFakeAzure } from "../fake-azure/fake-azure.js";
import { makeDriftedEstate, plantedCanaries } from "./drifted-estate.js";
import { makePolicyDirForFake } from "./policy-for-fake-dir.js";

const DEMO_FILE = "examples/demo-estate.json";
const REAL_VAULT_URL = "https://kv-ai-trader-prod.vault.azure.net";

/**
 * The demo's snapshot is what the real collector saw of the drifted estate,
 * not a hand-written file: this test collects it again and compares.
 * `UPDATE_DEMO_ESTATE=1 npx vitest run test/e2e/demo-estate.test.ts` rewrites it.
 */
async function collectDemoSnapshot(): Promise<Snapshot> {
  const estate = makeDriftedEstate();
  const fake = await startFakeAzure(estate, { latencyMs: 0 });
  const restoreEnv = fake.useManagedIdentityEnv();
  const policyDir = await makePolicyDirForFake(fake);

  try {
    const policy = await loadPolicy(policyDir.dir);
    const snapshot = await collectSnapshot(policy, {
      credential: new DefaultAzureCredential(),
      logger: silentLogger,
    });

    return normalise(snapshot, fake.vaultUrl("kv-ai-trader-prod"));
  } finally {
    restoreEnv();
    await policyDir.remove();
    await fake.close();
  }
}

/** Replaces what depends on the fake's ports and the clock. */
function normalise(snapshot: Snapshot, fakeVaultUrl: string): Snapshot {
  const text = JSON.stringify(snapshot).replaceAll(fakeVaultUrl.replace(/\/$/, ""), REAL_VAULT_URL);

  return { ...(JSON.parse(text) as Snapshot), collectedAt: "2026-12-01T00:00:00.000Z" };
}

describe("the demo estate", () => {
  it("should be exactly what the collector sees of the drifted estate, with no value in it", async () => {
    const snapshot = await collectDemoSnapshot();
    const rendered = JSON.stringify(snapshot, null, 2) + "\n";

    if (process.env["UPDATE_DEMO_ESTATE"] === "1") {
      await writeFile(DEMO_FILE, rendered, "utf8");
    }

    expect(await readFile(DEMO_FILE, "utf8")).toBe(rendered);
    for (const canary of plantedCanaries(makeDriftedEstate())) {
      expect(rendered).not.toContain(canary);
    }
  });
});
