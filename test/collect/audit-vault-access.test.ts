/**
 * A vault's permission model decides which grants count (A17), and Azure's
 * 404 for a bound app, slot or vault is drift, not a gap.
 */
import { describe, expect, it } from "vitest";

import { DEFAULT_IDS } from "../fake-azure/default-estate.js";
import { makeRoleAssignment } from "../fake-azure/estate-builders.js";
import type { FakeAccessPolicy, FakeEstate } from "../fake-azure/estate-model.js";
import { auditThroughFake, makeSmallEstate, makeSmallPolicy, SMALL } from "./audit-fake-kit.js";

const STRANGER = "99999999-0000-4000-8000-000000000009";
const SUBSCRIPTION_SCOPE = `/subscriptions/${SMALL.subscriptionId}`;
const ROLE_DEFINITIONS = "providers/Microsoft.Authorization/roleDefinitions";

function accessPolicyVault(...policies: FakeAccessPolicy[]): FakeEstate {
  const estate = makeSmallEstate();
  estate.vaults[0]!.enableRbacAuthorization = false;
  estate.vaults[0]!.accessPolicies = policies;

  return estate;
}

function accessPolicy(objectId: string, secrets: string[], keys: string[] = []): FakeAccessPolicy {
  return { tenantId: DEFAULT_IDS.tenantId, objectId, permissions: { secrets, keys } };
}

describe("vault permission model through the fake", () => {
  it("should find the documented role ineffective, and references unreadable, on an access-policy vault (A17)", async () => {
    const audit = await auditThroughFake(accessPolicyVault());

    expect(audit.lines).toEqual([
      `KV_REFERENCE_IDENTITY_CANNOT_READ high: Key Vault references on app ai-trader-api cannot read vault kv-ai-trader-prod: the system-assigned identity (principal ${SMALL.principalId}) has no access policy with get on secrets.`,
      "ROLE_INEFFECTIVE_ACCESS_POLICY_MODE high: Vault kv-ai-trader-prod uses access policies, so Key Vault Secrets User for ai-trader-api-mi grants nothing there; no access policy grants it get on secrets.",
    ]);
  });

  it("should let an access policy with get resolve references, and say the role is only decoration", async () => {
    const audit = await auditThroughFake(
      accessPolicyVault(accessPolicy(SMALL.principalId, ["Get", "List"])),
    );

    expect(audit.lines).toEqual([
      "ROLE_INEFFECTIVE_ACCESS_POLICY_MODE low: Vault kv-ai-trader-prod uses access policies, so Key Vault Secrets User for ai-trader-api-mi grants nothing there; an access policy does grant get on secrets.",
    ]);
  });

  it("should report access policies beyond get and list, for documented and unknown principals", async () => {
    const audit = await auditThroughFake(
      accessPolicyVault(
        accessPolicy(SMALL.principalId, ["get", "list", "set", "purge"]),
        accessPolicy(STRANGER, ["get"], ["sign"]),
      ),
    );

    expect(audit.lines).toEqual([
      `ACCESS_POLICY_EXCESS high: Vault kv-ai-trader-prod gives ai-trader-api-mi (${SMALL.principalId}) an access policy beyond get and list: secrets set, secrets purge.`,
      `UNDOCUMENTED_ACCESS high: Undocumented principal ${STRANGER} holds an access policy on vault kv-ai-trader-prod: secrets get, keys sign.`,
      `ACCESS_POLICY_EXCESS medium: Vault kv-ai-trader-prod gives principal ${STRANGER} an access policy beyond get and list: keys sign.`,
      "ROLE_INEFFECTIVE_ACCESS_POLICY_MODE low: Vault kv-ai-trader-prod uses access policies, so Key Vault Secrets User for ai-trader-api-mi grants nothing there; an access policy does grant get on secrets.",
    ]);
  });

  it("should ignore access policies left on a vault in RBAC mode, as Key Vault does", async () => {
    const estate = makeSmallEstate();
    estate.vaults[0]!.accessPolicies = [accessPolicy(STRANGER, ["all"])];

    const audit = await auditThroughFake(estate);

    expect(audit.snapshot.vaults[0]!.accessPolicies).toHaveLength(1);
    expect(audit.lines).toEqual([]);
  });
});

describe("bound resources Azure does not have", () => {
  it("should report a deleted app as not found, and its left-over grant as undocumented", async () => {
    const estate = makeSmallEstate();
    estate.sites = [];

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      `RESOURCE_NOT_FOUND high: App ai-trader-api named in policy/bindings.yaml does not exist: Azure answered 404 for ${SMALL.appId}.`,
      `UNDOCUMENTED_ACCESS high: Undocumented principal ${SMALL.principalId} holds Key Vault Secrets User on kv-ai-trader-prod.`,
      "NOT_EVALUATED medium: Could not check the roles of identity ai-trader-api-mi: app ai-trader-api was not collected.",
    ]);
  });

  it("should report a vault that is gone, and the references App Service cannot resolve", async () => {
    const audit = await auditThroughFake(makeSmallEstate(), {
      prepare: (harness) => {
        harness.fake.estate.vaults[0]!.name = "kv-ai-trader-renamed";
      },
    });

    expect(audit.lines).toEqual([
      "KV_REFERENCE_UNRESOLVED high: App Service reports VaultNotFound for setting DATABASE_URL on app ai-trader-api: the reference to POSTGRES-CONN does not resolve.",
      `RESOURCE_NOT_FOUND high: Vault kv-ai-trader-prod named in policy/bindings.yaml does not exist: Azure answered 404 for ${SMALL.vaultId}.`,
    ]);
  });

  it("should report a declared slot the app does not have", async () => {
    const policy = makeSmallPolicy();
    policy.apps!.api!.slots = ["staging"];

    const audit = await auditThroughFake(makeSmallEstate(), { policy });

    expect(audit.lines).toEqual([
      `RESOURCE_NOT_FOUND high: Slot staging named in policy/bindings.yaml does not exist: Azure answered 404 for ${SMALL.appId}/slots/staging.`,
    ]);
  });

  it("should not report a deleted role definition as a missing resource", async () => {
    const deletedRole = "dddddddd-0000-4000-8000-00000000000d";
    const estate = makeSmallEstate();
    estate.roleAssignments.push(
      makeRoleAssignment({
        scope: SMALL.resourceGroupId,
        principalId: SMALL.principalId,
        roleDefinitionId: `${SUBSCRIPTION_SCOPE}/${ROLE_DEFINITIONS}/${deletedRole}`,
      }),
    );

    const audit = await auditThroughFake(estate);

    expect(audit.snapshot.notFound).toEqual([
      { resourceId: expect.stringContaining(deletedRole), what: "roleDefinition" },
    ]);
    expect(audit.lines).toEqual([
      `ROLE_NOT_DOCUMENTED medium: Identity ai-trader-api-mi holds ${deletedRole} at ${SMALL.resourceGroupId}, which the doc does not list.`,
    ]);
  });
});
