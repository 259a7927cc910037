import type {
  IdentityRequirement,
  Policy,
  RoleRequirement,
  SecretRequirement,
  SettingRequirement,
} from "../src/audit/policy/policy-model.js";
import type {
  DenyAssignment,
  RoleAssignment,
  SecretProperties,
  SettingObservation,
  SiteSnapshot,
  Snapshot,
} from "../src/audit/snapshot/snapshot.js";

export const SUBSCRIPTION_ID = "6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d";
export const RESOURCE_GROUP_ID = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-ai-trader-prod`;
export const VAULT_ID = `${RESOURCE_GROUP_ID}/providers/Microsoft.KeyVault/vaults/kv-ai-trader-prod`;
export const API_APP_ID = `${RESOURCE_GROUP_ID}/providers/Microsoft.Web/sites/ai-trader-api`;
export const API_PRINCIPAL_ID = "3d0b7a52-6f4e-4c1a-9b7d-2e8f1a6c85df";
export const SECRETS_USER_GUID = "4633458b-17de-408a-b874-0445c86b69e6";
export const CONTRIBUTOR_GUID = "b24988ac-6180-42a0-ab88-20f7382dd24c";
export const NOW = new Date("2026-12-01T00:00:00Z");

export function makeSetting(overrides: Partial<SettingRequirement> = {}): SettingRequirement {
  return {
    name: "ALPACA_API_KEY",
    kind: "appSetting",
    apps: ["api"],
    docRef: { file: "policy/secrets.md", line: 19 },
    ...overrides,
  };
}

export function makeSecret(overrides: Partial<SecretRequirement> = {}): SecretRequirement {
  return {
    name: "ALPACA-KEY-ID",
    vault: "main",
    purpose: "Broker API key (paper/live)",
    settings: [makeSetting()],
    rotationClasses: ["broker-vendor"],
    maxAgeDays: 90,
    docRef: { file: "policy/secrets.md", line: 19 },
    ...overrides,
  };
}

export function makeRole(overrides: Partial<RoleRequirement> = {}): RoleRequirement {
  return {
    roleName: "Key Vault Secrets User",
    roleDefinitionGuid: SECRETS_USER_GUID,
    scope: VAULT_ID,
    scopeLabel: "Key Vault",
    docRef: { file: "policy/secrets.md", line: 33 },
    ...overrides,
  };
}

export function makeIdentity(overrides: Partial<IdentityRequirement> = {}): IdentityRequirement {
  return {
    name: "ai-trader-api-mi",
    principal: { kind: "systemAssigned", app: "api" },
    objectIdSuffix: "85df",
    roles: [makeRole()],
    docRef: { file: "policy/secrets.md", line: 33 },
    ...overrides,
  };
}

export function makePolicy(overrides: Partial<Policy> = {}): Policy {
  return {
    docFile: "policy/secrets.md",
    bindingsFile: "policy/bindings.yaml",
    subscriptionId: SUBSCRIPTION_ID,
    endpoints: {
      armEndpoint: "https://management.azure.com",
      armScope: "https://management.azure.com/.default",
      disableChallengeResourceVerification: false,
      graphEndpoint: "https://graph.microsoft.com",
      graphScope: "https://graph.microsoft.com/.default",
      verifyPrincipals: true,
    },
    vaults: {
      main: {
        name: "kv-ai-trader-prod",
        resourceGroup: "rg-ai-trader-prod",
        vaultUrl: "https://kv-ai-trader-prod.vault.azure.net",
        resourceId: VAULT_ID,
      },
    },
    apps: {
      api: {
        name: "ai-trader-api",
        resourceGroup: "rg-ai-trader-prod",
        resourceId: API_APP_ID,
        slots: [],
      },
    },
    secrets: [makeSecret()],
    identities: [makeIdentity()],
    expiryWarningDays: [30, 7, 1],
    docMaxAgeDays: 180,
    lastVerified: undefined,
    waivers: [],
    findings: [],
    ...overrides,
  };
}

export function makeSecretProperties(overrides: Partial<SecretProperties> = {}): SecretProperties {
  return {
    name: "ALPACA-KEY-ID",
    version: "7f3d1c9a2b4e4f6a8c0d1e2f3a4b5c6d",
    enabled: true,
    createdOn: "2026-10-15T09:00:00.000Z",
    updatedOn: "2026-10-15T09:00:00.000Z",
    expiresOn: "2027-01-13T09:00:00.000Z",
    notBefore: undefined,
    managed: false,
    contentType: undefined,
    ...overrides,
  };
}

export function makeReferenceSetting(
  overrides: Partial<SettingObservation> = {},
): SettingObservation {
  return {
    name: "ALPACA_API_KEY",
    kind: "appSetting",
    valueKind: "keyVaultReference",
    reference: {
      form: "SecretUri",
      vaultName: "kv-ai-trader-prod",
      secretName: "ALPACA-KEY-ID",
      secretVersion: undefined,
    },
    ...overrides,
  };
}

export function makeSite(overrides: Partial<SiteSnapshot> = {}): SiteSnapshot {
  return {
    resourceId: API_APP_ID,
    name: "ai-trader-api",
    resourceGroup: "rg-ai-trader-prod",
    slot: undefined,
    kind: "app,linux",
    identity: {
      type: "SystemAssigned",
      principalId: API_PRINCIPAL_ID,
      tenantId: undefined,
      userAssigned: [],
    },
    keyVaultReferenceIdentity: "SystemAssigned",
    settings: [makeReferenceSetting()],
    ...overrides,
  };
}

export function makeAssignment(overrides: Partial<RoleAssignment> = {}): RoleAssignment {
  return {
    id: `${VAULT_ID}/providers/Microsoft.Authorization/roleAssignments/0f1e2d3c-0000-4000-8000-000000000001`,
    scope: VAULT_ID,
    principalId: API_PRINCIPAL_ID,
    principalType: "ServicePrincipal",
    roleDefinitionId: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/${SECRETS_USER_GUID}`,
    condition: undefined,
    ...overrides,
  };
}

export const EVERYONE_PRINCIPAL_ID = "00000000-0000-0000-0000-000000000000";

/** A deployment stack's `denyDelete` on the vault: everyone, every delete, the vault and below. */
export function makeDenyAssignment(overrides: Partial<DenyAssignment> = {}): DenyAssignment {
  const scope = overrides.scope ?? VAULT_ID;

  return {
    id: `${scope}/providers/Microsoft.Authorization/denyAssignments/9d8c7b6a-0000-4000-8000-000000000001`,
    denyAssignmentName: "Deny assignment created by Deployment Stack 'stack-ai-trader'",
    scope,
    permissions: [{ actions: ["*/delete"], notActions: [], dataActions: [], notDataActions: [] }],
    principals: [{ id: EVERYONE_PRINCIPAL_ID, type: "SystemDefined" }],
    excludePrincipals: [],
    doNotApplyToChildScopes: false,
    isSystemProtected: true,
    ...overrides,
  };
}

export function makeSnapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    schemaVersion: 1,
    collectedAt: NOW.toISOString(),
    subscriptionId: SUBSCRIPTION_ID,
    vaults: [
      {
        key: "main",
        name: "kv-ai-trader-prod",
        resourceId: VAULT_ID,
        vaultUrl: "https://kv-ai-trader-prod.vault.azure.net",
        secrets: [makeSecretProperties()],
      },
    ],
    sites: [makeSite()],
    principalsQueried: [API_PRINCIPAL_ID],
    roleAssignments: [makeAssignment()],
    roleDefinitions: [
      {
        id: `/providers/Microsoft.Authorization/roleDefinitions/${SECRETS_USER_GUID}`,
        roleName: "Key Vault Secrets User",
        roleType: "BuiltInRole",
      },
      {
        id: `/providers/Microsoft.Authorization/roleDefinitions/${CONTRIBUTOR_GUID}`,
        roleName: "Contributor",
        roleType: "BuiltInRole",
      },
    ],
    gaps: [],
    ...overrides,
  };
}
