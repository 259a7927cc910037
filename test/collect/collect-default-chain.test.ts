import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { refusedConnections } from "../fake-azure/loopback-guard.js";
import { startHarness } from "./collect-test-kit.js";
import type { CollectHarness } from "./collect-test-kit.js";

// Its own file, so that MSAL picks its managed-identity source in a fresh
// process under the full chain (it keeps that choice for the process).
describe("collectSnapshot with the full DefaultAzureCredential chain", () => {
  let harness: CollectHarness;
  const saved = process.env.AZURE_TOKEN_CREDENTIALS;

  beforeAll(async () => {
    delete process.env.AZURE_TOKEN_CREDENTIALS;
    harness = await startHarness();
  });

  afterAll(async () => {
    process.env.AZURE_TOKEN_CREDENTIALS = saved;
    await harness.close();
  });

  // Without AZURE_TOKEN_CREDENTIALS the chain tries environment and workload
  // identity first (unconfigured, so they send nothing), then managed
  // identity, which MSAL resolves to App Service from IDENTITY_ENDPOINT and
  // IDENTITY_HEADER ahead of IMDS: nothing may probe a metadata address.
  it("should get its tokens from the App Service endpoint and reach nothing else", async () => {
    const snapshot = await harness.collect();

    expect(snapshot.gaps).toEqual([]);
    expect(harness.fake.requests((r) => r.server === "identity").length).toBeGreaterThan(0);
    expect(refusedConnections).toEqual([]);
  });
});
