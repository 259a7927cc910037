/**
 * Roles judged by their definitions rather than their names: a custom role
 * named like a built-in, metadata-only roles held by principals the doc
 * does not list (the auditor itself), and roles privileged by what they grant.
 */
import { describe, expect, it } from "vitest";

import type { RoleRequirement } from "../../src/audit/policy/policy-model.js";
import { grantsPrivilege } from "../../src/audit/rules/role-permissions.js";
import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import type { RoleAssignment, RoleDefinition } from "../../src/audit/snapshot/snapshot.js";
import {
  API_PRINCIPAL_ID,
  makeAssignment,
  makeIdentity,
  makePolicy,
  makeRole,
  makeSnapshot,
  NOW,
  RESOURCE_GROUP_ID,
  SUBSCRIPTION_ID,
  VAULT_ID,
} from "../builders.js";

const STRANGER = "99999999-0000-4000-8000-000000000009";
const GROUP = "66666666-0000-4000-8000-000000000006";
const SUBSCRIPTION_SCOPE = `/subscriptions/${SUBSCRIPTION_ID}`;
const DEFINITIONS = `${SUBSCRIPTION_SCOPE}/providers/Microsoft.Authorization/roleDefinitions`;
const CERT_USER = "Key Vault Certificate User";
const BUILT_IN_CERT_USER_GUID = "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba";
const CUSTOM_GUID = "11111111-2222-4333-8444-555555555555";
const KV_READER_GUID = "21090545-7ca7-4776-b22c-e363652d74d2";
const SECRETS_USER_GUID = "4633458b-17de-408a-b874-0445c86b69e6";
const GET_SECRET = "Microsoft.KeyVault/vaults/secrets/getSecret/action";

type Permission = NonNullable<RoleDefinition["permissions"]>[number];

function makeDefinition(
  guid: string,
  roleName: string,
  roleType: "BuiltInRole" | "CustomRole",
  permission?: Partial<Permission>,
): RoleDefinition {
  const permissions = permission && [
    { actions: [], notActions: [], dataActions: [], notDataActions: [], ...permission },
  ];

  return {
    id: `${DEFINITIONS}/${guid}`,
    roleName,
    roleType,
    ...(permissions ? { permissions } : {}),
  };
}

function grantOf(guid: string, overrides: Partial<RoleAssignment> = {}): RoleAssignment {
  const scope = overrides.scope ?? VAULT_ID;

  return makeAssignment({
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${guid.slice(0, 8)}`,
    roleDefinitionId: `${DEFINITIONS}/${guid}`,
    ...overrides,
  });
}

/**
 * The documented identity keeps its Key Vault Secrets User grant; `extra`
 * grants and definitions are added beside it, on a vault whose assignments
 * were all listed.
 */
function judge(
  extra: RoleAssignment[],
  definitions: RoleDefinition[],
  roles: RoleRequirement[] = [makeRole()],
): string[] {
  const snapshot = makeSnapshot({
    roleAssignments: [makeAssignment(), ...extra],
    scopesQueried: [VAULT_ID],
  });
  snapshot.vaults[0]!.enableRbacAuthorization = true;
  snapshot.roleDefinitions.push(...definitions);
  const policy = makePolicy({ identities: [makeIdentity({ roles })] });

  return evaluateRules({ policy, snapshot, now: NOW }).map(
    (finding) => `${finding.ruleId} ${finding.severity}: ${finding.message}`,
  );
}

describe("a documented role by a name the built-in table does not know", () => {
  const certUser = makeRole({ roleName: CERT_USER, roleDefinitionGuid: undefined });
  const roles = [makeRole(), certUser];

  it("should report it missing when only a custom role of that name is held", () => {
    const custom = makeDefinition(CUSTOM_GUID, CERT_USER, "CustomRole");

    expect(judge([grantOf(CUSTOM_GUID)], [custom], roles)).toEqual([
      `ROLE_MISSING high: Identity ai-trader-api-mi (principal ${API_PRINCIPAL_ID}) does not hold ${CERT_USER} on Key Vault, as the doc says it does; the custom role ${CERT_USER} it holds at ${VAULT_ID} only shares the name and does not count.`,
      `ROLE_NOT_DOCUMENTED medium: Identity ai-trader-api-mi holds ${CERT_USER} at ${VAULT_ID}, which the doc does not list: it is a custom role that only shares its name with the documented one.`,
    ]);
  });

  it("should tell how to assign the built-in one by GUID when the names clash", () => {
    const custom = makeDefinition(CUSTOM_GUID, CERT_USER, "CustomRole");
    const snapshot = makeSnapshot({ roleAssignments: [makeAssignment(), grantOf(CUSTOM_GUID)] });
    snapshot.roleDefinitions.push(custom);
    const policy = makePolicy({ identities: [makeIdentity({ roles })] });
    const missing = evaluateRules({ policy, snapshot, now: NOW }).find(
      (finding) => finding.ruleId === "ROLE_MISSING",
    );

    expect(missing?.observed).toBe(`only custom role ${CERT_USER} (${CUSTOM_GUID}) at ${VAULT_ID}`);
    expect(missing?.remediation).toContain(
      `--role <built-in-role-guid> --scope ${VAULT_ID}; find the GUID with ` +
        `az role definition list --name "${CERT_USER}"`,
    );
  });

  it("should report it missing, not broader, when the custom role is held above the scope", () => {
    const custom = makeDefinition(CUSTOM_GUID, CERT_USER, "CustomRole");
    const broad = grantOf(CUSTOM_GUID, { scope: RESOURCE_GROUP_ID });

    expect(judge([broad], [custom], roles).map((line) => line.split(":")[0])).toEqual([
      "ROLE_MISSING high",
      "ROLE_NOT_DOCUMENTED medium",
    ]);
  });

  it("should report it missing, not via a group, when a group holds the custom role", () => {
    const custom = makeDefinition(CUSTOM_GUID, CERT_USER, "CustomRole");
    const snapshot = makeSnapshot({
      roleAssignments: [
        makeAssignment(),
        grantOf(CUSTOM_GUID, { principalId: GROUP, principalType: "Group" }),
      ],
      principalGroups: { [API_PRINCIPAL_ID]: [GROUP] },
    });
    snapshot.roleDefinitions.push(custom);
    const policy = makePolicy({ identities: [makeIdentity({ roles })] });
    const ruleIds = evaluateRules({ policy, snapshot, now: NOW }).map((f) => f.ruleId);

    expect(ruleIds).toEqual(["ROLE_MISSING"]);
  });

  it("should accept the built-in role of that name", () => {
    const builtIn = makeDefinition(BUILT_IN_CERT_USER_GUID, CERT_USER, "BuiltInRole");

    expect(judge([grantOf(BUILT_IN_CERT_USER_GUID)], [builtIn], roles)).toEqual([]);
  });

  it("should pick the built-in role when a custom one of the same name is listed first", () => {
    const custom = makeDefinition(CUSTOM_GUID, CERT_USER, "CustomRole");
    const builtIn = makeDefinition(BUILT_IN_CERT_USER_GUID, CERT_USER, "BuiltInRole");

    expect(judge([grantOf(BUILT_IN_CERT_USER_GUID)], [custom, builtIn], roles)).toEqual([]);
  });

  it("should accept a custom role the doc names by its GUID", () => {
    const custom = makeDefinition(CUSTOM_GUID, CERT_USER, "CustomRole");
    const byGuid = makeRole({ roleName: CERT_USER, roleDefinitionGuid: CUSTOM_GUID });

    expect(judge([grantOf(CUSTOM_GUID)], [custom], [makeRole(), byGuid])).toEqual([]);
  });
});

describe("data access by a principal the doc does not list", () => {
  const kvReader = makeDefinition(KV_READER_GUID, "Key Vault Reader", "BuiltInRole", {
    actions: ["Microsoft.KeyVault/vaults/*/read"],
    dataActions: [
      "Microsoft.KeyVault/vaults/*/read",
      "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
    ],
  });
  const secretsUser = makeDefinition(SECRETS_USER_GUID, "Key Vault Secrets User", "BuiltInRole", {
    actions: ["*/read"],
    dataActions: [GET_SECRET, "Microsoft.KeyVault/vaults/secrets/readMetadata/action"],
  });

  it("should not report Key Vault Reader, the auditor's own grant: it reads metadata", () => {
    const auditor = grantOf(KV_READER_GUID, { principalId: STRANGER });

    expect(judge([auditor], [kvReader])).toEqual([]);
  });

  it("should not report a custom role whose data actions only read metadata", () => {
    const custom = makeDefinition(CUSTOM_GUID, "Vault Lister", "CustomRole", {
      dataActions: ["Microsoft.KeyVault/vaults/secrets/readMetadata/action"],
    });

    expect(judge([grantOf(CUSTOM_GUID, { principalId: STRANGER })], [custom])).toEqual([]);
  });

  it("should report Key Vault Secrets User beside it, which reads values", () => {
    const snapshot = makeSnapshot({
      roleAssignments: [
        makeAssignment(),
        grantOf(KV_READER_GUID, { principalId: STRANGER }),
        makeAssignment({ id: `${VAULT_ID}/ra-stranger`, principalId: STRANGER }),
      ],
      scopesQueried: [VAULT_ID],
    });
    snapshot.roleDefinitions = [secretsUser, kvReader];
    const lines = evaluateRules({ policy: makePolicy(), snapshot, now: NOW }).map(
      (f) => `${f.ruleId} ${f.severity}: ${f.message}`,
    );

    expect(lines).toEqual([
      `UNDOCUMENTED_ACCESS high: Undocumented principal ${STRANGER} holds Key Vault Secrets User on kv-ai-trader-prod.`,
    ]);
  });

  it("should report a custom role that reads one metadata field and one blob", () => {
    const custom = makeDefinition(CUSTOM_GUID, "Mixed Reader", "CustomRole", {
      dataActions: [
        "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
      ],
    });

    expect(judge([grantOf(CUSTOM_GUID, { principalId: STRANGER })], [custom])).toEqual([
      `UNDOCUMENTED_ACCESS high: Undocumented principal ${STRANGER} holds Mixed Reader on kv-ai-trader-prod.`,
    ]);
  });

  it("should fall back on the built-in role's name when its definition was not collected", () => {
    const unlisted = grantOf(SECRETS_USER_GUID, { principalId: STRANGER });
    const snapshot = makeSnapshot({
      roleAssignments: [makeAssignment(), unlisted],
      scopesQueried: [VAULT_ID],
      roleDefinitions: [],
    });
    const ruleIds = evaluateRules({ policy: makePolicy(), snapshot, now: NOW }).map(
      (f) => f.ruleId,
    );

    expect(ruleIds).toContain("UNDOCUMENTED_ACCESS");
  });
});

describe("privileged roles, by their permissions as well as the fixed list", () => {
  const atSubscription = grantOf(CUSTOM_GUID, { scope: SUBSCRIPTION_SCOPE });

  it.each([
    ["a custom role with every action", { actions: ["*"] }],
    ["every write", { actions: ["*/write"] }],
    [
      "every action but writes under Authorization",
      {
        actions: ["*"],
        notActions: ["Microsoft.Authorization/*/Write"],
      },
    ],
    ["role assignment writes", { actions: ["Microsoft.Authorization/roleAssignments/write"] }],
    ["everything under Authorization", { actions: ["Microsoft.Authorization/*"] }],
    ["Authorization writes", { actions: ["Microsoft.Authorization/*/write"] }],
    [
      "a wildcard over role assignments",
      { actions: ["Microsoft.Authorization/roleAssignments/*"] },
    ],
    ["every secret", { dataActions: ["Microsoft.KeyVault/vaults/secrets/*"] }],
    ["every data action", { dataActions: ["*"] }],
  ])("should rate excess %s high", (_what, permission: Partial<Permission>) => {
    const custom = makeDefinition(CUSTOM_GUID, "Platform Helper", "CustomRole", permission);

    expect(judge([atSubscription], [custom])).toEqual([
      `ROLE_NOT_DOCUMENTED high: Identity ai-trader-api-mi holds privileged role Platform Helper at ${SUBSCRIPTION_SCOPE}, which the doc does not list.`,
    ]);
  });

  it("should rate Key Vault Data Access Administrator at the subscription high", () => {
    const dataAccessAdmin = makeDefinition(
      "8b54135c-b56d-4d72-a534-26097cfdc8d8",
      "Key Vault Data Access Administrator",
      "BuiltInRole",
      {
        actions: [
          "Microsoft.Authorization/roleAssignments/delete",
          "Microsoft.Authorization/roleAssignments/write",
          "*/read",
        ],
      },
    );
    const grant = grantOf("8b54135c-b56d-4d72-a534-26097cfdc8d8", { scope: SUBSCRIPTION_SCOPE });

    expect(judge([grant], [dataAccessAdmin])).toEqual([
      `ROLE_NOT_DOCUMENTED high: Identity ai-trader-api-mi holds privileged role Key Vault Data Access Administrator at ${SUBSCRIPTION_SCOPE}, which the doc does not list.`,
    ]);
  });

  it.each([
    ["reads", { actions: ["*/read"] }],
    ["every action, all taken back", { actions: ["*"], notActions: ["*"] }],
    [
      "role assignment writes taken back",
      {
        actions: ["Microsoft.Authorization/roleAssignments/write"],
        notActions: ["Microsoft.Authorization/roleAssignments/*"],
      },
    ],
    ["one secret action", { dataActions: [GET_SECRET] }],
    [
      "every secret but values",
      {
        dataActions: ["Microsoft.KeyVault/vaults/secrets/*"],
        notDataActions: [GET_SECRET, "Microsoft.KeyVault/vaults/secrets/setSecret/action"],
      },
    ],
    ["every blob", { dataActions: ["Microsoft.Storage/storageAccounts/blobServices/*"] }],
  ])("should rate excess %s medium", (_what, permission: Partial<Permission>) => {
    const custom = makeDefinition(CUSTOM_GUID, "Platform Helper", "CustomRole", permission);

    expect(judge([atSubscription], [custom])).toEqual([
      `ROLE_NOT_DOCUMENTED medium: Identity ai-trader-api-mi holds Platform Helper at ${SUBSCRIPTION_SCOPE}, which the doc does not list.`,
    ]);
  });

  it("should keep the fixed list for a snapshot without permissions", () => {
    const contributor = grantOf("b24988ac-6180-42a0-ab88-20f7382dd24c", {
      scope: RESOURCE_GROUP_ID,
    });

    expect(judge([contributor], [])).toEqual([
      `ROLE_NOT_DOCUMENTED high: Identity ai-trader-api-mi holds privileged role Contributor at ${RESOURCE_GROUP_ID}, which the doc does not list.`,
    ]);
  });
});

describe("privilege read from what a role can still do after its exclusions", () => {
  const permission = (actions: string[], notActions: string[] = []) => ({
    actions,
    notActions,
    dataActions: [],
    notDataActions: [],
  });

  it.each([
    [
      "a reader made from * minus every write, delete and action",
      ["*"],
      ["*/write", "*/delete", "*/action"],
      false,
    ],
    [
      "Microsoft.Authorization/* minus its writes",
      ["Microsoft.Authorization/*"],
      ["Microsoft.Authorization/*/write"],
      false,
    ],
    [
      "Contributor's * minus Authorization writes",
      ["*"],
      ["Microsoft.Authorization/*/Write"],
      true,
    ],
    ["editing role definitions", ["Microsoft.Authorization/roleDefinitions/write"], [], true],
    ["a copy of Key Vault Contributor", ["Microsoft.KeyVault/*"], [], true],
    [
      "reading storage account keys",
      ["Microsoft.Storage/storageAccounts/listKeys/action"],
      [],
      true,
    ],
    ["reading sites", ["Microsoft.Web/sites/read"], [], false],
  ])("should judge %s", (_, actions, notActions, privileged) => {
    const definition = makeDefinition(
      CUSTOM_GUID,
      "Custom",
      "CustomRole",
      permission(actions, notActions),
    );

    expect(grantsPrivilege(definition)).toBe(privileged);
  });
});
