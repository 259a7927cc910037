import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULT_IDS, makeDefaultEstate } from "./default-estate.js";
import { makeRoleAssignment } from "./estate-builders.js";
import { startFakeAzure } from "./fake-azure.js";
import type { FakeAzure } from "./fake-azure.js";
import { getFakeToken, sendRaw } from "./wire-client.js";

const SUB = `/subscriptions/${DEFAULT_IDS.subscriptionId}`;
const MG = `/providers/Microsoft.Management/managementGroups/${DEFAULT_IDS.managementGroup}`;
const GROUP = "66666666-0000-4000-8000-000000000006";
const SITE = `${SUB}/resourceGroups/${DEFAULT_IDS.resourceGroup}/providers/Microsoft.Web/sites/${DEFAULT_IDS.apiApp}`;

describe("startFakeAzure", () => {
  let fake: FakeAzure;
  let token: string;

  async function listAssignments(scope: string, filter?: string): Promise<string[]> {
    const query = filter === undefined ? "" : `&$filter=${encodeURIComponent(filter)}`;
    let next: string | undefined =
      `${fake.armEndpoint}${scope}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01${query}`;
    const scopes: string[] = [];
    while (next) {
      const body = (await sendRaw(next, { token })).body as {
        value: { properties: { scope: string; principalId: string } }[];
        nextLink?: string;
      };
      scopes.push(...body.value.map((a) => `${a.properties.principalId}@${a.properties.scope}`));
      next = body.nextLink;
    }

    return scopes.sort();
  }

  beforeAll(async () => {
    const estate = makeDefaultEstate();
    estate.groupMembers = { [GROUP]: [DEFAULT_IDS.ciPrincipalId] };
    estate.roleAssignments.push(
      makeRoleAssignment({ scope: MG, principalId: DEFAULT_IDS.ciPrincipalId }),
      makeRoleAssignment({
        scope: DEFAULT_IDS.vaultId,
        principalId: GROUP,
        principalType: "Group",
      }),
    );
    fake = await startFakeAzure(estate);
    token = await getFakeToken(fake, fake.armAudience);
  });

  afterAll(async () => {
    await fake.close();
  });

  it("should return grants at, above and below the scope for principalId eq", async () => {
    const found = await listAssignments(SUB, `principalId eq '${DEFAULT_IDS.ciPrincipalId}'`);

    expect(found).toEqual(
      [
        `${DEFAULT_IDS.ciPrincipalId}@${MG}`,
        `${DEFAULT_IDS.ciPrincipalId}@${DEFAULT_IDS.storageId}`,
        `${DEFAULT_IDS.ciPrincipalId}@${DEFAULT_IDS.vaultId}`,
      ].sort(),
    );
  });

  it("should return only grants at or above the scope for atScope()", async () => {
    const found = await listAssignments(DEFAULT_IDS.vaultId, "atScope()");

    expect(found.every((a) => !a.endsWith(DEFAULT_IDS.storageId))).toBe(true);
    expect(found).toContain(`${DEFAULT_IDS.ciPrincipalId}@${MG}`);
    expect(found).toContain(`${DEFAULT_IDS.adminUserId}@${SUB}`);
  });

  it("should expand groups for assignedTo()", async () => {
    const found = await listAssignments(SUB, `assignedTo('${DEFAULT_IDS.ciPrincipalId}')`);

    expect(found).toContain(`${GROUP}@${DEFAULT_IDS.vaultId}`);
  });

  it("should refuse tokens issued for another audience", async () => {
    const vaultToken = await getFakeToken(fake, "https://vault.azure.net");

    const response = await sendRaw(`${fake.armEndpoint}${SITE}?api-version=2024-11-01`, {
      token: vaultToken,
    });

    expect(response.status).toBe(401);
    expect(fake.log.at(-1)).toMatchObject({ server: "arm", authorized: false, status: 401 });
  });

  it("should count faults down, then answer normally", async () => {
    fake.failArm("/config/appsettings/list", { status: 403, times: 1 });
    const url = `${fake.armEndpoint}${SITE}/config/appsettings/list?api-version=2024-11-01`;

    const first = await sendRaw(url, { method: "POST", token });
    const second = await sendRaw(url, { method: "POST", token });

    expect([first.status, second.status]).toEqual([403, 200]);
    expect(first.body).toMatchObject({ error: { code: "AuthorizationFailed" } });
    expect(fake.log.at(-2)?.fault).toBe("AuthorizationFailed");
  });

  it("should refuse and flag writes", async () => {
    const response = await sendRaw(`${fake.armEndpoint}${SITE}?api-version=2024-11-01`, {
      method: "DELETE",
      token,
    });

    expect(response.status).toBe(405);
    expect(fake.writeRequests()).toHaveLength(1);
  });

  it("should reject a doubled slash instead of matching nothing", async () => {
    const response = await sendRaw(
      `${fake.armEndpoint}/${SUB}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`,
      { token },
    );

    expect(response.status).toBe(400);
  });

  it("should require an api-version, as ARM does", async () => {
    const response = await sendRaw(`${fake.armEndpoint}${SITE}`, { token });

    expect(response.body).toMatchObject({ error: { code: "MissingApiVersionParameter" } });
  });
});
