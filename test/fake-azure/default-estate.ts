/**
 * The seeded estate: the ai-trader production resources that policy/ and
 * its bindings describe, with no drift. Tests copy it and plant drift.
 */
import {
  makeEstate,
  makeKeyVaultReference,
  makeRoleAssignment,
  makeSecret,
  makeSite,
  makeSystemIdentity,
  makeVault,
  roleDefinitionIdFor,
} from "./estate-builders.js";
import type { BuiltInRoleName } from "./estate-builders.js";
import type { FakeEstate, FakeRoleAssignment, FakeSite } from "./estate-model.js";

const subscriptionId = "6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d";
const resourceGroup = "rg-ai-trader-prod";
const rgId = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;

/** Names and ids of the seeded estate, for tests and policy fixtures. */
export const DEFAULT_IDS = {
  tenantId: "8d4e6f2a-1b3c-4d5e-9f0a-7b8c9d0e1f2a",
  subscriptionId,
  resourceGroup,
  managementGroup: "mg-ai-trader",
  vaultName: "kv-ai-trader-prod",
  vaultId: `${rgId}/providers/Microsoft.KeyVault/vaults/kv-ai-trader-prod`,
  apiApp: "ai-trader-api",
  apiAppId: `${rgId}/providers/Microsoft.Web/sites/ai-trader-api`,
  uiApp: "ai-trader-ui",
  uiAppId: `${rgId}/providers/Microsoft.Web/sites/ai-trader-ui`,
  apiPrincipalId: "5e2d7c1a-3b4f-4a6e-9c8d-2f1e0a9b85df",
  uiPrincipalId: "a1c3e5f7-2b4d-4f6a-8c1e-3d5f7a9c4bb7",
  ciPrincipalId: "0b7c4e2a-9d13-4f6e-8a21-3c5d7e9f4bb0",
  storageAccount: "aitraderblobstore",
  storageId: `${rgId}/providers/Microsoft.Storage/storageAccounts/aitraderblobstore`,
  eventHubsNamespace: "evh-ai-trader-prod",
  eventHubsId: `${rgId}/providers/Microsoft.EventHub/namespaces/evh-ai-trader-prod`,
  /** A human admin, present so that principal filters have something to exclude. */
  adminUserId: "c0ffee00-1234-4abc-8def-0123456789ab",
} as const;

/** The documented secret → setting pairs, in the doc's order. */
export const SECRET_SETTINGS: readonly { secret: string; setting: string }[] = [
  { secret: "ALPACA-KEY-ID", setting: "ALPACA_API_KEY" },
  { secret: "ALPACA-SECRET-KEY", setting: "ALPACA_API_SECRET" },
  { secret: "ALPHAVANTAGE-API-KEY", setting: "ALPHAVANTAGE_API_KEY" },
  { secret: "FINNHUB-API-KEY", setting: "FINNHUB_API_KEY" },
  { secret: "TWELVEDATA-API-KEY", setting: "TWELVEDATA_API_KEY" },
  { secret: "YAHOO-REFRESH-TOKEN", setting: "YAHOO_API_TOKEN" },
  { secret: "POSTGRES-CONN", setting: "DATABASE_URL" },
  { secret: "BLOB-CONN", setting: "AZURE_STORAGE_CONNECTION_STRING" },
  { secret: "TELEMETRY-CONN", setting: "APPINSIGHTS_CONNECTION_STRING" },
];

/** The API app carries every documented setting. */
export const API_SETTINGS: readonly string[] = SECRET_SETTINGS.map((p) => p.setting);

/** The settings policy/bindings.yaml gives the UI app: no broker keys. */
export const UI_SETTINGS: readonly string[] = SECRET_SETTINGS.map((p) => p.setting).filter(
  (setting) => !setting.startsWith("ALPACA_"),
);

/** When every seeded secret version was created; 47 days before 2026-12-01. */
export const DEFAULT_SECRET_CREATED = "2026-10-15T00:00:00Z";

function makeReferenceSettings(settings: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    SECRET_SETTINGS.filter(({ setting }) => settings.includes(setting)).map(
      ({ secret, setting }) => [setting, makeKeyVaultReference(DEFAULT_IDS.vaultName, secret)],
    ),
  );
}

function makeAppSite(
  name: string,
  principalId: string,
  settings: readonly string[],
  extra: Record<string, string>,
): FakeSite {
  return makeSite({
    name,
    resourceGroup,
    kind: "app,linux",
    identity: makeSystemIdentity(principalId, DEFAULT_IDS.tenantId),
    appSettings: { ...makeReferenceSettings(settings), ...extra },
  });
}

function grant(principalId: string, role: BuiltInRoleName, scope: string): FakeRoleAssignment {
  return makeRoleAssignment({
    scope,
    principalId,
    roleDefinitionId: roleDefinitionIdFor(subscriptionId, role),
  });
}

function makeAppGrants(principalId: string): FakeRoleAssignment[] {
  return [
    grant(principalId, "Key Vault Secrets User", DEFAULT_IDS.vaultId),
    grant(principalId, "Azure Event Hubs Data Sender", DEFAULT_IDS.eventHubsId),
    grant(principalId, "Azure Event Hubs Data Receiver", DEFAULT_IDS.eventHubsId),
    grant(principalId, "Storage Blob Data Contributor", DEFAULT_IDS.storageId),
  ];
}

function makeDefaultGrants(): FakeRoleAssignment[] {
  return [
    ...makeAppGrants(DEFAULT_IDS.apiPrincipalId),
    ...makeAppGrants(DEFAULT_IDS.uiPrincipalId),
    grant(DEFAULT_IDS.ciPrincipalId, "Key Vault Secrets User", DEFAULT_IDS.vaultId),
    grant(DEFAULT_IDS.ciPrincipalId, "Storage Blob Data Contributor", DEFAULT_IDS.storageId),
    {
      ...grant(DEFAULT_IDS.adminUserId, "Owner", `/subscriptions/${subscriptionId}`),
      principalType: "User",
    },
  ];
}

/** A fresh copy of the seeded estate: clean against the documented matrix. */
export function makeDefaultEstate(): FakeEstate {
  return makeEstate({
    tenantId: DEFAULT_IDS.tenantId,
    subscriptionId,
    managementGroups: [DEFAULT_IDS.managementGroup],
    sites: [
      makeAppSite(DEFAULT_IDS.apiApp, DEFAULT_IDS.apiPrincipalId, API_SETTINGS, {
        WEBSITES_PORT: "8000",
      }),
      makeAppSite(DEFAULT_IDS.uiApp, DEFAULT_IDS.uiPrincipalId, UI_SETTINGS, {
        WEBSITES_PORT: "8501",
      }),
    ],
    vaults: [
      makeVault({
        name: DEFAULT_IDS.vaultName,
        resourceGroup,
        secrets: SECRET_SETTINGS.map(({ secret }) =>
          makeSecret({ name: secret, created: DEFAULT_SECRET_CREATED }),
        ),
      }),
    ],
    roleAssignments: makeDefaultGrants(),
    directoryObjects: [
      {
        id: DEFAULT_IDS.ciPrincipalId,
        kind: "servicePrincipal",
        servicePrincipalType: "Application",
        displayName: "gh-ai-trader-ci",
      },
    ],
  });
}
