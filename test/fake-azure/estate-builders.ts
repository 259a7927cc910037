/**
 * Builders for fake estates: each takes the fields a test cares about and
 * fills the rest with plausible defaults.
 */
import { createHash } from "node:crypto";

import type {
  FakeDenyAssignment,
  FakeEstate,
  FakeRoleAssignment,
  FakeRoleDefinition,
  FakeSecret,
  FakeSecretVersion,
  FakeSite,
  FakeSlot,
  FakeVault,
} from "./estate-model.js";

/** Built-in roles the fake knows, by name → GUID (as published by Azure). */
export const BUILT_IN_ROLES = {
  Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
  "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
  "Key Vault Administrator": "00482a5a-887f-4fb3-b363-3b7fe8e74483",
  "Key Vault Secrets Officer": "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
  "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
  "Key Vault Reader": "21090545-7ca7-4776-b22c-e363652d74d2",
  "Key Vault Data Access Administrator": "8b54135c-b56d-4d72-a534-26097cfdc8d8",
  "Azure Event Hubs Data Owner": "f526a384-b230-433a-b45c-95f59c4a2dec",
  "Azure Event Hubs Data Sender": "2b629674-e913-4c01-ae53-ef4638d8f975",
  "Azure Event Hubs Data Receiver": "a638d3c7-ab3a-418d-83e6-5f17a39d4fde",
  "Storage Blob Data Owner": "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  "Website Contributor": "de139f84-1756-47ae-9be6-808fbbe84772",
} as const;

export type BuiltInRoleName = keyof typeof BUILT_IN_ROLES;

/** A deterministic hex id, so fixtures are stable across runs. */
export function makeHexId(seed: string, length = 32): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** A deterministic GUID-shaped id. */
export function makeGuid(seed: string): string {
  const hex = makeHexId(seed);

  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    "4" + hex.slice(13, 16),
    hex.slice(16, 20),
    hex.slice(20, 32),
  ].join("-");
}

/** Unix seconds for an ISO date, as Key Vault puts times on the wire. */
export function toUnixSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** The reference text App Service expects in a setting. */
export function makeKeyVaultReference(
  vaultName: string,
  secretName: string,
  version?: string,
): string {
  const suffix = version === undefined ? "" : version;

  return `@Microsoft.KeyVault(SecretUri=https://${vaultName}.vault.azure.net/secrets/${secretName}/${suffix})`;
}

export function makeSlot(overrides: Partial<FakeSlot> & { name: string }): FakeSlot {
  return {
    kind: "app,linux",
    identity: undefined,
    keyVaultReferenceIdentity: "SystemAssigned",
    appSettings: {},
    connectionStrings: {},
    appSettingReferences: {},
    connectionStringReferences: {},
    ...overrides,
  };
}

export function makeSite(overrides: Partial<FakeSite> & { name: string }): FakeSite {
  return {
    resourceGroup: "rg-test",
    location: "East US",
    slots: [],
    slotConfigNames: { appSettingNames: [], connectionStringNames: [] },
    ...makeSlot({ name: overrides.name }),
    ...overrides,
  };
}

/** A system-assigned identity block. */
export function makeSystemIdentity(principalId: string, tenantId: string): FakeSite["identity"] {
  return { type: "SystemAssigned", principalId, tenantId };
}

export function makeSecretVersion(overrides: Partial<FakeSecretVersion> = {}): FakeSecretVersion {
  const created = overrides.created ?? toUnixSeconds("2026-10-01T00:00:00Z");
  const version = overrides.version ?? makeHexId(`version-${created}-${overrides.value ?? ""}`);

  return {
    version,
    value: `CANARY-SECRET-VALUE-${version.slice(0, 12)}`,
    enabled: true,
    created,
    updated: created,
    expires: created + 365 * 24 * 3600,
    contentType: "text/plain",
    ...overrides,
  };
}

/** A secret with one version unless `versions` is given. */
export function makeSecret(
  overrides: Partial<FakeSecret> & { name: string; created?: string },
): FakeSecret {
  const { created, ...rest } = overrides;
  const version = makeSecretVersion({
    created: toUnixSeconds(created ?? "2026-10-01T00:00:00Z"),
    version: makeHexId(`${overrides.name}-1`),
    value: `CANARY-SECRET-VALUE-${overrides.name}`,
  });

  return { managed: false, versions: [version], ...rest };
}

/** The version Key Vault treats as current: the one created last. */
export function currentVersionOf(secret: FakeSecret): FakeSecretVersion | undefined {
  return [...secret.versions].sort((a, b) => b.created - a.created)[0];
}

export function makeVault(overrides: Partial<FakeVault> & { name: string }): FakeVault {
  return {
    resourceGroup: "rg-test",
    location: "eastus",
    enableRbacAuthorization: true,
    accessPolicies: [],
    publicNetworkAccess: "Enabled",
    secrets: [],
    deletedSecrets: [],
    ...overrides,
  };
}

/** A role definition id in the subscription-prefixed form ARM usually returns. */
export function roleDefinitionIdFor(subscriptionId: string, role: BuiltInRoleName): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES[role]}`;
}

export function makeRoleAssignment(
  overrides: Partial<FakeRoleAssignment> & Pick<FakeRoleAssignment, "scope" | "principalId">,
): FakeRoleAssignment {
  return {
    name: makeGuid(
      `${overrides.scope}|${overrides.principalId}|${overrides.roleDefinitionId ?? ""}`,
    ),
    roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${BUILT_IN_ROLES.Reader}`,
    principalType: "ServicePrincipal",
    ...overrides,
  };
}

const DATA_ACTIONS: Partial<Record<BuiltInRoleName, string[]>> = {
  "Key Vault Secrets User": [
    "Microsoft.KeyVault/vaults/secrets/getSecret/action",
    "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
  ],
  // As Azure publishes it: metadata of every vault object, never a value.
  "Key Vault Reader": [
    "Microsoft.KeyVault/vaults/*/read",
    "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
  ],
  "Key Vault Secrets Officer": ["Microsoft.KeyVault/vaults/secrets/*"],
  "Key Vault Administrator": ["Microsoft.KeyVault/vaults/*"],
  "Azure Event Hubs Data Sender": ["Microsoft.EventHub/namespaces/messages/send/action"],
  "Azure Event Hubs Data Receiver": ["Microsoft.EventHub/namespaces/messages/receive/action"],
  "Storage Blob Data Contributor": [
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*",
  ],
  "Storage Blob Data Reader": [
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
  ],
};

/** Control-plane actions of the roles that may do more than read; the rest read everything. */
const ACTIONS: Partial<Record<BuiltInRoleName, string[]>> = {
  Owner: ["*"],
  Contributor: ["*"],
  "Key Vault Data Access Administrator": [
    "Microsoft.Authorization/roleAssignments/delete",
    "Microsoft.Authorization/roleAssignments/write",
    "*/read",
  ],
};

export function makeBuiltInRoleDefinition(role: BuiltInRoleName): FakeRoleDefinition {
  return {
    name: BUILT_IN_ROLES[role],
    roleName: role,
    type: "BuiltInRole",
    description: `Built-in role ${role}.`,
    assignableScopes: ["/"],
    permissions: [
      {
        actions: ACTIONS[role] ?? ["*/read"],
        notActions: [],
        dataActions: DATA_ACTIONS[role] ?? [],
        notDataActions: [],
      },
    ],
  };
}

export function makeAllBuiltInRoleDefinitions(): FakeRoleDefinition[] {
  return (Object.keys(BUILT_IN_ROLES) as BuiltInRoleName[]).map(makeBuiltInRoleDefinition);
}

/** The object id a deny assignment uses for "all principals" (type `SystemDefined`). */
export const EVERYONE_PRINCIPAL_ID = "00000000-0000-0000-0000-000000000000";

/**
 * A deny assignment like a deployment stack's `denyDelete`: everyone, every
 * delete, at `scope` and below, unless the overrides say otherwise.
 */
export function makeDenyAssignment(
  overrides: Partial<FakeDenyAssignment> & Pick<FakeDenyAssignment, "scope">,
): FakeDenyAssignment {
  const name = makeGuid(`deny|${overrides.scope}|${overrides.denyAssignmentName ?? ""}`);

  return {
    name,
    denyAssignmentName: `Deny assignment '${name}' created by Deployment Stack`,
    description: "Created by a deployment stack's deny settings.",
    permissions: [{ actions: ["*/delete"], notActions: [], dataActions: [], notDataActions: [] }],
    principals: [{ id: EVERYONE_PRINCIPAL_ID, type: "SystemDefined" }],
    excludePrincipals: [],
    doNotApplyToChildScopes: false,
    isSystemProtected: true,
    ...overrides,
  };
}

export function makeEstate(overrides: Partial<FakeEstate> = {}): FakeEstate {
  return {
    tenantId: "72f9a1b2-0c3d-4e5f-8a9b-0c1d2e3f4a5b",
    subscriptionId: "00000000-0000-0000-0000-000000000000",
    managementGroups: [],
    groupMembers: {},
    sites: [],
    vaults: [],
    roleAssignments: [],
    roleDefinitions: makeAllBuiltInRoleDefinitions(),
    denyAssignments: [],
    directoryObjects: [],
    paging: { armPageSize: 2, vaultPageSize: 3 },
    ...overrides,
  };
}
