/**
 * A Policy bound to a running fake, as `loadPolicy()` would build it from
 * policy/ with the fake's endpoints: for collector tests that should not
 * depend on the doc parser.
 */
import type {
  IdentityRequirement,
  Policy,
  RoleRequirement,
  SecretRequirement,
} from "../../src/audit/policy/policy-model.js";
import { DEFAULT_IDS, SECRET_SETTINGS } from "./default-estate.js";
import { BUILT_IN_ROLES } from "./estate-builders.js";
import type { BuiltInRoleName } from "./estate-builders.js";
import type { FakeAzure } from "./fake-azure.js";

const DOC = "policy/secrets.md";

function makeSecretRequirements(): SecretRequirement[] {
  return SECRET_SETTINGS.map(({ secret, setting }, index) => ({
    name: secret,
    vault: "main",
    purpose: "seeded",
    settings: [
      {
        name: setting,
        kind: "appSetting",
        apps: setting.startsWith("ALPACA_") ? ["api"] : ["api", "ui"],
        docRef: { file: DOC, line: 20 + index },
      },
    ],
    rotationClasses: index < 6 ? ["broker-vendor"] : [],
    maxAgeDays: index < 6 ? 90 : undefined,
    docRef: { file: DOC, line: 20 + index },
  }));
}

/** A documented built-in role at a scope, as the doc parser would bind it. */
export function makeRoleRequirement(
  name: BuiltInRoleName,
  scope: string,
  line: number,
): RoleRequirement {
  return {
    roleName: name,
    roleDefinitionGuid: BUILT_IN_ROLES[name],
    scope,
    scopeLabel: scope.split("/").at(-1) ?? scope,
    docRef: { file: DOC, line },
  };
}

function appRoles(line: number): RoleRequirement[] {
  return [
    makeRoleRequirement("Key Vault Secrets User", DEFAULT_IDS.vaultId, line),
    makeRoleRequirement("Azure Event Hubs Data Sender", DEFAULT_IDS.eventHubsId, line),
    makeRoleRequirement("Azure Event Hubs Data Receiver", DEFAULT_IDS.eventHubsId, line),
    makeRoleRequirement("Storage Blob Data Contributor", DEFAULT_IDS.storageId, line),
  ];
}

function makeIdentityRequirements(): IdentityRequirement[] {
  return [
    {
      name: "ai-trader-api-mi",
      principal: { kind: "systemAssigned", app: "api" },
      objectIdSuffix: "85df",
      roles: appRoles(34),
      docRef: { file: DOC, line: 34 },
    },
    {
      name: "ai-trader-ui-mi",
      principal: { kind: "systemAssigned", app: "ui" },
      objectIdSuffix: "4bb7",
      roles: appRoles(35),
      docRef: { file: DOC, line: 35 },
    },
    {
      name: "gh-ai-trader-ci",
      principal: { kind: "objectId", objectId: DEFAULT_IDS.ciPrincipalId },
      objectIdSuffix: undefined,
      roles: [
        makeRoleRequirement("Key Vault Secrets User", DEFAULT_IDS.vaultId, 36),
        makeRoleRequirement("Storage Blob Data Contributor", DEFAULT_IDS.storageId, 36),
      ],
      docRef: { file: DOC, line: 36 },
    },
  ];
}

/** The seeded policy, pointed at `fake`. Override any part for a test. */
export function makePolicyForFake(fake: FakeAzure, overrides: Partial<Policy> = {}): Policy {
  return {
    docFile: DOC,
    bindingsFile: "policy/bindings.yaml",
    subscriptionId: DEFAULT_IDS.subscriptionId,
    endpoints: {
      armEndpoint: fake.armEndpoint,
      armScope: `${fake.armAudience}/.default`,
      disableChallengeResourceVerification: true,
      graphEndpoint: fake.graphEndpoint,
      graphScope: `${fake.graphAudience}/.default`,
      verifyPrincipals: true,
    },
    vaults: {
      main: {
        name: DEFAULT_IDS.vaultName,
        resourceGroup: DEFAULT_IDS.resourceGroup,
        vaultUrl: fake.vaultUrl(DEFAULT_IDS.vaultName),
        resourceId: DEFAULT_IDS.vaultId,
      },
    },
    apps: {
      api: {
        name: DEFAULT_IDS.apiApp,
        resourceGroup: DEFAULT_IDS.resourceGroup,
        resourceId: DEFAULT_IDS.apiAppId,
        slots: [],
      },
      ui: {
        name: DEFAULT_IDS.uiApp,
        resourceGroup: DEFAULT_IDS.resourceGroup,
        resourceId: DEFAULT_IDS.uiAppId,
        slots: [],
      },
    },
    secrets: makeSecretRequirements(),
    identities: makeIdentityRequirements(),
    expiryWarningDays: [30, 7, 1],
    docMaxAgeDays: 180,
    lastVerified: "2025-11-06",
    waivers: [],
    findings: [],
    ...overrides,
  };
}
