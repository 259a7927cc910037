/**
 * Identity and role findings judged on what the real collector listed:
 * grants at every scope level, both role definition id forms, groups,
 * strangers on documented resources, and what it could not list.
 */
import { describe, expect, it } from "vitest";

import { BUILT_IN_ROLES, makeRoleAssignment } from "../fake-azure/estate-builders.js";
import type { FakeEstate, FakeRoleDefinition } from "../fake-azure/estate-model.js";
import {
  auditThroughFake,
  grant,
  makeSmallEstate,
  makeSmallIdentity,
  makeSmallPolicy,
  SMALL,
} from "./audit-fake-kit.js";

const MG_SCOPE = "/providers/Microsoft.Management/managementGroups/mg-ai-trader";
const SUBSCRIPTION_SCOPE = `/subscriptions/${SMALL.subscriptionId}`;
const SECRET_SCOPE = `${SMALL.vaultId}/secrets/${SMALL.secret}`;
const STRANGER = "99999999-0000-4000-8000-000000000009";
const GROUP = "66666666-0000-4000-8000-000000000006";
const CI_PRINCIPAL = "0b7c4e2a-9d13-4f6e-8a21-3c5d7e9f4bb0";
const ROLE_DEFINITIONS = "/providers/Microsoft.Authorization/roleDefinitions";
const AUDITOR = "7a7a7a7a-0000-4000-8000-00000000a0d1";
const CERT_USER = "Key Vault Certificate User";
const CERT_USER_GUID = "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba";
const CUSTOM_GUID = "11111111-2222-4333-8444-555555555555";

/** The small estate with the app's vault grant moved to `scope`. */
function grantedOnlyAt(scope: string): FakeEstate {
  const estate = makeSmallEstate();
  estate.roleAssignments = [grant(SMALL.principalId, "Key Vault Secrets User", scope)];

  return estate;
}

/** The doc adds a CI principal by object id, with Key Vault Secrets User on the vault. */
function ciPolicy(objectId: string) {
  return makeSmallPolicy({
    identities: [
      makeSmallIdentity(),
      makeSmallIdentity({
        name: "gh-ai-trader-ci",
        principal: { kind: "objectId", objectId },
        objectIdSuffix: undefined,
      }),
    ],
  });
}

describe("role findings through the fake", () => {
  it("should accept a grant inherited from a management group, warn of its reach, and count it once (A11, A12)", async () => {
    const audit = await auditThroughFake(grantedOnlyAt(MG_SCOPE));

    expect(audit.lines).toEqual([
      `ROLE_SCOPE_BROADER_THAN_DOCUMENTED medium: Identity ai-trader-api-mi holds Key Vault Secrets User only at ${MG_SCOPE}, broader than the documented kv-ai-trader-prod; it applies to every resource below that scope.`,
    ]);
    expect(audit.snapshot.roleAssignments.filter((a) => a.scope === MG_SCOPE)).toHaveLength(1);
  });

  it.each([
    ["resource group", SMALL.resourceGroupId],
    ["subscription", SUBSCRIPTION_SCOPE],
  ])("should warn of a grant at the %s instead of the vault", async (_level, scope) => {
    const audit = await auditThroughFake(grantedOnlyAt(scope));

    expect(audit.lines).toEqual([
      `ROLE_SCOPE_BROADER_THAN_DOCUMENTED medium: Identity ai-trader-api-mi holds Key Vault Secrets User only at ${scope}, broader than the documented kv-ai-trader-prod; it applies to every resource below that scope.`,
    ]);
  });

  it("should report a broader grant kept beside the documented one as excess", async () => {
    const estate = makeSmallEstate();
    estate.roleAssignments.push(grant(SMALL.principalId, "Key Vault Secrets User", MG_SCOPE));

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      `ROLE_NOT_DOCUMENTED medium: Identity ai-trader-api-mi holds Key Vault Secrets User at ${MG_SCOPE}, broader than the documented kv-ai-trader-prod, where it is also granted.`,
    ]);
  });

  it("should match role definition ids in both path forms (A15)", async () => {
    const estate = makeSmallEstate();
    estate.roleAssignments.push(
      grant(SMALL.principalId, "Key Vault Secrets User", SMALL.vaultId, {
        name: "aaaa0002-0000-4000-8000-000000000002",
        roleDefinitionId: `${ROLE_DEFINITIONS}/${BUILT_IN_ROLES["Key Vault Secrets User"]}`,
      }),
    );

    const audit = await auditThroughFake(estate);

    expect(
      new Set(audit.snapshot.roleAssignments.map((a) => a.roleDefinitionId.split("/")[1])),
    ).toEqual(new Set(["subscriptions", "providers"]));
    expect(audit.lines).toEqual([]);
  });

  it("should not count a grant on one secret as the documented vault role, yet let it resolve that secret", async () => {
    const audit = await auditThroughFake(grantedOnlyAt(SECRET_SCOPE));

    expect(audit.lines).toEqual([
      `ROLE_MISSING high: Identity ai-trader-api-mi (principal ${SMALL.principalId}) does not hold Key Vault Secrets User on kv-ai-trader-prod, as the doc says it does.`,
    ]);
  });

  it("should report a principal the doc does not list holding a data role on the vault, or on a secret in it", async () => {
    const estate = makeSmallEstate();
    estate.roleAssignments.push(
      grant(STRANGER, "Key Vault Secrets User", SMALL.vaultId),
      grant(STRANGER, "Key Vault Secrets Officer", SECRET_SCOPE),
      grant(STRANGER, "Key Vault Administrator", SMALL.resourceGroupId),
    );

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      `UNDOCUMENTED_ACCESS high: Undocumented principal ${STRANGER} holds Key Vault Administrator on kv-ai-trader-prod through ${SMALL.resourceGroupId}.`,
      `UNDOCUMENTED_ACCESS high: Undocumented principal ${STRANGER} holds Key Vault Secrets User on kv-ai-trader-prod.`,
      `UNDOCUMENTED_ACCESS high: Undocumented principal ${STRANGER} holds Key Vault Secrets Officer on kv-ai-trader-prod at ${SECRET_SCOPE}.`,
    ]);
  });

  it("should not report a stranger's control-plane role, nor a data role on a resource the doc does not name", async () => {
    const estate = makeSmallEstate();
    estate.roleAssignments.push(
      grant(STRANGER, "Reader", SMALL.vaultId),
      grant(
        STRANGER,
        "Key Vault Secrets User",
        `${SMALL.resourceGroupId}/providers/Microsoft.KeyVault/vaults/kv-other`,
      ),
    );

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([]);
  });

  it("should report a documented role held only through a group, and list the group's grant", async () => {
    const estate = grantedOnlyAt(SMALL.vaultId);
    estate.roleAssignments = [
      grant(GROUP, "Key Vault Secrets User", SMALL.vaultId, { principalType: "Group" }),
    ];
    estate.groupMembers = { [GROUP]: [SMALL.principalId] };

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      `KV_REFERENCE_IDENTITY_CANNOT_READ high: Key Vault references on app ai-trader-api cannot read vault kv-ai-trader-prod: the system-assigned identity (principal ${SMALL.principalId}) holds no Key Vault Secrets User (or broader secrets role) at the vault or above.`,
      `UNDOCUMENTED_ACCESS high: Undocumented group ${GROUP} holds Key Vault Secrets User on kv-ai-trader-prod.`,
      `ROLE_VIA_GROUP_ONLY medium: Identity ai-trader-api-mi holds Key Vault Secrets User on kv-ai-trader-prod only through group ${GROUP}.`,
    ]);
  });

  it("should not call a role held directly and through a group 'via group only'", async () => {
    const estate = makeSmallEstate();
    estate.roleAssignments.push(
      grant(GROUP, "Key Vault Secrets User", SMALL.vaultId, { principalType: "Group" }),
    );
    estate.groupMembers = { [GROUP]: [SMALL.principalId] };

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      `UNDOCUMENTED_ACCESS high: Undocumented group ${GROUP} holds Key Vault Secrets User on kv-ai-trader-prod.`,
    ]);
  });

  it("should find group grants of a principal whose object id the bindings write in upper case", async () => {
    const estate = makeSmallEstate();
    estate.roleAssignments.push(
      grant(GROUP, "Key Vault Secrets User", SMALL.vaultId, { principalType: "Group" }),
    );
    estate.groupMembers = { [GROUP]: [CI_PRINCIPAL] };

    const audit = await auditThroughFake(estate, { policy: ciPolicy(CI_PRINCIPAL.toUpperCase()) });

    expect(audit.lines).toEqual([
      `UNDOCUMENTED_ACCESS high: Undocumented group ${GROUP} holds Key Vault Secrets User on kv-ai-trader-prod.`,
      `ROLE_VIA_GROUP_ONLY medium: Identity gh-ai-trader-ci holds Key Vault Secrets User on kv-ai-trader-prod only through group ${GROUP}.`,
    ]);
  });

  it("should report a CI principal that holds nothing as missing its role", async () => {
    const audit = await auditThroughFake(makeSmallEstate(), { policy: ciPolicy(CI_PRINCIPAL) });

    expect(audit.lines).toEqual([
      `ROLE_MISSING high: Identity gh-ai-trader-ci (principal ${CI_PRINCIPAL}) does not hold Key Vault Secrets User on kv-ai-trader-prod, as the doc says it does.`,
    ]);
  });

  it("should say not evaluated, never role missing, when role assignments cannot be listed", async () => {
    const audit = await auditThroughFake(makeSmallEstate(), {
      prepare: (harness) => harness.fake.failArm(/roleAssignments$/),
    });

    expect(audit.findings.map((f) => `${f.ruleId} ${f.subject}`)).toEqual([
      "NOT_EVALUATED ai-trader-api-mi",
      "NOT_EVALUATED roleAssignments: 5e2d7c1a-3b4f-4a6e-9c8d-2f1e0a9b85df",
      "NOT_EVALUATED roleAssignments.viaGroups: 5e2d7c1a-3b4f-4a6e-9c8d-2f1e0a9b85df",
      "NOT_EVALUATED roleAssignments.scope: kv-ai-trader-prod",
    ]);
    expect(audit.lines[0]).toBe(
      `NOT_EVALUATED medium: Could not check the roles of identity ai-trader-api-mi: role assignments of principal ${SMALL.principalId} were not listed.`,
    );
  });

  it("should report an app that lost its managed identity", async () => {
    const estate = makeSmallEstate();
    estate.sites[0]!.identity = undefined;

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      "IDENTITY_MISSING high: App ai-trader-api has no system-assigned managed identity, so documented identity ai-trader-api-mi does not exist.",
      "KV_REFERENCE_IDENTITY_CANNOT_READ high: Key Vault references on app ai-trader-api cannot read vault kv-ai-trader-prod: the site has no system-assigned identity to resolve references with.",
      `UNDOCUMENTED_ACCESS high: Undocumented principal ${SMALL.principalId} holds Key Vault Secrets User on kv-ai-trader-prod.`,
    ]);
  });

  it("should report a recreated identity, and the grant left behind with the old one", async () => {
    const recreated = "f4e3d2c1-b0a9-4877-8655-4433221100aa";
    const estate = makeSmallEstate();
    estate.sites[0]!.identity!.principalId = recreated;

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      `IDENTITY_OBJECT_ID_MISMATCH high: Identity ai-trader-api-mi is principal ${recreated}, but the doc says its object id ends in 85df; it was probably recreated.`,
      `KV_REFERENCE_IDENTITY_CANNOT_READ high: Key Vault references on app ai-trader-api cannot read vault kv-ai-trader-prod: the system-assigned identity (principal ${recreated}) holds no Key Vault Secrets User (or broader secrets role) at the vault or above.`,
      `ROLE_MISSING high: Identity ai-trader-api-mi (principal ${recreated}) does not hold Key Vault Secrets User on kv-ai-trader-prod, as the doc says it does.`,
      `UNDOCUMENTED_ACCESS high: Undocumented principal ${SMALL.principalId} holds Key Vault Secrets User on kv-ai-trader-prod; it carries the doc's object id for ai-trader-api-mi, which now resolves to another principal: a grant left behind when the identity was recreated.`,
    ]);
  });

  it("should rate a privileged excess role high, another medium, and show a condition", async () => {
    const estate = makeSmallEstate();
    estate.roleAssignments[0]!.condition =
      "@Resource[Microsoft.KeyVault/vaults/secrets:name] StringEquals 'POSTGRES-CONN'";
    estate.roleAssignments[0]!.conditionVersion = "2.0";
    estate.roleAssignments.push(
      grant(SMALL.principalId, "Owner", SUBSCRIPTION_SCOPE),
      grant(SMALL.principalId, "Reader", SMALL.resourceGroupId),
    );

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      `ROLE_NOT_DOCUMENTED high: Identity ai-trader-api-mi holds privileged role Owner at ${SUBSCRIPTION_SCOPE}, which the doc does not list.`,
      `ROLE_NOT_DOCUMENTED medium: Identity ai-trader-api-mi holds Reader at ${SMALL.resourceGroupId}, which the doc does not list.`,
      `ROLE_ASSIGNMENT_CONDITION info: Identity ai-trader-api-mi's Key Vault Secrets User assignment at ${SMALL.vaultId} carries a condition the doc does not describe.`,
    ]);
  });
});

/** A role definition as the fake serves it, with one permission block. */
function makeDefinition(
  guid: string,
  roleName: string,
  type: FakeRoleDefinition["type"],
  permission: Partial<FakeRoleDefinition["permissions"][number]> = {},
): FakeRoleDefinition {
  return {
    name: guid,
    roleName,
    type,
    description: `${type} ${roleName}.`,
    assignableScopes: type === "CustomRole" ? [SUBSCRIPTION_SCOPE] : ["/"],
    permissions: [
      { actions: ["*/read"], notActions: [], dataActions: [], notDataActions: [], ...permission },
    ],
  };
}

/** The small estate, its identity documented with Key Vault Certificate User (not in the table). */
function certUserAudit(definition: FakeRoleDefinition) {
  const estate = makeSmallEstate();
  estate.roleDefinitions.push(definition);
  estate.roleAssignments.push(
    makeRoleAssignment({
      scope: SMALL.vaultId,
      principalId: SMALL.principalId,
      roleDefinitionId: `${SUBSCRIPTION_SCOPE}${ROLE_DEFINITIONS}/${definition.name}`,
    }),
  );
  const identity = makeSmallIdentity();
  identity.roles.push({
    ...identity.roles[0]!,
    roleName: CERT_USER,
    roleDefinitionGuid: undefined,
  });

  return auditThroughFake(estate, { policy: makeSmallPolicy({ identities: [identity] }) });
}

describe("roles judged by their definitions through the fake", () => {
  it("should not take a custom role named like an unlisted built-in for it", async () => {
    const audit = await certUserAudit(makeDefinition(CUSTOM_GUID, CERT_USER, "CustomRole"));

    expect(audit.lines).toEqual([
      `ROLE_MISSING high: Identity ai-trader-api-mi (principal ${SMALL.principalId}) does not hold ${CERT_USER} on kv-ai-trader-prod, as the doc says it does; the custom role ${CERT_USER} it holds at ${SMALL.vaultId} only shares the name and does not count.`,
      `ROLE_NOT_DOCUMENTED medium: Identity ai-trader-api-mi holds ${CERT_USER} at ${SMALL.vaultId}, which the doc does not list: it is a custom role that only shares its name with the documented one.`,
    ]);
  });

  it("should accept the built-in role of that name", async () => {
    const audit = await certUserAudit(makeDefinition(CERT_USER_GUID, CERT_USER, "BuiltInRole"));

    expect(audit.lines).toEqual([]);
  });

  it("should report a secrets role, not the auditor's own Key Vault Reader", async () => {
    const estate = makeSmallEstate();
    estate.roleAssignments.push(
      grant(AUDITOR, "Key Vault Reader", SMALL.vaultId),
      grant(STRANGER, "Key Vault Secrets User", SMALL.vaultId),
    );

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      `UNDOCUMENTED_ACCESS high: Undocumented principal ${STRANGER} holds Key Vault Secrets User on kv-ai-trader-prod.`,
    ]);
  });

  it("should rate roles that assign roles or do everything high, a reader medium", async () => {
    const estate = makeSmallEstate();
    estate.roleDefinitions.push(
      makeDefinition(CUSTOM_GUID, "Platform Operator", "CustomRole", { actions: ["*"] }),
    );
    estate.roleAssignments.push(
      grant(SMALL.principalId, "Key Vault Data Access Administrator", SUBSCRIPTION_SCOPE),
      makeRoleAssignment({
        scope: SUBSCRIPTION_SCOPE,
        principalId: SMALL.principalId,
        roleDefinitionId: `${SUBSCRIPTION_SCOPE}${ROLE_DEFINITIONS}/${CUSTOM_GUID}`,
      }),
      grant(SMALL.principalId, "Key Vault Reader", SMALL.resourceGroupId),
    );

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      `ROLE_NOT_DOCUMENTED high: Identity ai-trader-api-mi holds privileged role Key Vault Data Access Administrator at ${SUBSCRIPTION_SCOPE}, which the doc does not list.`,
      `ROLE_NOT_DOCUMENTED high: Identity ai-trader-api-mi holds privileged role Platform Operator at ${SUBSCRIPTION_SCOPE}, which the doc does not list.`,
      `ROLE_NOT_DOCUMENTED medium: Identity ai-trader-api-mi holds Key Vault Reader at ${SMALL.resourceGroupId}, which the doc does not list.`,
    ]);
  });
});
