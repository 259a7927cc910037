/**
 * The policy a doc for an estate plan would bind to: every secret with the
 * setting and apps it feeds, and one identity per app holding the four
 * roles the seed's app identities hold.
 */
import type {
  AppBinding,
  AzureEndpoints,
  IdentityRequirement,
  Policy,
  SecretRequirement,
} from "../src/audit/policy/policy-model.js";
import type { BuiltInRoleName } from "../test/fake-azure/estate-builders.js";
import { makeRoleRequirement } from "../test/fake-azure/policy-for-fake.js";
import { findConsumers, PLAN_IDS } from "./estate-plan.js";
import type { EstatePlan, PlannedApp } from "./estate-plan.js";

const DOC = "policy/secrets.md";
const ROTATING_EVERY = 3;

/** The identity roles the doc lists for each app, as `[role, scope]`. */
export const APP_ROLES: readonly [BuiltInRoleName, string][] = [
  ["Key Vault Secrets User", PLAN_IDS.vaultId],
  ["Storage Blob Data Contributor", PLAN_IDS.storageId],
  ["Azure Event Hubs Data Sender", PLAN_IDS.eventHubsId],
  ["Azure Event Hubs Data Receiver", PLAN_IDS.eventHubsId],
];

function makeSecrets(plan: EstatePlan): SecretRequirement[] {
  const consumers = findConsumers(plan);

  return plan.secrets.map(({ name, setting }, index) => {
    const line = 20 + index;
    const rotates = index % ROTATING_EVERY === 0;

    return {
      name,
      vault: "main",
      purpose: "Vendor API key",
      settings: [
        {
          name: setting,
          kind: "appSetting",
          apps: consumers[index] ?? [],
          docRef: { file: DOC, line },
        },
      ],
      rotationClasses: rotates ? ["vendor"] : [],
      maxAgeDays: rotates ? 90 : undefined,
      docRef: { file: DOC, line },
    };
  });
}

function makeAppIdentity(app: PlannedApp, line: number): IdentityRequirement {
  return {
    name: `${app.name}-mi`,
    principal: { kind: "systemAssigned", app: app.key },
    objectIdSuffix: app.principalId.slice(-4),
    roles: APP_ROLES.map(([role, scope]) => makeRoleRequirement(role, scope, line)),
    docRef: { file: DOC, line },
  };
}

function makeIdentities(plan: EstatePlan): IdentityRequirement[] {
  const firstLine = 30 + plan.secrets.length;
  const ci: IdentityRequirement = {
    name: "gh-bench-ci",
    principal: { kind: "objectId", objectId: PLAN_IDS.ciPrincipalId },
    objectIdSuffix: undefined,
    roles: [makeRoleRequirement("Key Vault Secrets User", PLAN_IDS.vaultId, firstLine)],
    docRef: { file: DOC, line: firstLine },
  };

  return [ci, ...plan.apps.map((app, index) => makeAppIdentity(app, firstLine + 1 + index))];
}

function makeApps(plan: EstatePlan): Record<string, AppBinding> {
  return Object.fromEntries(
    plan.apps.map((app) => [
      app.key,
      {
        name: app.name,
        resourceGroup: PLAN_IDS.resourceGroup,
        resourceId: app.resourceId,
        slots: [],
        os: "linux",
      } satisfies AppBinding,
    ]),
  );
}

/** The bound policy for `plan`, its vault at `vaultUrl` and ARM at `endpoints`. */
export function makePlanPolicy(
  plan: EstatePlan,
  endpoints: AzureEndpoints,
  vaultUrl: string,
): Policy {
  return {
    docFile: DOC,
    bindingsFile: "policy/bindings.yaml",
    subscriptionId: PLAN_IDS.subscriptionId,
    endpoints,
    vaults: {
      main: {
        name: PLAN_IDS.vaultName,
        resourceGroup: PLAN_IDS.resourceGroup,
        vaultUrl,
        resourceId: PLAN_IDS.vaultId,
      },
    },
    apps: makeApps(plan),
    secrets: makeSecrets(plan),
    identities: makeIdentities(plan),
    expiryWarningDays: [30, 7, 1],
    docMaxAgeDays: 180,
    lastVerified: "2026-11-01",
    waivers: [],
    findings: [],
  };
}
