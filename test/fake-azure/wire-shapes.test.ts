/**
 * The fake must speak Microsoft's wire format: every key the published
 * examples carry is on the fake's responses too (extra keys are allowed,
 * since the examples are abridged). The examples live in
 * test/fixtures/azure-wire; when ../shared/azure-wire exists, the copies are
 * checked against it as well.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { buildRoleAssignmentQueries } from "../../src/audit/collect/collect-role-cross-check.js";
import { DEFAULT_IDS, makeDefaultEstate } from "./default-estate.js";
import {
  EVERYONE_PRINCIPAL_ID,
  makeDenyAssignment,
  makeSite,
  makeSlot,
} from "./estate-builders.js";
import { startFakeAzure } from "./fake-azure.js";
import type { FakeAzure } from "./fake-azure.js";
import { getFakeToken, sendRaw } from "./wire-client.js";
import type { RawResponse } from "./wire-client.js";

const FIXTURES = resolve(import.meta.dirname, "../fixtures/azure-wire");
const SHARED = resolve(import.meta.dirname, "../../../shared/azure-wire");
const SITES = `/subscriptions/${DEFAULT_IDS.subscriptionId}/resourceGroups/${DEFAULT_IDS.resourceGroup}/providers/Microsoft.Web/sites`;
const WEB_API = "api-version=2024-11-01";
const GRAPH_QUERY = "/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01";
const UAI = {
  resourceGroup: DEFAULT_IDS.resourceGroup,
  name: "id-ai-trader",
  principalId: "0a1b2c3d-0000-4000-8000-00000000a11e",
  clientId: "0a1b2c3d-0000-4000-8000-00000000c11e",
  location: "westeurope",
};
const UAI_PATH = `/subscriptions/${DEFAULT_IDS.subscriptionId}/resourceGroups/${UAI.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${UAI.name}`;

type Json = Record<string, unknown>;

function readExample(path: string): Json {
  return JSON.parse(readFileSync(join(FIXTURES, path), "utf8")) as Json;
}

function exampleBody(path: string): Json {
  const responses = readExample(path).responses as Record<string, { body: Json }>;

  return (responses["200"] ?? Object.values(responses)[0]!).body;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Paths of keys the example has and `actual` lacks. */
function missingKeys(example: unknown, actual: unknown, path = ""): string[] {
  if (Array.isArray(example) && Array.isArray(actual) && example.length > 0 && actual.length > 0) {
    return missingKeys(example[0], actual[0], `${path}[0]`);
  }

  if (!isObject(example) || !isObject(actual)) {
    return [];
  }

  return Object.keys(example).flatMap((key) =>
    key in actual ? missingKeys(example[key], actual[key], `${path}.${key}`) : [`${path}.${key}`],
  );
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listFiles(join(dir, entry.name)).map((f) => `${entry.name}/${f}`)
      : entry.name.endsWith(".json")
        ? [entry.name]
        : [],
  );
}

describe("the fake's wire format", () => {
  let fake: FakeAzure;
  let armToken: string;
  let vaultToken: string;
  const arm = (path: string, method = "GET"): Promise<RawResponse> =>
    sendRaw(`${fake.armEndpoint}${path}`, { method, token: armToken });
  const vault = (path: string): Promise<RawResponse> =>
    sendRaw(`${fake.vaultUrl(DEFAULT_IDS.vaultName)}${path}`, { token: vaultToken });

  beforeAll(async () => {
    const estate = makeDefaultEstate();
    estate.sites.push(
      makeSite({ name: "ai-trader-worker", resourceGroup: DEFAULT_IDS.resourceGroup }),
    );
    estate.sites[0]!.slots = [makeSlot({ name: "staging" }), makeSlot({ name: "qa" })];
    estate.vaults[0]!.accessPolicies = [
      {
        tenantId: DEFAULT_IDS.tenantId,
        objectId: DEFAULT_IDS.ciPrincipalId,
        permissions: { secrets: ["get"] },
      },
    ];
    estate.denyAssignments = ["stack-a", "stack-b", "stack-c"].map((stack) =>
      makeDenyAssignment({
        scope: DEFAULT_IDS.vaultId,
        denyAssignmentName: `Deny assignment of ${stack}`,
        excludePrincipals: [{ id: DEFAULT_IDS.ciPrincipalId, type: "ServicePrincipal" }],
      }),
    );
    estate.userAssignedIdentities = [UAI];
    fake = await startFakeAzure(estate);
    armToken = await getFakeToken(fake, fake.armAudience);
    vaultToken = await getFakeToken(fake, "https://vault.azure.net");
  });

  afterAll(async () => {
    await fake.close();
  });

  it.skipIf(!existsSync(SHARED))("should hold unchanged copies of the shared examples", () => {
    for (const file of listFiles(FIXTURES).filter((f) => existsSync(join(SHARED, f)))) {
      const shared = JSON.parse(readFileSync(join(SHARED, file), "utf8")) as unknown;

      expect(readExample(file), file).toEqual(shared);
    }
  });

  it.skipIf(!existsSync(SHARED))("should name the source of every example not shared", () => {
    const sources = readFileSync(join(FIXTURES, "SOURCES.md"), "utf8");
    const unshared = listFiles(FIXTURES).filter((f) => !existsSync(join(SHARED, f)));

    expect(unshared.filter((file) => !sources.includes(`| ${file} |`))).toEqual([]);
  });

  it("should serve a site like GetWebApp.json", async () => {
    const site = await arm(`${SITES}/${DEFAULT_IDS.apiApp}?${WEB_API}`);

    expect(
      missingKeys(exampleBody("appservice/WebApps_Get.GetWebApp.2024-11-01.json"), site.body),
    ).toEqual([]);
    expect((site.body as Json).identity).toMatchObject({ type: "SystemAssigned" });
  });

  it("should omit the identity key of a site without one, as the real recording does", async () => {
    const site = await arm(`${SITES}/ai-trader-worker?${WEB_API}`);

    expect(site.body).not.toHaveProperty("identity");
  });

  it("should page the site list with absolute nextLinks on its own host", async () => {
    const example = exampleBody("appservice/WebApps_List.ListWebApps.2024-11-01.json");
    const first = await arm(
      `/subscriptions/${DEFAULT_IDS.subscriptionId}/providers/Microsoft.Web/sites?${WEB_API}`,
    );
    const nextLink = (first.body as Json).nextLink as string;
    const second = await sendRaw(nextLink, { token: armToken });

    expect(missingKeys(example, first.body)).toEqual([]);
    expect(nextLink.startsWith(`${fake.armEndpoint}/subscriptions/`)).toBe(true);
    expect(nextLink).toContain(WEB_API);
    expect((second.body as { value: unknown[] }).value).toHaveLength(1);
    expect(second.body).not.toHaveProperty("nextLink");
  });

  it("should list slots like ListWebAppSlots.json", async () => {
    const slots = await arm(`${SITES}/${DEFAULT_IDS.apiApp}/slots?${WEB_API}`);
    const example = exampleBody("appservice/WebApps_ListSlots.ListWebAppSlots.2024-11-01.json");

    expect(missingKeys(example, slots.body)).toEqual([]);
    expect((slots.body as { value: Json[] }).value[0]!.name).toBe(`${DEFAULT_IDS.apiApp}/staging`);
  });

  it("should list app settings like ListAppSettings.json", async () => {
    const settings = await arm(
      `${SITES}/${DEFAULT_IDS.apiApp}/config/appsettings/list?${WEB_API}`,
      "POST",
    );
    const example = exampleBody(
      "appservice/WebApps_ListApplicationSettings.ListAppSettings.2024-11-01.json",
    );

    expect(Object.keys(settings.body as Json).sort()).toEqual(Object.keys(example).sort());
  });

  it("should report Key Vault references like the configreferences examples", async () => {
    const base = `${SITES}/${DEFAULT_IDS.apiApp}/config/configreferences/appsettings`;
    const list = await arm(`${base}?${WEB_API}`);
    const one = await arm(`${base}/DATABASE_URL?${WEB_API}`);

    expect(
      missingKeys(
        exampleBody(
          "appservice/WebApps_GetAppSettingsKeyVaultReferences.GetKeyVaultReferencesForAppSettings.2024-11-01.json",
        ),
        list.body,
      ),
    ).toEqual([]);
    expect(
      missingKeys(
        exampleBody(
          "appservice/WebApps_GetAppSettingKeyVaultReference.GetKeyVaultReferencesForAppSetting.2024-11-01.json",
        ),
        one.body,
      ),
    ).toEqual([]);
    expect((one.body as { properties: Json }).properties).toMatchObject({ status: "Resolved" });
  });

  it("should list role assignments and get role definitions like the 2022-04-01 examples", async () => {
    const filter = encodeURIComponent(`principalId eq '${DEFAULT_IDS.apiPrincipalId}'`);
    const list = await arm(
      `/subscriptions/${DEFAULT_IDS.subscriptionId}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=${filter}`,
    );
    const definition = await arm(
      `/subscriptions/${DEFAULT_IDS.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6?api-version=2022-04-01`,
    );

    expect(
      missingKeys(
        exampleBody("authorization/RoleAssignments_ListForScope.2022-04-01.json"),
        list.body,
      ),
    ).toEqual([]);
    expect(
      missingKeys(
        exampleBody("authorization/RoleDefinitions_GetById.GetRoleDefinitionById.2022-04-01.json"),
        definition.body,
      ),
    ).toEqual([]);
    expect((list.body as Json).nextLink).toMatch(/\$skiptoken=/);
  });

  it("should list deny assignments like GetDenyAssignmentByScope.json, a page at a time", async () => {
    const path = `/subscriptions/${DEFAULT_IDS.subscriptionId}/providers/Microsoft.Authorization/denyAssignments?api-version=2022-04-01`;
    const first = await arm(path);
    const second = await sendRaw((first.body as Json).nextLink as string, { token: armToken });
    const page = first.body as { value: { properties: Json }[] };

    expect(
      missingKeys(
        exampleBody(
          "authorization/DenyAssignments_ListForScope.GetDenyAssignmentByScope.2022-04-01.json",
        ),
        first.body,
      ),
    ).toEqual([]);
    expect(page.value[0]!.properties.principals).toEqual([
      { id: EVERYONE_PRINCIPAL_ID, type: "SystemDefined" },
    ]);
    expect(page.value).toHaveLength(2);
    expect((second.body as { value: unknown[] }).value).toHaveLength(1);
    expect(second.body).not.toHaveProperty("nextLink");
  });

  it("should answer the auditor's Resource Graph query like the 2024-04-01 examples, a page at a time", async () => {
    const first = exampleBody("resourcegraph/Resources.ResourcesFirstPageQuery.2024-04-01.json");
    const last = exampleBody("resourcegraph/Resources.ResourcesBasicQuery.2024-04-01.json");
    const nextFile = "resourcegraph/Resources.ResourcesNextPageQuery.2024-04-01.json";
    const next = exampleBody(nextFile);
    const nextRequest = readExample(nextFile).parameters as { query: Json };
    const [query] = buildRoleAssignmentQueries([DEFAULT_IDS.ciPrincipalId], [DEFAULT_IDS.vaultId]);
    const ask = (options: Json) =>
      sendRaw(`${fake.armEndpoint}${GRAPH_QUERY}`, {
        method: "POST",
        token: armToken,
        json: { subscriptions: [DEFAULT_IDS.subscriptionId], query, options },
      });
    // Asked as the examples ask: $top and $skip first, then only the $skipToken.
    const pages = [(await ask({ $top: 3, $skip: 0 })).body as Json];
    while (pages.at(-1)!.$skipToken) {
      pages.push((await ask({ $skipToken: pages.at(-1)!.$skipToken })).body as Json);
    }
    const rows = pages.flatMap((page) => page.data as Json[]);
    const envelope = (body: Json | undefined) => ({ ...body, data: [] });

    expect(Object.keys(nextRequest.query.options as Json)).toEqual(["$skipToken"]);
    expect(Object.keys(pages[0]!)).toEqual(Object.keys(first));
    expect(missingKeys(envelope(next), envelope(pages[1]))).toEqual([]);
    expect(Object.keys(pages.at(-1)!)).toEqual(Object.keys(last));
    expect(pages.map((page) => [page.count, page.totalRecords, page.resultTruncated])).toEqual([
      [2, 5, "false"],
      [2, 5, "false"],
      [1, 5, "false"],
    ]);
    // objectArray rows with the projected columns: the CI principal's two
    // grants, and every other grant at or above the vault.
    expect(rows.map((row) => Object.keys(row))).toEqual(
      Array(5).fill(["id", "scope", "principalId", "roleDefinitionId"]),
    );
    expect(rows.map((row) => row.principalId).sort()).toEqual(
      [
        DEFAULT_IDS.adminUserId,
        DEFAULT_IDS.apiPrincipalId,
        DEFAULT_IDS.ciPrincipalId,
        DEFAULT_IDS.ciPrincipalId,
        DEFAULT_IDS.uiPrincipalId,
      ].sort(),
    );
  });

  it("should refuse a Resource Graph query it does not know with ARM's error body", async () => {
    const recording = readExample(
      "authorization/sdkjs-recording.roledefinitions_get_test.400error.api2022-04-01.json",
    );
    const real = (recording.Entries as { ResponseBody: unknown }[])[0]!.ResponseBody;
    const answer = await sendRaw(`${fake.armEndpoint}${GRAPH_QUERY}`, {
      method: "POST",
      token: armToken,
      json: { subscriptions: [DEFAULT_IDS.subscriptionId], query: "Resources | limit 3" },
    });

    expect(answer.status).toBe(400);
    expect(missingKeys(real, answer.body)).toEqual([]);
    expect(fake.writeRequests()).toEqual([]);
  });

  it("should answer errors with ARM's error body", async () => {
    const recording = readExample(
      "authorization/sdkjs-recording.roledefinitions_get_test.400error.api2022-04-01.json",
    );
    const real = (recording.Entries as { ResponseBody: unknown }[])[0]!.ResponseBody;
    const missing = await arm(`${SITES}/no-such-app?${WEB_API}`);

    expect(missing.status).toBe(404);
    expect(missingKeys(real, missing.body)).toEqual([]);
  });

  it("should serve a user-assigned identity like IdentityGet.json (2024-11-30)", async () => {
    const example = exampleBody("msi/UserAssignedIdentities_Get.IdentityGet.2024-11-30.json");
    const got = await arm(`${UAI_PATH}?api-version=2024-11-30`);
    const missing = await arm(`${UAI_PATH}-gone?api-version=2024-11-30`);

    // Tags are free-form: the example's key1 and key2 are sample data, not shape.
    expect(missingKeys({ ...example, tags: {} }, got.body)).toEqual([]);
    expect(got.body).toMatchObject({
      type: "Microsoft.ManagedIdentity/userAssignedIdentities",
      properties: { principalId: UAI.principalId, clientId: UAI.clientId },
    });
    expect(missing.status).toBe(404);
  });

  it("should read a service principal like the Graph v1.0 reference, and 404 a deleted one", async () => {
    const example = readExample("graph/ServicePrincipals_Get.select.v1.0.json");
    const graphToken = await getFakeToken(fake, fake.graphAudience);
    const graph = (id: string) =>
      sendRaw(`${fake.graphEndpoint}/v1.0/servicePrincipals/${id}?$select=id,appId,displayName`, {
        token: graphToken,
      });
    const got = await graph(DEFAULT_IDS.ciPrincipalId);
    const gone = await graph("00000000-0000-4000-8000-00000000dead");
    const { "@odata.context": context, id, appId, displayName } = example;

    expect(missingKeys({ "@odata.context": context, id, appId, displayName }, got.body)).toEqual(
      [],
    );
    expect((got.body as Json)["@odata.context"]).toBe(
      "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(id,appId,displayName)/$entity",
    );
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({
      error: {
        code: "Request_ResourceNotFound",
        innerError: { "request-id": expect.any(String) as unknown },
      },
    });
  });

  it("should serve a vault like getVault.json", async () => {
    const got = await arm(`${DEFAULT_IDS.vaultId}?api-version=2025-05-01`);

    expect(
      missingKeys(exampleBody("keyvault-mgmt/Vaults_Get.getVault.2025-05-01.json"), got.body),
    ).toEqual([]);
    expect((got.body as { properties: Json }).properties.enableRbacAuthorization).toBe(true);
  });

  it("should challenge an unauthenticated vault request like the real recording", async () => {
    const recording = readExample(
      "keyvault-data/sdkjs-recording.can_get_a_secret.api7.4-preview.1.json",
    );
    const real = (recording.Entries as { ResponseBody: unknown }[])[0]!;
    const challenged = await sendRaw(
      `${fake.vaultUrl(DEFAULT_IDS.vaultName)}/secrets?api-version=7.6`,
    );

    expect(challenged.status).toBe(401);
    expect(challenged.headers["www-authenticate"]).toBe(
      `Bearer authorization="https://login.windows.net/${DEFAULT_IDS.tenantId}", resource="https://vault.azure.net"`,
    );
    expect(challenged.body).toEqual(real.ResponseBody);
  });

  it("should page secrets like the real recording: empty first page, null nextLink at the end", async () => {
    const recording = readExample(
      "keyvault-data/sdkjs-recording.can_list_secrets_by_page.api7.3.json",
    );
    const realItem = (recording.Entries as { ResponseBody: { value: unknown[] } }[]).find(
      (e) => e.ResponseBody.value?.length,
    )!.ResponseBody.value;
    const pages: Json[] = [];
    let next: string | null = `${fake.vaultUrl(DEFAULT_IDS.vaultName)}/secrets?api-version=7.6`;
    while (next) {
      const page = (await sendRaw(next, { token: vaultToken })).body as Json;
      pages.push(page);
      next = page.nextLink as string | null;
    }

    expect(pages[0]).toEqual({
      value: [],
      nextLink: expect.stringMatching(
        /^https:\/\/127\.0\.0\.1:\d+\/secrets\?api-version=7\.6&\$skiptoken=/,
      ),
    });
    expect(pages.at(-1)).toEqual({ value: [], nextLink: null });
    expect(pages.flatMap((p) => p.value as unknown[])).toHaveLength(9);
    expect(missingKeys(exampleBody("keyvault-data/GetSecrets-example.7.6.json"), pages[1])).toEqual(
      [],
    );
    expect(missingKeys(realItem, pages[1]!.value)).toEqual([]);
  });

  it("should list versions and deleted secrets like their examples", async () => {
    const versions = await vault(
      "/secrets/ALPACA-KEY-ID/versions?api-version=7.6&$skiptoken=" +
        "eyJOZXh0TWFya2VyIjoiMiEwIWIyWm1jMlYwSVRBPSIsIlRhcmdldExvY2F0aW9uIjowfQ",
    );
    const estate = fake.estate.vaults[0]!;
    const gone = estate.secrets[0]!;
    estate.deletedSecrets = [
      {
        name: "OLD-KEY",
        deletedDate: 1764547200,
        scheduledPurgeDate: 1772323200,
        current: gone.versions[0]!,
      },
    ];
    const deleted = await vault(
      "/deletedsecrets?api-version=7.6&$skiptoken=eyJOZXh0TWFya2VyIjoiMiEwIWIyWm1jMlYwSVRBPSIsIlRhcmdldExvY2F0aW9uIjowfQ",
    );

    expect(
      missingKeys(exampleBody("keyvault-data/GetSecretVersions-example.7.5.json"), versions.body),
    ).toEqual([]);
    expect(
      missingKeys(exampleBody("keyvault-data/GetDeletedSecrets-example.7.6.json"), deleted.body),
    ).toEqual([]);
  });

  it("should refuse, and flag, any request for a secret value", async () => {
    const value = await vault("/secrets/ALPACA-KEY-ID/?api-version=7.6");

    expect(value.status).toBe(418);
    expect(JSON.stringify(value.body)).not.toContain("CANARY");
    expect(fake.secretValueRequests().map((r) => r.path)).toEqual(["/secrets/ALPACA-KEY-ID/"]);
  });

  it("should issue App Service managed-identity tokens in the 2019-08-01 shape", async () => {
    const url = new URL(fake.identityEndpoint);
    url.search = "api-version=2019-08-01&resource=https%3A%2F%2Fvault.azure.net";
    const token = await sendRaw(url, { headers: { "x-identity-header": fake.identityHeader } });
    const refused = await sendRaw(url, { headers: { "x-identity-header": "wrong" } });

    expect(Object.keys(token.body as Json)).toEqual(
      expect.arrayContaining(["access_token", "expires_on", "resource", "token_type"]),
    );
    expect(refused.status).toBe(401);
  });
});
