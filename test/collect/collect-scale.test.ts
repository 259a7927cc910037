import { afterEach, describe, expect, it } from "vitest";

import type { AppBinding } from "../../src/audit/policy/policy-model.js";
import { DEFAULT_IDS, makeDefaultEstate } from "../fake-azure/default-estate.js";
import { makeSite, makeSystemIdentity } from "../fake-azure/estate-builders.js";
import type { FakeEstate } from "../fake-azure/estate-model.js";
import { startHarness } from "./collect-test-kit.js";
import type { CollectHarness } from "./collect-test-kit.js";

const RG = DEFAULT_IDS.resourceGroup;

function makeWideEstate(appCount: number): {
  estate: FakeEstate;
  apps: Record<string, AppBinding>;
} {
  const estate = makeDefaultEstate();
  const apps: Record<string, AppBinding> = {};
  const template = estate.sites[0]!.appSettings;

  for (let i = 0; i < appCount; i += 1) {
    const name = `app-${String(i).padStart(3, "0")}`;
    const principalId = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    estate.sites.push(
      makeSite({
        name,
        resourceGroup: RG,
        identity: makeSystemIdentity(principalId, DEFAULT_IDS.tenantId),
        appSettings: { ...template },
      }),
    );
    apps[name] = {
      name,
      resourceGroup: RG,
      resourceId: `/subscriptions/${DEFAULT_IDS.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Web/sites/${name}`,
      slots: [],
    };
  }

  return { estate, apps };
}

describe("collectSnapshot at scale", () => {
  let harness: CollectHarness;

  afterEach(async () => {
    await harness.close();
  });

  it("should keep the number of apps read at once within the bound", async () => {
    const { estate, apps } = makeWideEstate(24);
    harness = await startHarness(estate, {}, { latencyMs: 15 });
    harness.policy.apps = apps;

    const snapshot = await harness.collect({ concurrency: 2 });

    expect(snapshot.sites).toHaveLength(24);
    expect(snapshot.gaps).toEqual([]);
    // Each app reads up to six things at once: its slots, sticky names, two
    // settings documents and two reference lists.
    expect(harness.fake.maxInFlight()).toBeLessThanOrEqual(2 * 6);
    expect(harness.fake.maxInFlight()).toBeGreaterThan(2);
  });

  // About 3,000 requests; against real ARM latency (~200 ms) the bound of 8
  // apps at a time puts this near 30 s, far inside a Function's timeout.
  it("should read two hundred apps without a gap", async () => {
    const { estate, apps } = makeWideEstate(200);
    harness = await startHarness(estate);
    harness.policy.apps = apps;
    const started = Date.now();

    const snapshot = await harness.collect();

    expect(snapshot.sites).toHaveLength(200);
    expect(snapshot.gaps).toEqual([]);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
