/**
 * The shape of a synthetic estate, shared by the rules benchmark (a policy
 * and a snapshot) and the collection benchmark (a policy and a fake Azure):
 * N apps with a system-assigned identity each, about ten Key Vault
 * references per app, and 2N secrets in one vault, each feeding five apps.
 */
import { makeGuid } from "../test/fake-azure/estate-builders.js";

const subscriptionId = "6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d";
const resourceGroup = "rg-bench";
const rgId = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;

/** Ids every synthetic estate shares. */
export const PLAN_IDS = {
  tenantId: "8d4e6f2a-1b3c-4d5e-9f0a-7b8c9d0e1f2a",
  subscriptionId,
  resourceGroup,
  resourceGroupId: rgId,
  vaultName: "kv-bench",
  vaultId: `${rgId}/providers/Microsoft.KeyVault/vaults/kv-bench`,
  storageId: `${rgId}/providers/Microsoft.Storage/storageAccounts/benchblobs`,
  eventHubsId: `${rgId}/providers/Microsoft.EventHub/namespaces/evh-bench`,
  ciPrincipalId: "0b7c4e2a-9d13-4f6e-8a21-3c5d7e9f4bb0",
} as const;

export interface PlannedApp {
  /** Key in `Policy.apps`. */
  key: string;
  name: string;
  resourceId: string;
  principalId: string;
  /** Indexes into `EstatePlan.secrets` of the secrets this app references. */
  secretIndexes: number[];
}

export interface PlannedSecret {
  name: string;
  /** The app setting that references it, e.g. `SVC_0001_API_KEY`. */
  setting: string;
}

export interface EstatePlan {
  apps: PlannedApp[];
  secrets: PlannedSecret[];
}

export const SETTINGS_PER_APP = 10;
const SECRETS_PER_APP = 2;

function makeSecretName(index: number): PlannedSecret {
  const stem = `SVC-${String(index).padStart(4, "0")}-API-KEY`;

  return { name: stem, setting: stem.replaceAll("-", "_") };
}

function makeApp(index: number, secretCount: number): PlannedApp {
  const name = `app-bench-${String(index).padStart(4, "0")}`;
  const first = index * SECRETS_PER_APP;

  return {
    key: name,
    name,
    resourceId: `${rgId}/providers/Microsoft.Web/sites/${name}`,
    principalId: makeGuid(`bench-principal-${index}`),
    secretIndexes: Array.from(
      { length: SETTINGS_PER_APP },
      (_, k) => (first + k) % Math.max(secretCount, 1),
    ),
  };
}

/** A plan of `appCount` apps; everything else scales with it. */
export function planEstate(appCount: number): EstatePlan {
  const secretCount = appCount * SECRETS_PER_APP;

  return {
    apps: Array.from({ length: appCount }, (_, index) => makeApp(index, secretCount)),
    secrets: Array.from({ length: secretCount }, (_, index) => makeSecretName(index)),
  };
}

/** For each secret index, the keys of the apps that reference it. */
export function findConsumers(plan: EstatePlan): string[][] {
  const consumers = plan.secrets.map((): string[] => []);

  for (const app of plan.apps) {
    for (const index of app.secretIndexes) {
      consumers[index]?.push(app.key);
    }
  }

  return consumers;
}
