/**
 * A fake Azure estate for an estate plan, with no drift: every app carries
 * its references, every secret exists, every documented grant is in place.
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
} from "../test/fake-azure/estate-builders.js";
import type { BuiltInRoleName } from "../test/fake-azure/estate-builders.js";
import type { FakeEstate, FakeRoleAssignment, FakeSite } from "../test/fake-azure/estate-model.js";
import { PLAN_IDS } from "./estate-plan.js";
import type { EstatePlan, PlannedApp } from "./estate-plan.js";
import { APP_ROLES } from "./make-plan-policy.js";

/**
 * Page sizes the fake serves. Key Vault returns 25 secrets a page when the
 * client sets no limit; for ARM lists 100 is an assumption, not a documented figure.
 */
export const PLAN_PAGING = { armPageSize: 100, vaultPageSize: 25 } as const;

function makePlanSite(plan: EstatePlan, app: PlannedApp): FakeSite {
  const references = app.secretIndexes.flatMap((index) => {
    const secret = plan.secrets[index];

    return secret
      ? [[secret.setting, makeKeyVaultReference(PLAN_IDS.vaultName, secret.name)] as const]
      : [];
  });

  return makeSite({
    name: app.name,
    resourceGroup: PLAN_IDS.resourceGroup,
    identity: makeSystemIdentity(app.principalId, PLAN_IDS.tenantId),
    appSettings: { ...Object.fromEntries(references), WEBSITES_PORT: "8000" },
  });
}

function grant(principalId: string, role: BuiltInRoleName, scope: string): FakeRoleAssignment {
  return makeRoleAssignment({
    scope,
    principalId,
    roleDefinitionId: roleDefinitionIdFor(PLAN_IDS.subscriptionId, role),
  });
}

/** The fake Azure estate for `plan`. */
export function makePlanEstate(plan: EstatePlan): FakeEstate {
  return makeEstate({
    tenantId: PLAN_IDS.tenantId,
    subscriptionId: PLAN_IDS.subscriptionId,
    sites: plan.apps.map((app) => makePlanSite(plan, app)),
    vaults: [
      makeVault({
        name: PLAN_IDS.vaultName,
        resourceGroup: PLAN_IDS.resourceGroup,
        secrets: plan.secrets.map(({ name }) => makeSecret({ name })),
      }),
    ],
    roleAssignments: [
      ...plan.apps.flatMap((app) =>
        APP_ROLES.map(([role, scope]) => grant(app.principalId, role, scope)),
      ),
      grant(PLAN_IDS.ciPrincipalId, "Key Vault Secrets User", PLAN_IDS.vaultId),
    ],
    paging: { ...PLAN_PAGING },
  });
}
