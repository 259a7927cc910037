/**
 * A snapshot of an estate plan as the collectors would leave it, with drift
 * planted at fixed strides so that most rules have something to report:
 * missing and pasted settings, secret-looking plaintext, lost identities,
 * stale and expiring secrets, undocumented secrets, missing and excess
 * roles, and undocumented principals with data access.
 */
import type {
  ConfigReferenceStatus,
  RoleAssignment,
  RoleDefinition,
  SecretProperties,
  SettingObservation,
  SiteSnapshot,
  Snapshot,
} from "../src/audit/snapshot/snapshot.js";
import {
  makeAllBuiltInRoleDefinitions,
  makeGuid,
  makeHexId,
  roleDefinitionIdFor,
} from "../test/fake-azure/estate-builders.js";
import type { BuiltInRoleName } from "../test/fake-azure/estate-builders.js";
import { PLAN_IDS } from "./estate-plan.js";
import type { EstatePlan, PlannedApp } from "./estate-plan.js";
import { APP_ROLES } from "./make-plan-policy.js";

/** The clock the rules judge this snapshot against. */
export const PLAN_NOW = new Date("2026-12-01T00:00:00Z");

/** Every `stride`-th item, starting at `offset`, carries a given drift. */
function every(index: number, stride: number, offset: number): boolean {
  return index % stride === offset;
}

function makeReferenceSetting(plan: EstatePlan, secretIndex: number): SettingObservation {
  const secret = plan.secrets[secretIndex];

  return {
    name: secret?.setting ?? "",
    kind: "appSetting",
    valueKind: "keyVaultReference",
    reference: {
      form: "SecretUri",
      vaultName: PLAN_IDS.vaultName,
      secretName: secret?.name ?? "",
      secretVersion: undefined,
    },
  };
}

function makeSettings(plan: EstatePlan, app: PlannedApp, index: number): SettingObservation[] {
  const settings = app.secretIndexes
    .map((secretIndex) => makeReferenceSetting(plan, secretIndex))
    .filter((_, k) => !(k === 0 && every(index, 10, 3)))
    .map((setting, k): SettingObservation => {
      const pasted = k === 1 && every(index, 7, 4);

      return pasted ? { name: setting.name, kind: "appSetting", valueKind: "plaintext" } : setting;
    });
  const port: SettingObservation = {
    name: "WEBSITES_PORT",
    kind: "appSetting",
    valueKind: "plaintext",
  };
  const leaked: SettingObservation[] = every(index, 13, 5)
    ? [{ name: "LEGACY_API_TOKEN", kind: "appSetting", valueKind: "plaintext", valueShape: "JWT" }]
    : [];

  return [...settings, port, ...leaked];
}

/** App Service's own report on each reference: resolved, at the current version. */
function makeConfigReferences(settings: SettingObservation[]): ConfigReferenceStatus[] {
  return settings.flatMap(({ name, reference }) =>
    reference
      ? [
          {
            name,
            kind: "appSetting",
            status: "Resolved",
            vaultName: reference.vaultName,
            secretName: reference.secretName,
            secretVersion: undefined,
            activeVersion: makeHexId(`${reference.secretName}-1`),
            identityType: "SystemAssigned",
            details: undefined,
          } satisfies ConfigReferenceStatus,
        ]
      : [],
  );
}

function makeSite(plan: EstatePlan, app: PlannedApp, index: number): SiteSnapshot {
  const settings = makeSettings(plan, app, index);

  return {
    resourceId: app.resourceId,
    name: app.name,
    resourceGroup: PLAN_IDS.resourceGroup,
    slot: undefined,
    kind: "app,linux",
    identity: every(index, 50, 9)
      ? undefined
      : {
          type: "SystemAssigned",
          principalId: app.principalId,
          tenantId: PLAN_IDS.tenantId,
          userAssigned: [],
        },
    keyVaultReferenceIdentity: "SystemAssigned",
    settings,
    configReferences: makeConfigReferences(settings),
  };
}

function makeSecretProperties(name: string, index: number): SecretProperties {
  const stale = every(index, 3, 0) && every(index, 2, 1);
  const createdOn = stale ? "2026-07-01T00:00:00.000Z" : "2026-10-15T00:00:00.000Z";
  const expiresOn = every(index, 11, 0) ? "2026-12-10T00:00:00.000Z" : "2027-06-01T00:00:00.000Z";

  return {
    name,
    version: makeHexId(`${name}-1`),
    enabled: !every(index, 53, 0),
    createdOn,
    updatedOn: createdOn,
    expiresOn: every(index, 17, 0) ? undefined : expiresOn,
    notBefore: undefined,
    managed: false,
    contentType: "text/plain",
  };
}

function makeVaultSecrets(plan: EstatePlan): SecretProperties[] {
  const documented = plan.secrets
    .map((secret, index) => ({ secret, index }))
    .filter(({ index }) => !every(index, 97, 11))
    .map(({ secret, index }) => makeSecretProperties(secret.name, index));
  const undocumented = Array.from({ length: Math.ceil(plan.secrets.length / 10) }, (_, index) =>
    makeSecretProperties(`OLD-${String(index).padStart(4, "0")}-TOKEN`, index),
  );

  return [...documented, ...undocumented];
}

function grant(principalId: string, role: BuiltInRoleName, scope: string): RoleAssignment {
  const guid = makeGuid(`${scope}|${principalId}|${role}`);

  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${guid}`,
    scope,
    principalId,
    principalType: "ServicePrincipal",
    roleDefinitionId: roleDefinitionIdFor(PLAN_IDS.subscriptionId, role),
    condition: undefined,
  };
}

function makeAppGrants(app: PlannedApp, index: number): RoleAssignment[] {
  // Every 30th app lost its first documented grant.
  const documented = APP_ROLES.filter((_, k) => !(k === 0 && every(index, 30, 2))).map(
    ([role, scope]) => grant(app.principalId, role, scope),
  );
  const reader = every(index, 2, 0) ? [grant(app.principalId, "Reader", app.resourceId)] : [];
  const contributor = every(index, 20, 1)
    ? [grant(app.principalId, "Contributor", PLAN_IDS.resourceGroupId)]
    : [];

  return [...documented, ...reader, ...contributor];
}

function makeAssignments(plan: EstatePlan): RoleAssignment[] {
  const strangers = Array.from({ length: Math.ceil(plan.apps.length / 5) }, (_, index) =>
    grant(makeGuid(`bench-stranger-${index}`), "Key Vault Secrets User", PLAN_IDS.vaultId),
  );
  const humans = ["alice", "bob", "carol"].map((name) => ({
    ...grant(makeGuid(`bench-user-${name}`), "Owner", `/subscriptions/${PLAN_IDS.subscriptionId}`),
    principalType: "User",
  }));

  return [
    ...plan.apps.flatMap(makeAppGrants),
    grant(PLAN_IDS.ciPrincipalId, "Key Vault Secrets User", PLAN_IDS.vaultId),
    ...strangers,
    ...humans,
  ];
}

function makeRoleDefinitions(): RoleDefinition[] {
  return makeAllBuiltInRoleDefinitions().map((definition) => ({
    id: `/providers/Microsoft.Authorization/roleDefinitions/${definition.name}`,
    roleName: definition.roleName,
    roleType: definition.type,
    permissions: definition.permissions,
    assignableScopes: definition.assignableScopes,
  }));
}

/** What a clean collection of `plan` would return, with the drift above planted. */
export function makePlanSnapshot(plan: EstatePlan): Snapshot {
  const principals = [PLAN_IDS.ciPrincipalId, ...plan.apps.map((app) => app.principalId)];

  return {
    schemaVersion: 1,
    collectedAt: PLAN_NOW.toISOString(),
    subscriptionId: PLAN_IDS.subscriptionId,
    vaults: [
      {
        key: "main",
        name: PLAN_IDS.vaultName,
        resourceId: PLAN_IDS.vaultId,
        vaultUrl: `https://${PLAN_IDS.vaultName}.vault.azure.net`,
        secrets: makeVaultSecrets(plan),
        secretsSource: "dataPlane",
        enableRbacAuthorization: true,
        accessPolicies: [],
        publicNetworkAccess: "Enabled",
      },
    ],
    sites: plan.apps.map((app, index) => makeSite(plan, app, index)),
    principalsQueried: principals,
    roleAssignments: makeAssignments(plan),
    roleDefinitions: makeRoleDefinitions(),
    gaps: [],
    notFound: [],
    scopesQueried: [PLAN_IDS.vaultId, PLAN_IDS.storageId, PLAN_IDS.eventHubsId],
    principalGroups: Object.fromEntries(principals.map((id) => [id, []])),
  };
}
