/**
 * Setting findings judged on what the real collector read: app settings,
 * connection strings, slots and their sticky names, every reference form.
 */
import { describe, expect, it } from "vitest";

import { DEFAULT_IDS } from "../fake-azure/default-estate.js";
import {
  makeKeyVaultReference,
  makeSlot,
  makeSystemIdentity,
} from "../fake-azure/estate-builders.js";
import type { FakeEstate, FakeSlot } from "../fake-azure/estate-model.js";
import {
  auditThroughFake,
  grant,
  makeSmallEstate,
  makeSmallPolicy,
  makeSmallSecret,
  SMALL,
} from "./audit-fake-kit.js";

const STAGING_PRINCIPAL = "33333333-0000-4000-8000-000000000003";
const REFERENCE = makeKeyVaultReference(SMALL.vault, SMALL.secret);

/** The doc maps the secret to `ConnectionStrings:Main`, on production and slot staging. */
function connectionStringPolicy() {
  const policy = makeSmallPolicy({
    secrets: [
      makeSmallSecret({
        settings: [
          {
            name: "ConnectionStrings:Main",
            kind: "connectionString",
            apps: ["api"],
            docRef: { file: "policy/secrets.md", line: 21 },
          },
        ],
      }),
    ],
  });
  policy.apps!.api!.slots = ["staging"];

  return policy;
}

/** A staging slot with its own identity, granted what it needs to resolve references. */
function addStagingSlot(estate: FakeEstate, overrides: Partial<FakeSlot> = {}): FakeSlot {
  const slot = makeSlot({
    name: "staging",
    identity: makeSystemIdentity(STAGING_PRINCIPAL, DEFAULT_IDS.tenantId),
    appSettings: { ...estate.sites[0]!.appSettings },
    connectionStrings: { ...estate.sites[0]!.connectionStrings },
    ...overrides,
  });
  estate.sites[0]!.slots.push(slot);
  estate.roleAssignments.push(grant(STAGING_PRINCIPAL, "Key Vault Secrets User", SMALL.vaultId));

  return slot;
}

function withConnectionString(): FakeEstate {
  const estate = makeSmallEstate();
  const api = estate.sites[0]!;
  api.appSettings = { WEBSITES_PORT: "8000" };
  api.connectionStrings = { Main: { value: REFERENCE, type: "SQLAzure" } };

  return estate;
}

describe("setting findings through the fake", () => {
  it("should accept a sticky connection string reference for a ConnectionStrings:Main row, on every slot (A02)", async () => {
    const estate = withConnectionString();
    estate.sites[0]!.slotConfigNames.connectionStringNames = ["Main"];
    addStagingSlot(estate);

    const audit = await auditThroughFake(estate, { policy: connectionStringPolicy() });

    expect(audit.lines).toEqual([]);
    expect(audit.snapshot.sites.map((s) => s.slotConfigNames?.connectionStringNames)).toEqual([
      ["Main"],
      ["Main"],
    ]);
  });

  it("should say a connection string that is not sticky swaps with the code (A02)", async () => {
    const estate = withConnectionString();
    addStagingSlot(estate);

    const audit = await auditThroughFake(estate, { policy: connectionStringPolicy() });

    expect(audit.lines).toEqual([
      "SETTING_NOT_STICKY info: Setting ConnectionStrings:Main on app ai-trader-api is not a slot setting; it swaps with the code.",
    ]);
  });

  it("should accept a Linux app setting ConnectionStrings__Main for the same row (A23)", async () => {
    const estate = makeSmallEstate();
    const api = estate.sites[0]!;
    api.appSettings = { WEBSITES_PORT: "8000", ConnectionStrings__Main: REFERENCE };
    const policy = connectionStringPolicy();
    policy.apps!.api!.slots = [];

    const audit = await auditThroughFake(estate, { policy });

    expect(audit.lines).toEqual([]);
  });

  it("should report a ConnectionStrings:Main row that neither settings nor connection strings carry", async () => {
    const policy = connectionStringPolicy();
    policy.apps!.api!.slots = [];

    const audit = await auditThroughFake(makeSmallEstate(), { policy });

    expect(audit.lines).toEqual([
      "SETTING_MISSING high: App ai-trader-api has no connection string ConnectionStrings:Main, which the doc maps to secret POSTGRES-CONN.",
    ]);
  });

  it("should read a connection string's own resolution status", async () => {
    const estate = withConnectionString();
    estate.sites[0]!.connectionStringReferences = { Main: { status: "AccessToKeyVaultDenied" } };
    const policy = connectionStringPolicy();
    policy.apps!.api!.slots = [];

    const audit = await auditThroughFake(estate, { policy });

    expect(audit.lines).toEqual([
      "KV_REFERENCE_UNRESOLVED high: App Service reports AccessToKeyVaultDenied for setting ConnectionStrings:Main on app ai-trader-api: the reference to POSTGRES-CONN does not resolve.",
    ]);
  });

  it.each([
    [
      "SecretUri with a trailing slash",
      `@Microsoft.KeyVault(SecretUri=https://${SMALL.vault}.vault.azure.net/secrets/${SMALL.secret}/)`,
    ],
    [
      "SecretUri on an upper-case host, no slash",
      `@Microsoft.KeyVault(SecretUri=https://KV-AI-TRADER-PROD.vault.azure.net/secrets/${SMALL.secret})`,
    ],
    [
      "VaultName and SecretName",
      `@Microsoft.KeyVault(VaultName=${SMALL.vault};SecretName=${SMALL.secret})`,
    ],
  ])("should accept a reference written as %s (A05)", async (_form, reference) => {
    const estate = makeSmallEstate();
    estate.sites[0]!.appSettings[SMALL.setting] = reference;

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([]);
  });

  it("should report a reference to a key, not a secret, as invalid syntax (A05)", async () => {
    const estate = makeSmallEstate();
    estate.sites[0]!.appSettings[SMALL.setting] =
      `@Microsoft.KeyVault(SecretUri=https://${SMALL.vault}.vault.azure.net/keys/${SMALL.secret}/)`;

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      "KV_REFERENCE_INVALID_SYNTAX high: Setting DATABASE_URL on app ai-trader-api holds a Key Vault reference that cannot be parsed: SecretUri is not a /secrets/{name}[/{version}] URI.",
    ]);
  });

  it("should report an empty value and an App Configuration reference, not as plaintext", async () => {
    const estate = makeSmallEstate();
    estate.sites[0]!.appSettings[SMALL.setting] =
      "@Microsoft.AppConfiguration(Endpoint=https://appcs-trader.azconfig.io; Key=database)";
    estate.sites[0]!.appSettings["FEATURE_FLAGS"] =
      "@Microsoft.AppConfiguration(Endpoint=https://appcs-trader.azconfig.io; Key=flags)";

    const appConfig = await auditThroughFake(estate);
    estate.sites[0]!.appSettings[SMALL.setting] = "";
    const empty = await auditThroughFake(estate);

    expect(appConfig.lines).toEqual([
      "SETTING_NOT_KEY_VAULT_REFERENCE high: App setting DATABASE_URL on app ai-trader-api holds an App Configuration reference instead of a Key Vault reference to POSTGRES-CONN.",
    ]);
    expect(empty.lines).toEqual([
      "SETTING_NOT_KEY_VAULT_REFERENCE high: App setting DATABASE_URL on app ai-trader-api holds an empty value instead of a Key Vault reference to POSTGRES-CONN.",
    ]);
  });

  it("should say what kind of secret an undocumented setting holds, and nothing of platform settings", async () => {
    const estate = makeSmallEstate();
    Object.assign(estate.sites[0]!.appSettings, {
      STRIPE_KEY: "sk_live_CANARY0123456789abcdef",
      SMTP_PASSWORD: "hunter2",
      WEBSITE_RUN_FROM_PACKAGE: "1",
      LOG_LEVEL: "debug",
    });

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      "SETTING_LOOKS_SECRET high: Undocumented setting STRIPE_KEY on app ai-trader-api holds a plaintext value (Stripe key).",
      "SETTING_LOOKS_SECRET medium: Undocumented setting SMTP_PASSWORD on app ai-trader-api holds a plaintext value.",
    ]);
    expect(JSON.stringify(audit.findings)).not.toContain("CANARY");
  });

  it("should audit a slot as its own site, with its own identity and status (A07)", async () => {
    const estate = makeSmallEstate();
    addStagingSlot(estate, {
      appSettingReferences: {
        [SMALL.setting]: { status: "AccessToKeyVaultDenied", activeVersion: null },
      },
    });
    estate.roleAssignments.pop();
    const policy = makeSmallPolicy();
    policy.apps!.api!.slots = ["staging"];

    const audit = await auditThroughFake(estate, { policy });

    expect(audit.lines).toEqual([
      `KV_REFERENCE_IDENTITY_CANNOT_READ high: Key Vault references on app ai-trader-api/staging cannot read vault kv-ai-trader-prod: the system-assigned identity (principal ${STAGING_PRINCIPAL}) holds no Key Vault Secrets User (or broader secrets role) at the vault or above.`,
      "KV_REFERENCE_UNRESOLVED high: App Service reports AccessToKeyVaultDenied for setting DATABASE_URL on app ai-trader-api/staging: the reference to POSTGRES-CONN does not resolve.",
      `ROLE_MISSING high: Identity ai-trader-api-mi (slot staging) (principal ${STAGING_PRINCIPAL}) does not hold Key Vault Secrets User on kv-ai-trader-prod, as the doc says it does.`,
      "SETTING_NOT_STICKY info: Setting DATABASE_URL on app ai-trader-api is not a slot setting; it swaps with the code.",
    ]);
    expect(audit.findings[1]!.evidence).toEqual({
      app: SMALL.app,
      slot: "staging",
      setting: SMALL.setting,
      secret: SMALL.secret,
      referenceForm: "SecretUri",
      referencedVault: SMALL.vault,
      referencedVersion: "latest",
      currentVersion: audit.snapshot.vaults[0]!.secrets[0]!.version,
      platformStatus: "AccessToKeyVaultDenied",
      activeVersion: "unknown",
      resolvingIdentity: "SystemAssigned",
    });
  });

  it("should not call a slot's own identity undocumented access when it holds what it needs", async () => {
    const estate = makeSmallEstate();
    addStagingSlot(estate);
    estate.sites[0]!.slotConfigNames.appSettingNames = [SMALL.setting];

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([]);
  });

  it("should report a slot that references another vault than production", async () => {
    const estate = makeSmallEstate();
    addStagingSlot(estate, {
      appSettings: { [SMALL.setting]: makeKeyVaultReference("kv-ai-trader-dev", SMALL.secret) },
    });
    estate.sites[0]!.slotConfigNames.appSettingNames = [SMALL.setting];

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      "KV_REFERENCE_TARGET_MISMATCH high: Setting DATABASE_URL on app ai-trader-api/staging references secret POSTGRES-CONN in vault kv-ai-trader-dev; the doc says POSTGRES-CONN in vault kv-ai-trader-prod.",
      "KV_REFERENCE_UNRESOLVED high: App Service reports VaultNotFound for setting DATABASE_URL on app ai-trader-api/staging: the reference to POSTGRES-CONN does not resolve.",
      "SLOT_SETTING_DIFFERS medium: Setting DATABASE_URL on slot ai-trader-api/staging holds a reference to POSTGRES-CONN in vault kv-ai-trader-dev, but production holds a reference to POSTGRES-CONN in vault kv-ai-trader-prod.",
    ]);
  });
});
