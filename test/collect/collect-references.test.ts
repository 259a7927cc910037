import { afterEach, describe, expect, it } from "vitest";

import { DEFAULT_IDS, makeDefaultEstate } from "../fake-azure/default-estate.js";
import {
  makeHexId,
  makeKeyVaultReference,
  makeSecret,
  makeSecretVersion,
  makeSlot,
  makeSystemIdentity,
  toUnixSeconds,
} from "../fake-azure/estate-builders.js";
import { startHarness } from "./collect-test-kit.js";
import type { CollectHarness } from "./collect-test-kit.js";

const VAULT = DEFAULT_IDS.vaultName;
const STAGING_PRINCIPAL = "33333333-0000-4000-8000-000000000003";

function versionRequests(harness: CollectHarness): string[] {
  return harness.fake.requests((r) => r.path.endsWith("/versions")).map((r) => r.path);
}

describe("collectSnapshot: slots, connection strings, reference status, versions", () => {
  let harness: CollectHarness;

  afterEach(async () => {
    await harness.close();
  });

  it("should audit every slot as its own site, declared or not", async () => {
    const estate = makeDefaultEstate();
    const api = estate.sites[0]!;
    api.slots = [
      makeSlot({
        name: "staging",
        identity: makeSystemIdentity(STAGING_PRINCIPAL, DEFAULT_IDS.tenantId),
        appSettings: { ALPACA_API_KEY: makeKeyVaultReference(VAULT, "ALPACA-KEY-ID") },
        appSettingReferences: { ALPACA_API_KEY: { status: "AccessToKeyVaultDenied" } },
      }),
      makeSlot({ name: "canary" }),
    ];
    api.slotConfigNames = { appSettingNames: ["ALPACA_API_KEY"], connectionStringNames: [] };
    harness = await startHarness(estate);
    harness.policy.apps.api!.slots = ["staging"];

    const snapshot = await harness.collect();

    const apiSites = snapshot.sites.filter((s) => s.name === DEFAULT_IDS.apiApp);
    expect(apiSites.map((s) => s.slot)).toEqual([undefined, "staging", "canary"]);
    const staging = apiSites[1]!;
    expect(staging.resourceId).toBe(`${DEFAULT_IDS.apiAppId}/slots/staging`);
    expect(staging.identity?.principalId).toBe(STAGING_PRINCIPAL);
    expect(staging.configReferences).toEqual([
      expect.objectContaining({ name: "ALPACA_API_KEY", status: "AccessToKeyVaultDenied" }),
    ]);
    expect(apiSites.every((s) => s.slotConfigNames?.appSettingNames[0] === "ALPACA_API_KEY")).toBe(
      true,
    );
    expect(snapshot.principalsQueried).toContain(STAGING_PRINCIPAL);
  });

  it("should record a declared slot Azure does not have as not found", async () => {
    harness = await startHarness();
    harness.policy.apps.ui!.slots = ["staging"];

    const snapshot = await harness.collect();

    expect(snapshot.notFound).toEqual([
      { resourceId: `${DEFAULT_IDS.uiAppId}/slots/staging`, what: "slot" },
    ]);
    expect(snapshot.gaps).toEqual([]);
  });

  it("should read connection strings and their reference status", async () => {
    const estate = makeDefaultEstate();
    estate.sites[1]!.connectionStrings = {
      Main: { value: makeKeyVaultReference(VAULT, "POSTGRES-CONN"), type: "SQLAzure" },
    };
    harness = await startHarness(estate);

    const snapshot = await harness.collect();

    const ui = snapshot.sites[1]!;
    expect(ui.settings.find((s) => s.kind === "connectionString")).toEqual({
      name: "Main",
      kind: "connectionString",
      valueKind: "keyVaultReference",
      reference: {
        form: "SecretUri",
        vaultName: VAULT,
        secretName: "POSTGRES-CONN",
        secretVersion: undefined,
      },
      connectionStringType: "SQLAzure",
    });
    expect(ui.configReferences?.filter((r) => r.kind === "connectionString")).toEqual([
      expect.objectContaining({ name: "Main", status: "Resolved", secretName: "POSTGRES-CONN" }),
    ]);
  });

  it("should list versions only for a secret pinned to an older version", async () => {
    const estate = makeDefaultEstate();
    const old = makeSecretVersion({
      version: makeHexId("old"),
      created: toUnixSeconds("2025-12-01T00:00:00Z"),
    });
    const secret = estate.vaults[0]!.secrets.find((s) => s.name === "FINNHUB-API-KEY")!;
    secret.versions.push(old);
    estate.sites[0]!.appSettings.FINNHUB_API_KEY = makeKeyVaultReference(
      VAULT,
      "FINNHUB-API-KEY",
      old.version,
    );
    harness = await startHarness(estate);

    const snapshot = await harness.collect();

    const finnhub = snapshot.vaults[0]!.secrets.find((s) => s.name === "FINNHUB-API-KEY")!;
    expect(finnhub.version).toBe(makeHexId("FINNHUB-API-KEY-1"));
    expect(finnhub.versions?.map((v) => v.version)).toEqual([
      makeHexId("FINNHUB-API-KEY-1"),
      old.version,
    ]);
    expect(versionRequests(harness)).toEqual([
      "/secrets/FINNHUB-API-KEY/versions",
      "/secrets/FINNHUB-API-KEY/versions",
      "/secrets/FINNHUB-API-KEY/versions",
    ]);
    expect(snapshot.vaults[0]!.secrets.filter((s) => s.versions)).toHaveLength(1);
  });

  it("should list versions when the current version is disabled", async () => {
    const estate = makeDefaultEstate();
    const secret = estate.vaults[0]!.secrets.find((s) => s.name === "BLOB-CONN")!;
    secret.versions.push(
      makeSecretVersion({
        version: makeHexId("new"),
        enabled: false,
        created: toUnixSeconds("2026-11-20T00:00:00Z"),
      }),
    );
    harness = await startHarness(estate);

    const snapshot = await harness.collect();

    const blob = snapshot.vaults[0]!.secrets.find((s) => s.name === "BLOB-CONN")!;
    expect(blob.enabled).toBe(false);
    expect(blob.versions?.map((v) => v.enabled)).toEqual([false, true]);
  });

  it("should list deleted secrets when a documented secret is absent", async () => {
    const estate = makeDefaultEstate();
    const vault = estate.vaults[0]!;
    const gone = vault.secrets.find((s) => s.name === "YAHOO-REFRESH-TOKEN")!;
    vault.secrets = vault.secrets.filter((s) => s !== gone);
    vault.deletedSecrets = [
      {
        name: gone.name,
        deletedDate: toUnixSeconds("2026-11-25T00:00:00Z"),
        scheduledPurgeDate: toUnixSeconds("2027-02-23T00:00:00Z"),
        current: gone.versions[0]!,
      },
    ];
    harness = await startHarness(estate);

    const snapshot = await harness.collect();

    expect(snapshot.vaults[0]!.deletedSecrets).toEqual([
      {
        name: "YAHOO-REFRESH-TOKEN",
        deletedOn: "2026-11-25T00:00:00.000Z",
        scheduledPurgeDate: "2027-02-23T00:00:00.000Z",
      },
    ]);
    expect(snapshot.gaps).toEqual([]);
  });

  it("should not list deleted secrets or versions for a clean vault", async () => {
    harness = await startHarness();

    const snapshot = await harness.collect();

    expect(snapshot.vaults[0]!.deletedSecrets).toBeUndefined();
    expect(harness.fake.requests((r) => r.path.startsWith("/deletedsecrets"))).toEqual([]);
    expect(snapshot.vaults[0]!.secrets.every((s) => s.version?.length === 32)).toBe(true);
    expect(versionRequests(harness)).toEqual([]);
  });

  it("should mark certificate-backed secrets as managed", async () => {
    const estate = makeDefaultEstate();
    estate.vaults[0]!.secrets.push(makeSecret({ name: "Tls-Cert", managed: true }));
    harness = await startHarness(estate);

    const snapshot = await harness.collect();

    expect(snapshot.vaults[0]!.secrets.find((s) => s.name === "Tls-Cert")?.managed).toBe(true);
  });

  it("should read an access-policy vault's policies", async () => {
    const estate = makeDefaultEstate();
    estate.vaults[0]!.enableRbacAuthorization = false;
    estate.vaults[0]!.accessPolicies = [
      {
        tenantId: DEFAULT_IDS.tenantId,
        objectId: DEFAULT_IDS.apiPrincipalId,
        permissions: { secrets: ["get", "list", "set"] },
      },
    ];
    harness = await startHarness(estate);

    const snapshot = await harness.collect();

    expect(snapshot.vaults[0]).toMatchObject({
      enableRbacAuthorization: false,
      accessPolicies: [
        {
          objectId: DEFAULT_IDS.apiPrincipalId,
          applicationId: undefined,
          secrets: ["get", "list", "set"],
          keys: [],
          certificates: [],
        },
      ],
    });
  });
});
