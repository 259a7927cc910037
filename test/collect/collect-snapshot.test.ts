import { afterEach, describe, expect, it } from "vitest";

import { DEFAULT_IDS, makeDefaultEstate } from "../fake-azure/default-estate.js";
import { refusedConnections } from "../fake-azure/loopback-guard.js";
import { plantedValues, startHarness } from "./collect-test-kit.js";
import type { CollectHarness } from "./collect-test-kit.js";

describe("collectSnapshot against the fake, through DefaultAzureCredential", () => {
  let harness: CollectHarness;

  afterEach(async () => {
    await harness.close();
  });

  it("should read sites, settings, secrets and role assignments of the seeded estate", async () => {
    harness = await startHarness();

    const snapshot = await harness.collect();

    expect(snapshot.gaps).toEqual([]);
    expect(snapshot.notFound).toEqual([]);
    expect(snapshot.sites.map((s) => [s.name, s.slot, s.identity?.principalId])).toEqual([
      ["ai-trader-api", undefined, DEFAULT_IDS.apiPrincipalId],
      ["ai-trader-ui", undefined, DEFAULT_IDS.uiPrincipalId],
    ]);
    const api = snapshot.sites[0]!;
    expect(api.keyVaultReferenceIdentity).toBe("SystemAssigned");
    expect(api.outboundIpAddresses).toEqual(["203.0.113.10", "203.0.113.11"]);
    expect(api.settings.find((s) => s.name === "DATABASE_URL")).toEqual({
      name: "DATABASE_URL",
      kind: "appSetting",
      valueKind: "keyVaultReference",
      reference: {
        form: "SecretUri",
        vaultName: "kv-ai-trader-prod",
        secretName: "POSTGRES-CONN",
        secretVersion: undefined,
      },
    });
    expect(api.settings.find((s) => s.name === "WEBSITES_PORT")).toEqual({
      name: "WEBSITES_PORT",
      kind: "appSetting",
      valueKind: "plaintext",
    });
    expect(api.configReferences?.find((r) => r.name === "DATABASE_URL")?.status).toBe("Resolved");
    expect(snapshot.vaults[0]!.secrets.map((s) => s.name)).toHaveLength(9);
    expect(snapshot.vaults[0]!.secretsSource).toBe("dataPlane");
    expect(snapshot.vaults[0]!.enableRbacAuthorization).toBe(true);
    expect(new Set(snapshot.principalsQueried)).toEqual(
      new Set([DEFAULT_IDS.apiPrincipalId, DEFAULT_IDS.uiPrincipalId, DEFAULT_IDS.ciPrincipalId]),
    );
    expect(snapshot.roleDefinitions.map((d) => d.roleName)).toContain("Key Vault Secrets User");
    expect(
      snapshot.roleAssignments.filter((a) => a.principalId === DEFAULT_IDS.apiPrincipalId),
    ).toHaveLength(4);
  });

  it("should get tokens only from the App Service token endpoint and reach nothing else", async () => {
    harness = await startHarness();

    await harness.collect();

    const { fake } = harness;
    const unauthorized = fake.requests((r) => !r.authorized);
    expect(unauthorized.every((r) => r.server.startsWith("vault:") && r.status === 401)).toBe(true);
    expect(fake.requests((r) => r.server === "arm").every((r) => r.authorized)).toBe(true);
    expect(refusedConnections).toEqual([]);
  });

  it("should answer Key Vault's challenge and follow every nextLink", async () => {
    harness = await startHarness();

    const snapshot = await harness.collect();

    const { fake } = harness;
    const vaultLists = fake.requests((r) => r.server.startsWith("vault:") && r.path === "/secrets");
    expect(vaultLists[0]).toMatchObject({ authorized: false, status: 401 });
    expect(
      vaultLists.filter((r) => r.query.$skiptoken !== undefined).length,
    ).toBeGreaterThanOrEqual(4);
    const pagedAssignments = fake.requests(
      (r) => r.path.endsWith("/roleAssignments") && r.query.$skiptoken !== undefined,
    );
    expect(pagedAssignments.length).toBeGreaterThan(0);
    expect(
      snapshot.roleAssignments.filter((a) => a.principalId === DEFAULT_IDS.uiPrincipalId),
    ).toHaveLength(4);
  });

  it("should never ask for a secret value nor change anything", async () => {
    harness = await startHarness();

    await harness.collect();

    expect(harness.fake.secretValueRequests()).toEqual([]);
    expect(harness.fake.writeRequests()).toEqual([]);
  });

  it("should keep every planted setting and secret value out of the snapshot and the log", async () => {
    const estate = makeDefaultEstate();
    estate.sites[0]!.appSettings.LEAKY_STRIPE_KEY = "sk_live_CANARY0123456789abcdef";
    estate.sites[0]!.appSettings.LEAKY_STORAGE =
      "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=CANARYKEY0123456789==;";
    estate.sites[1]!.connectionStrings.Main = {
      value: "Server=db;Password=CANARY-PW-0123;",
      type: "SQLAzure",
    };
    harness = await startHarness(estate);

    const snapshot = await harness.collect();

    const text = JSON.stringify(snapshot) + harness.logLines.join("");
    const planted = plantedValues(estate);
    expect(planted.length).toBeGreaterThan(20);
    expect(planted.filter((value) => text.includes(value))).toEqual([]);
    expect(text).not.toContain("CANARY");
    expect(snapshot.sites[0]!.settings.find((s) => s.name === "LEAKY_STRIPE_KEY")).toMatchObject({
      valueKind: "plaintext",
      valueShape: "Stripe key",
    });
  });
});
