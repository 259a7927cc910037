/**
 * The seeded estate with the drift a real week brings, and the canary
 * values planted in it: none of them may appear in any output, log or
 * telemetry.
 */
import { DEFAULT_IDS, makeDefaultEstate } from "../fake-azure/default-estate.js";
import {
  makeKeyVaultReference,
  makeRoleAssignment,
  makeSecret,
  makeSecretVersion,
  roleDefinitionIdFor,
  toUnixSeconds,
} from "../fake-azure/estate-builders.js";
import type { FakeEstate } from "../fake-azure/estate-model.js";

export const CANARY_PASTED_KEY = "CANARYPASTEDsk_live_51HxQ9wzXK2Lr7vB8nT3qP0aM";
export const CANARY_UNDOCUMENTED =
  "DefaultEndpointsProtocol=https;AccountName=canary;AccountKey=CANARYACCOUNTKEYd2hvIGlzIHRoZXJlPw==";
export const RECREATED_UI_PRINCIPAL = "f4e3d2c1-b0a9-4877-8655-4433221100aa";
export const FINNHUB_OLD_VERSION = "0f0f0f0f0f0f4f0f8f0f0f0f0f0f0f01";

/** Every value planted in the estate that must never leave the auditor's memory. */
export function plantedCanaries(estate: FakeEstate): string[] {
  const secretValues = estate.vaults.flatMap((vault) =>
    vault.secrets.flatMap((secret) => secret.versions.map((version) => version.value)),
  );

  return [CANARY_PASTED_KEY, CANARY_UNDOCUMENTED, ...secretValues];
}

/** Now for every drifted-estate run: the rotation ages below are measured from it. */
export const DRIFT_NOW = "2026-12-01T00:00:00Z";

export function makeDriftedEstate(): FakeEstate {
  const estate = makeDefaultEstate();
  const api = estate.sites.find((site) => site.name === DEFAULT_IDS.apiApp)!;
  const ui = estate.sites.find((site) => site.name === DEFAULT_IDS.uiApp)!;
  const vault = estate.vaults[0]!;

  // Someone pasted the broker secret instead of referencing the vault.
  api.appSettings["ALPACA_API_SECRET"] = CANARY_PASTED_KEY;

  // FINNHUB was rotated, but the API still pins the version before.
  const finnhub = vault.secrets.find((secret) => secret.name === "FINNHUB-API-KEY")!;
  finnhub.versions.push(
    makeSecretVersion({
      version: FINNHUB_OLD_VERSION,
      created: toUnixSeconds("2026-07-01T00:00:00Z"),
    }),
  );
  api.appSettings["FINNHUB_API_KEY"] = makeKeyVaultReference(
    vault.name,
    "FINNHUB-API-KEY",
    FINNHUB_OLD_VERSION,
  );

  // The Yahoo token is 200 days old.
  const yahoo = vault.secrets.find((secret) => secret.name === "YAHOO-REFRESH-TOKEN")!;
  yahoo.versions = [
    makeSecretVersion({
      version: "7a7a7a7a7a7a4a7a8a7a7a7a7a7a7a7a",
      created: toUnixSeconds("2026-05-15T00:00:00Z"),
    }),
  ];

  // The UI lost a setting in a redeploy, and gained a pasted storage key.
  delete ui.appSettings["TWELVEDATA_API_KEY"];
  ui.appSettings["LEGACY_STORAGE_CONNECTION"] = CANARY_UNDOCUMENTED;

  // The UI's identity was recreated: its grants stayed with the old principal.
  ui.identity = {
    type: "SystemAssigned",
    principalId: RECREATED_UI_PRINCIPAL,
    tenantId: DEFAULT_IDS.tenantId,
  };

  // App Service has noticed: the UI can no longer resolve its database reference.
  ui.appSettingReferences["DATABASE_URL"] = {
    status: "AccessToKeyVaultDenied",
    vaultName: vault.name,
    secretName: "POSTGRES-CONN",
    secretVersion: null,
    activeVersion: null,
    details: "Access to the key vault was denied.",
  };

  // Contributor "for a minute", six months ago.
  estate.roleAssignments.push(
    makeRoleAssignment({
      scope: `/subscriptions/${DEFAULT_IDS.subscriptionId}/resourceGroups/${DEFAULT_IDS.resourceGroup}`,
      principalId: DEFAULT_IDS.apiPrincipalId,
      roleDefinitionId: roleDefinitionIdFor(DEFAULT_IDS.subscriptionId, "Contributor"),
    }),
  );

  // A key nobody documented.
  vault.secrets.push(makeSecret({ name: "OLD-BROKER-KEY", created: "2025-01-10T00:00:00Z" }));

  return estate;
}
