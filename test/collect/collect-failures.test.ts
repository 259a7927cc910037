import type { AccessToken, TokenCredential } from "@azure/identity";
import { afterEach, describe, expect, it } from "vitest";

import { AuditError } from "../../src/audit/audit-error.js";
import { DEFAULT_IDS, makeDefaultEstate } from "../fake-azure/default-estate.js";
import { startHarness } from "./collect-test-kit.js";
import type { CollectHarness } from "./collect-test-kit.js";

const API_SETTINGS = `/sites/${DEFAULT_IDS.apiApp}/config/appsettings/list`;
const UI_SETTINGS = `/sites/${DEFAULT_IDS.uiApp}/config/appsettings/list`;

/** A credential whose sign-in fails, as on a machine with no identity at all. */
class UnavailableCredential implements TokenCredential {
  getToken(): Promise<AccessToken | null> {
    const error = new Error("ManagedIdentityCredential: no identity endpoint is available.");
    error.name = "CredentialUnavailableError";

    return Promise.reject(error);
  }
}

describe("collectSnapshot when Azure fails", () => {
  let harness: CollectHarness;

  afterEach(async () => {
    await harness.close();
  });

  it("should retry a 429 after its Retry-After and lose nothing", async () => {
    harness = await startHarness();
    harness.fake.throttle(API_SETTINGS, { times: 1, retryAfterSeconds: 1 });
    const started = Date.now();

    const snapshot = await harness.collect();

    expect(snapshot.gaps).toEqual([]);
    const calls = harness.fake.requests((r) => r.path.endsWith(API_SETTINGS));
    expect(calls.map((r) => r.status)).toEqual([429, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(snapshot.sites[0]!.settings).toHaveLength(10);
  });

  it("should turn a second 429 into a gap and keep the rest", async () => {
    harness = await startHarness();
    harness.fake.throttle(UI_SETTINGS, { times: 2, retryAfterSeconds: 1 });

    const snapshot = await harness.collect();

    expect(snapshot.gaps).toEqual([
      expect.objectContaining({
        resourceId: DEFAULT_IDS.uiAppId,
        what: "appSettings",
        statusCode: 429,
        errorCode: "ResourceRequestsThrottled",
      }),
    ]);
    expect(snapshot.sites[0]!.settings).toHaveLength(10);
  });

  it("should not wait for a Retry-After beyond the cap", async () => {
    harness = await startHarness();
    harness.fake.throttle(API_SETTINGS, { times: 1, retryAfterSeconds: 372 });

    const snapshot = await harness.collect({ maxRetryAfterSeconds: 30 });

    expect(snapshot.gaps).toEqual([
      expect.objectContaining({ what: "appSettings", statusCode: 429 }),
    ]);
  });

  it("should record a 403 on app settings as a gap, keeping the site and its identity", async () => {
    harness = await startHarness();
    harness.fake.failArm(API_SETTINGS);

    const snapshot = await harness.collect();

    expect(snapshot.gaps).toEqual([
      expect.objectContaining({
        resourceId: DEFAULT_IDS.apiAppId,
        what: "appSettings",
        statusCode: 403,
        errorCode: "AuthorizationFailed",
      }),
    ]);
    expect(snapshot.sites[0]!.identity?.principalId).toBe(DEFAULT_IDS.apiPrincipalId);
    expect(snapshot.gaps[0]!.reason).toContain("not allowed this read");
  });

  it("should record a refused vault as a gap, never as secrets missing", async () => {
    harness = await startHarness();
    harness.fake.forbidVault(DEFAULT_IDS.vaultName);
    harness.fake.failArm(/\/vaults\/[^/]+\/secrets$/);

    const snapshot = await harness.collect();

    const vault = snapshot.vaults[0]!;
    expect(vault.secrets).toEqual([]);
    expect(vault.secretsSource).toBeUndefined();
    expect(snapshot.notFound).toEqual([]);
    expect(snapshot.gaps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ what: "secrets", statusCode: 403, errorCode: "Forbidden" }),
        expect.objectContaining({ what: "secrets.managementPlane", statusCode: 403 }),
      ]),
    );
  });

  it("should read secrets from the management plane when the data plane refuses", async () => {
    harness = await startHarness();
    harness.fake.forbidVault(DEFAULT_IDS.vaultName);

    const snapshot = await harness.collect();

    const vault = snapshot.vaults[0]!;
    expect(vault.secretsSource).toBe("managementPlane");
    expect(vault.dataPlaneRefusal).toMatchObject({ statusCode: 403, errorCode: "Forbidden" });
    expect(vault.secrets).toHaveLength(9);
    expect(vault.secrets.every((s) => s.version?.length === 32 && s.createdOn)).toBe(true);
    expect(snapshot.gaps).toEqual([]);
  });

  it("should report an app Azure does not know as not found, not as a gap", async () => {
    const estate = makeDefaultEstate();
    estate.sites = estate.sites.filter((s) => s.name !== DEFAULT_IDS.uiApp);
    harness = await startHarness(estate);

    const snapshot = await harness.collect();

    expect(snapshot.gaps).toEqual([]);
    expect(snapshot.notFound).toEqual([{ resourceId: DEFAULT_IDS.uiAppId, what: "site" }]);
    expect(snapshot.sites.map((s) => s.name)).toEqual([DEFAULT_IDS.apiApp]);
  });

  it("should stop with one actionable error when the credential cannot sign in", async () => {
    harness = await startHarness();

    const attempt = harness.collect({ credential: new UnavailableCredential() });

    await expect(attempt).rejects.toBeInstanceOf(AuditError);
    await expect(attempt).rejects.toMatchObject({ code: "AZURE_SIGN_IN_FAILED" });
    expect(harness.fake.requests((r) => r.server !== "identity")).toEqual([]);
  });
});
