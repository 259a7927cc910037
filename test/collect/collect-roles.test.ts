import { afterEach, describe, expect, it } from "vitest";

import type { IdentityRequirement } from "../../src/audit/policy/policy-model.js";
import { DEFAULT_IDS, makeDefaultEstate } from "../fake-azure/default-estate.js";
import { BUILT_IN_ROLES, makeRoleAssignment } from "../fake-azure/estate-builders.js";
import { startHarness } from "./collect-test-kit.js";
import type { CollectHarness } from "./collect-test-kit.js";

const MG_SCOPE = `/providers/Microsoft.Management/managementGroups/${DEFAULT_IDS.managementGroup}`;
const SECRETS_USER_TENANT_FORM = `/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES["Key Vault Secrets User"]}`;
const UAI_ID = `/subscriptions/${DEFAULT_IDS.subscriptionId}/resourceGroups/${DEFAULT_IDS.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-ai-trader`;
const UAI_PRINCIPAL = "22222222-0000-4000-8000-000000000002";
const CUSTOM_ROLE = "c0c0c0c0-1111-4222-8333-444444444444";
const GROUP = "66666666-0000-4000-8000-000000000006";

describe("collectSnapshot: role assignments and definitions", () => {
  let harness: CollectHarness;

  afterEach(async () => {
    await harness.close();
  });

  it("should find grants above, at and below the subscription for a principal", async () => {
    const estate = makeDefaultEstate();
    const container = `${DEFAULT_IDS.storageId}/blobServices/default/containers/models`;
    estate.roleAssignments.push(
      makeRoleAssignment({
        scope: MG_SCOPE,
        principalId: DEFAULT_IDS.ciPrincipalId,
        roleDefinitionId: SECRETS_USER_TENANT_FORM,
      }),
      makeRoleAssignment({ scope: container, principalId: DEFAULT_IDS.ciPrincipalId }),
    );
    harness = await startHarness(estate);

    const snapshot = await harness.collect();

    const ci = snapshot.roleAssignments.filter((a) => a.principalId === DEFAULT_IDS.ciPrincipalId);
    expect(ci.map((a) => a.scope).sort()).toEqual(
      [MG_SCOPE, DEFAULT_IDS.vaultId, DEFAULT_IDS.storageId, container].sort(),
    );
    expect(ci.find((a) => a.scope === MG_SCOPE)?.roleDefinitionId).toBe(SECRETS_USER_TENANT_FORM);
  });

  it("should list everyone with access to each documented scope, once per assignment", async () => {
    const estate = makeDefaultEstate();
    const stranger = "99999999-0000-4000-8000-000000000009";
    estate.roleAssignments.push(
      makeRoleAssignment({ scope: DEFAULT_IDS.vaultId, principalId: stranger }),
    );
    harness = await startHarness(estate);

    const snapshot = await harness.collect();

    expect(snapshot.roleAssignments.filter((a) => a.principalId === stranger)).toHaveLength(1);
    expect(snapshot.scopesQueried).toEqual(
      expect.arrayContaining([DEFAULT_IDS.vaultId, DEFAULT_IDS.storageId, DEFAULT_IDS.eventHubsId]),
    );
    const ids = snapshot.roleAssignments.map((a) => a.id.toLowerCase());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("should read each referenced role definition once, whatever path form names it", async () => {
    const estate = makeDefaultEstate();
    estate.roleDefinitions.push({
      name: CUSTOM_ROLE,
      roleName: "Key Vault Secrets User",
      type: "CustomRole",
      description: "Named like a built-in role, on purpose.",
      assignableScopes: [`/subscriptions/${DEFAULT_IDS.subscriptionId}`],
      permissions: [{ actions: ["*"], notActions: [], dataActions: [], notDataActions: [] }],
    });
    estate.roleAssignments.push(
      makeRoleAssignment({
        scope: MG_SCOPE,
        principalId: DEFAULT_IDS.apiPrincipalId,
        roleDefinitionId: SECRETS_USER_TENANT_FORM,
      }),
      makeRoleAssignment({
        scope: DEFAULT_IDS.vaultId,
        principalId: DEFAULT_IDS.uiPrincipalId,
        roleDefinitionId: `/subscriptions/${DEFAULT_IDS.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${CUSTOM_ROLE}`,
      }),
    );
    harness = await startHarness(estate);

    const snapshot = await harness.collect();

    const reads = harness.fake.requests((r) => r.path.includes("/roleDefinitions/"));
    const guids = reads.map((r) => r.path.split("/").at(-1)!.toLowerCase());
    expect(new Set(guids).size).toBe(guids.length);
    expect(snapshot.roleDefinitions.find((d) => d.id.endsWith(CUSTOM_ROLE))).toMatchObject({
      roleName: "Key Vault Secrets User",
      roleType: "CustomRole",
    });
    expect(
      snapshot.roleDefinitions.filter((d) => d.roleName === "Key Vault Secrets User"),
    ).toHaveLength(2);
  });

  it("should tell grants held through a group from direct ones", async () => {
    const estate = makeDefaultEstate();
    estate.groupMembers = { [GROUP]: [DEFAULT_IDS.uiPrincipalId] };
    estate.roleAssignments.push(
      makeRoleAssignment({
        scope: DEFAULT_IDS.vaultId,
        principalId: GROUP,
        principalType: "Group",
      }),
    );
    harness = await startHarness(estate);

    const snapshot = await harness.collect();

    expect(snapshot.principalGroups?.[DEFAULT_IDS.uiPrincipalId]).toEqual([GROUP]);
    expect(snapshot.principalGroups?.[DEFAULT_IDS.apiPrincipalId]).toEqual([]);
    expect(snapshot.roleAssignments.filter((a) => a.principalId === GROUP)).toEqual([
      expect.objectContaining({ principalType: "Group", scope: DEFAULT_IDS.vaultId }),
    ]);
  });

  it("should query the user-assigned identity that resolves Key Vault references", async () => {
    const estate = makeDefaultEstate();
    const api = estate.sites[0]!;
    api.identity = {
      type: "SystemAssigned, UserAssigned",
      principalId: DEFAULT_IDS.apiPrincipalId,
      tenantId: DEFAULT_IDS.tenantId,
      userAssignedIdentities: { [UAI_ID]: { principalId: UAI_PRINCIPAL, clientId: "c1" } },
    };
    api.keyVaultReferenceIdentity = UAI_ID;
    harness = await startHarness(estate);

    const snapshot = await harness.collect();

    expect(snapshot.sites[0]!.identity?.userAssigned).toEqual([
      { resourceId: UAI_ID, principalId: UAI_PRINCIPAL, clientId: "c1" },
    ]);
    expect(snapshot.sites[0]!.keyVaultReferenceIdentity).toBe(UAI_ID);
    expect(snapshot.principalsQueried).toContain(UAI_PRINCIPAL);
  });

  it("should read a documented user-assigned identity no site carries, and list its assignments", async () => {
    const estate = makeDefaultEstate();
    estate.userAssignedIdentities = [
      {
        resourceGroup: DEFAULT_IDS.resourceGroup,
        name: "id-ai-trader",
        principalId: UAI_PRINCIPAL,
        clientId: "c1",
        location: "westeurope",
      },
    ];
    harness = await startHarness(estate);
    harness.policy.identities.push(documentedUai());

    const snapshot = await harness.collect();

    expect(snapshot.userAssignedIdentities).toEqual([
      { resourceId: UAI_ID, principalId: UAI_PRINCIPAL, clientId: "c1", tenantId: estate.tenantId },
    ]);
    expect(snapshot.principalsQueried).toContain(UAI_PRINCIPAL);
    expect(snapshot.gaps).toEqual([]);
  });

  it("should record a documented user-assigned identity Azure answers 404 for as not found", async () => {
    harness = await startHarness();
    harness.policy.identities.push(documentedUai());

    const snapshot = await harness.collect();

    expect(snapshot.notFound).toContainEqual({ resourceId: UAI_ID, what: "userAssignedIdentity" });
    expect(snapshot.gaps).toEqual([]);
    expect(snapshot.userAssignedIdentities).toBeUndefined();
  });

  it("should report a user-assigned identity that could not be read as a gap", async () => {
    harness = await startHarness();
    harness.policy.identities.push(documentedUai());
    harness.fake.failArm(/userAssignedIdentities\/id-ai-trader$/);

    const snapshot = await harness.collect();

    expect(snapshot.gaps).toEqual([
      expect.objectContaining({
        resourceId: UAI_ID,
        what: "userAssignedIdentity",
        statusCode: 403,
      }),
    ]);
  });

  it("should record a refused role listing as a gap naming the principal", async () => {
    harness = await startHarness();
    harness.fake.inject({
      server: "arm",
      path: /roleAssignments$/,
      status: 403,
      code: "AuthorizationFailed",
      message:
        "The client does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/read'.",
      times: Infinity,
    });

    const snapshot = await harness.collect();

    expect(snapshot.principalsQueried).toEqual([]);
    expect(snapshot.roleAssignments).toEqual([]);
    const direct = snapshot.gaps.filter((g) => g.what === "roleAssignments");
    expect(direct.map((g) => g.principalId).sort()).toEqual(
      [DEFAULT_IDS.apiPrincipalId, DEFAULT_IDS.uiPrincipalId, DEFAULT_IDS.ciPrincipalId].sort(),
    );
    expect(snapshot.gaps.every((g) => g.statusCode === 403)).toBe(true);
    expect(snapshot.principalGroups).toEqual({});
  });
});

function documentedUai(): IdentityRequirement {
  return {
    name: "id-ai-trader",
    principal: { kind: "userAssigned", resourceId: UAI_ID },
    objectIdSuffix: undefined,
    roles: [],
    docRef: { file: "policy/secrets.md", line: 40 },
  };
}
