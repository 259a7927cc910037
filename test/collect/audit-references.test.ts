/**
 * Reference findings judged on what the real collector read: App Service's
 * own resolution status, pinned and stale versions, and the identity that
 * resolves references against the vault's permission model.
 */
import { describe, expect, it } from "vitest";

import { DEFAULT_IDS } from "../fake-azure/default-estate.js";
import {
  makeHexId,
  makeKeyVaultReference,
  makeSecretVersion,
  toUnixSeconds,
} from "../fake-azure/estate-builders.js";
import type { FakeEstate } from "../fake-azure/estate-model.js";
import {
  auditThroughFake,
  grant,
  makeSmallEstate,
  makeSmallIdentity,
  makeSmallPolicy,
  SMALL,
  userAssignedId,
} from "./audit-fake-kit.js";

const CURRENT = makeHexId("current");
const OLDER = makeHexId("older");
const UAI_ID = userAssignedId("id-app");
const UAI_PRINCIPAL = "22222222-0000-4000-8000-000000000002";

/** The secret with a current version and the one before it. */
function withTwoVersions(currentCreated = "2026-11-01T00:00:00Z"): FakeEstate {
  const estate = makeSmallEstate();
  estate.vaults[0]!.secrets[0]!.versions = [
    makeSecretVersion({ version: OLDER, created: toUnixSeconds("2026-08-01T00:00:00Z") }),
    makeSecretVersion({ version: CURRENT, created: toUnixSeconds(currentCreated) }),
  ];

  return estate;
}

function pinTo(estate: FakeEstate, version: string): FakeEstate {
  estate.sites[0]!.appSettings[SMALL.setting] = makeKeyVaultReference(
    SMALL.vault,
    SMALL.secret,
    version,
  );

  return estate;
}

/** The app carries both identities; only the user-assigned one holds the role (A06). */
function withUserAssignedGrant(referenceIdentity: string): FakeEstate {
  const estate = makeSmallEstate();
  const api = estate.sites[0]!;
  api.identity = {
    type: "SystemAssigned, UserAssigned",
    principalId: SMALL.principalId,
    tenantId: DEFAULT_IDS.tenantId,
    userAssignedIdentities: { [UAI_ID]: { principalId: UAI_PRINCIPAL, clientId: "c-id-app" } },
  };
  api.keyVaultReferenceIdentity = referenceIdentity;
  estate.roleAssignments = [grant(UAI_PRINCIPAL, "Key Vault Secrets User", SMALL.vaultId)];

  return estate;
}

const UAI_POLICY = makeSmallPolicy({
  identities: [
    makeSmallIdentity({
      name: "id-app",
      principal: { kind: "userAssigned", resourceId: UAI_ID },
      objectIdSuffix: undefined,
    }),
  ],
});

describe("reference findings through the fake", () => {
  it("should not take correct reference text as proof of resolution (A01)", async () => {
    const estate = makeSmallEstate();
    estate.sites[0]!.appSettingReferences[SMALL.setting] = {
      status: "AccessToKeyVaultDenied",
      activeVersion: null,
    };

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      "KV_REFERENCE_UNRESOLVED high: App Service reports AccessToKeyVaultDenied for setting DATABASE_URL on app ai-trader-api: the reference to POSTGRES-CONN does not resolve.",
    ]);
    expect(audit.findings[0]!.remediation).toBe(
      "Grant the resolving identity Key Vault Secrets User on the vault (or an access " +
        "policy with get), and check the vault firewall lets App Service through; then refresh " +
        `the references (az rest --method post --url ${SMALL.appId}/config/configreferences/` +
        "appsettings/refresh?api-version=2022-03-01).",
    );
  });

  it("should name a version that does not exist, and the pin behind it", async () => {
    const missing = makeHexId("never-created");

    const audit = await auditThroughFake(pinTo(withTwoVersions(), missing));

    expect(audit.lines).toEqual([
      "KV_REFERENCE_UNRESOLVED high: App Service reports SecretVersionNotFound for setting DATABASE_URL on app ai-trader-api: the reference to POSTGRES-CONN does not resolve.",
      `KV_REFERENCE_PINNED_NOT_CURRENT medium: Setting DATABASE_URL on app ai-trader-api is pinned to version ${missing} of POSTGRES-CONN, not the current version ${CURRENT}.`,
    ]);
  });

  it.each([
    ["reports Initialized", { status: "Initialized", activeVersion: null }, " (Initialized)"],
    ["leaves the setting out", null, ""],
  ])(
    "should call the status unknown, never unresolved, when App Service %s (A09)",
    async (_case, status, suffix) => {
      const estate = makeSmallEstate();
      estate.sites[0]!.kind = "functionapp,linux";
      estate.sites[0]!.appSettingReferences[SMALL.setting] = status;

      const audit = await auditThroughFake(estate);

      expect(audit.lines).toEqual([
        `KV_REFERENCE_STATUS_UNKNOWN info: App Service reports no resolution status for setting DATABASE_URL on app ai-trader-api${suffix}.`,
      ]);
    },
  );

  it("should report a status the auditor could not read as not evaluated, not as unknown", async () => {
    const audit = await auditThroughFake(makeSmallEstate(), {
      prepare: (harness) => harness.fake.failArm("/config/configreferences/appsettings"),
    });

    expect(audit.findings.map((f) => `${f.ruleId} ${f.subject}`)).toEqual([
      "NOT_EVALUATED configReferences.appSettings: ai-trader-api",
    ]);
  });

  it("should report a reference pinned to an older version (A04)", async () => {
    const audit = await auditThroughFake(pinTo(withTwoVersions(), OLDER));

    expect(audit.lines).toEqual([
      `KV_REFERENCE_PINNED_NOT_CURRENT medium: Setting DATABASE_URL on app ai-trader-api is pinned to version ${OLDER} of POSTGRES-CONN, not the current version ${CURRENT}.`,
    ]);
  });

  it("should tell a reference pinned to the current version that rotation will not propagate (A04)", async () => {
    const audit = await auditThroughFake(pinTo(withTwoVersions(), CURRENT));

    expect(audit.lines).toEqual([
      "KV_REFERENCE_PINNED info: Setting DATABASE_URL on app ai-trader-api is pinned to the current version of POSTGRES-CONN; rotation will not propagate.",
    ]);
  });

  it("should report a versionless reference still serving the old version a month on", async () => {
    const estate = withTwoVersions();
    estate.sites[0]!.appSettingReferences[SMALL.setting] = {
      status: "Resolved",
      activeVersion: OLDER,
    };

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      `KV_REFERENCE_ACTIVE_VERSION_STALE medium: Setting DATABASE_URL on app ai-trader-api still serves version ${OLDER} of POSTGRES-CONN; version ${CURRENT} has been current since 2026-11-01.`,
    ]);
  });

  it("should give App Service a day to pick up a version created hours ago", async () => {
    const estate = withTwoVersions("2026-11-30T12:00:00Z");
    estate.sites[0]!.appSettingReferences[SMALL.setting] = {
      status: "Resolved",
      activeVersion: OLDER,
    };

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([]);
  });

  it("should judge the identity references resolve as, not the one holding the role (A06)", async () => {
    const audit = await auditThroughFake(withUserAssignedGrant("SystemAssigned"), {
      policy: UAI_POLICY,
    });

    expect(audit.lines).toEqual([
      `KV_REFERENCE_IDENTITY_CANNOT_READ high: Key Vault references on app ai-trader-api cannot read vault kv-ai-trader-prod: the system-assigned identity (principal ${SMALL.principalId}) holds no Key Vault Secrets User (or broader secrets role) at the vault or above.`,
    ]);
  });

  it("should accept references resolved by the user-assigned identity that holds the role (A06)", async () => {
    const audit = await auditThroughFake(withUserAssignedGrant(UAI_ID), { policy: UAI_POLICY });

    expect(audit.lines).toEqual([]);
  });

  it("should not take Key Vault Reader, which reads metadata only, for a secrets role (A17)", async () => {
    const estate = makeSmallEstate();
    estate.roleAssignments = [grant(SMALL.principalId, "Key Vault Reader", SMALL.vaultId)];

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      `KV_REFERENCE_IDENTITY_CANNOT_READ high: Key Vault references on app ai-trader-api cannot read vault kv-ai-trader-prod: the system-assigned identity (principal ${SMALL.principalId}) holds no Key Vault Secrets User (or broader secrets role) at the vault or above.`,
      `ROLE_MISSING high: Identity ai-trader-api-mi (principal ${SMALL.principalId}) does not hold Key Vault Secrets User on kv-ai-trader-prod, as the doc says it does.`,
      `ROLE_NOT_DOCUMENTED medium: Identity ai-trader-api-mi holds Key Vault Reader at ${SMALL.vaultId}, which the doc does not list.`,
    ]);
  });
});
