import { describe, expect, it } from "vitest";

import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import type { ConfigReferenceStatus, Snapshot } from "../../src/audit/snapshot/snapshot.js";
import {
  API_APP_ID,
  API_PRINCIPAL_ID,
  makeAssignment,
  makePolicy,
  makeReferenceSetting,
  makeSecretProperties,
  makeSite,
  makeSnapshot,
  NOW,
  RESOURCE_GROUP_ID,
} from "../builders.js";

const CURRENT = "7f3d1c9a2b4e4f6a8c0d1e2f3a4b5c6d";
const OLDER = "1111aaaa1111aaaa1111aaaa1111aaaa";
const UAI_ID = `${RESOURCE_GROUP_ID}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app`;
const UAI_PRINCIPAL = "22222222-0000-0000-0000-000000000002";

function makeStatus(overrides: Partial<ConfigReferenceStatus> = {}): ConfigReferenceStatus {
  return {
    name: "ALPACA_API_KEY",
    kind: "appSetting",
    status: "Resolved",
    vaultName: "kv-ai-trader-prod",
    secretName: "ALPACA-KEY-ID",
    secretVersion: undefined,
    activeVersion: CURRENT,
    identityType: "SystemAssigned",
    details: undefined,
    ...overrides,
  };
}

function judge(snapshot: Snapshot) {
  return evaluateRules({ policy: makePolicy(), snapshot, now: NOW }).map(
    (finding) => `${finding.ruleId} ${finding.severity}: ${finding.message}`,
  );
}

function withStatus(statuses: ConfigReferenceStatus[]) {
  return makeSnapshot({ sites: [makeSite({ configReferences: statuses })] });
}

describe("Key Vault reference rules", () => {
  it("should accept a reference App Service reports as resolved", () => {
    expect(judge(withStatus([makeStatus()]))).toEqual([]);
  });

  it("should not take correct reference text as proof of resolution", () => {
    expect(
      judge(
        withStatus([makeStatus({ status: "AccessToKeyVaultDenied", activeVersion: undefined })]),
      ),
    ).toEqual([
      "KV_REFERENCE_UNRESOLVED high: App Service reports AccessToKeyVaultDenied for setting ALPACA_API_KEY on app ai-trader-api: the reference to ALPACA-KEY-ID does not resolve.",
    ]);
  });

  it("should call a missing or initialized status unknown, never unresolved", () => {
    expect(
      judge(withStatus([makeStatus({ status: "Initialized", activeVersion: undefined })])),
    ).toEqual([
      "KV_REFERENCE_STATUS_UNKNOWN info: App Service reports no resolution status for setting ALPACA_API_KEY on app ai-trader-api (Initialized).",
    ]);
    expect(judge(withStatus([]))).toEqual([
      "KV_REFERENCE_STATUS_UNKNOWN info: App Service reports no resolution status for setting ALPACA_API_KEY on app ai-trader-api.",
    ]);
  });

  it("should tell a reference pinned to the current version that rotation will not propagate", () => {
    const setting = makeReferenceSetting({
      reference: {
        form: "SecretUri",
        vaultName: "kv-ai-trader-prod",
        secretName: "ALPACA-KEY-ID",
        secretVersion: CURRENT,
      },
    });

    expect(judge(makeSnapshot({ sites: [makeSite({ settings: [setting] })] }))).toEqual([
      `KV_REFERENCE_PINNED info: Setting ALPACA_API_KEY on app ai-trader-api is pinned to the current version of ALPACA-KEY-ID; rotation will not propagate.`,
    ]);
  });

  it("should report a reference pinned to an older version", () => {
    const setting = makeReferenceSetting({
      reference: {
        form: "SecretUri",
        vaultName: "kv-ai-trader-prod",
        secretName: "ALPACA-KEY-ID",
        secretVersion: OLDER,
      },
    });

    expect(judge(makeSnapshot({ sites: [makeSite({ settings: [setting] })] }))).toEqual([
      `KV_REFERENCE_PINNED_NOT_CURRENT medium: Setting ALPACA_API_KEY on app ai-trader-api is pinned to version ${OLDER} of ALPACA-KEY-ID, not the current version ${CURRENT}.`,
    ]);
  });

  it("should report a versionless reference stuck on an old version for more than a day", () => {
    expect(judge(withStatus([makeStatus({ activeVersion: OLDER })]))).toEqual([
      `KV_REFERENCE_ACTIVE_VERSION_STALE medium: Setting ALPACA_API_KEY on app ai-trader-api still serves version ${OLDER} of ALPACA-KEY-ID; version ${CURRENT} has been current since 2026-10-15.`,
    ]);
  });

  it("should allow App Service a day to pick up a new version", () => {
    const snapshot = withStatus([makeStatus({ activeVersion: OLDER })]);
    snapshot.vaults[0]!.secrets = [makeSecretProperties({ createdOn: "2026-11-30T12:00:00Z" })];

    expect(judge(snapshot)).toEqual([]);
  });

  it("should judge the identity named by keyVaultReferenceIdentity, not the one holding the role", () => {
    const site = makeSite({
      identity: {
        type: "SystemAssigned, UserAssigned",
        principalId: API_PRINCIPAL_ID,
        tenantId: undefined,
        userAssigned: [{ resourceId: UAI_ID, principalId: UAI_PRINCIPAL, clientId: "c" }],
      },
      keyVaultReferenceIdentity: UAI_ID,
    });
    const snapshot = makeSnapshot({
      sites: [site],
      principalsQueried: [API_PRINCIPAL_ID, UAI_PRINCIPAL],
    });
    snapshot.vaults[0]!.enableRbacAuthorization = true;

    expect(judge(snapshot)).toEqual([
      `KV_REFERENCE_IDENTITY_CANNOT_READ high: Key Vault references on app ai-trader-api cannot read vault kv-ai-trader-prod: user-assigned identity id-app (principal ${UAI_PRINCIPAL}) holds no Key Vault Secrets User (or broader secrets role) at the vault or above.`,
    ]);
  });

  it("should accept an access policy with get on an access-policy vault, and flag documented roles there", () => {
    const snapshot = makeSnapshot();
    snapshot.vaults[0]!.enableRbacAuthorization = false;
    snapshot.vaults[0]!.accessPolicies = [
      {
        tenantId: "t",
        objectId: API_PRINCIPAL_ID,
        applicationId: undefined,
        secrets: ["Get", "List"],
        keys: [],
        certificates: [],
      },
    ];

    expect(judge(snapshot)).toEqual([
      "ROLE_INEFFECTIVE_ACCESS_POLICY_MODE low: Vault kv-ai-trader-prod uses access policies, so Key Vault Secrets User for ai-trader-api-mi grants nothing there; an access policy does grant get on secrets.",
    ]);
  });

  it("should flag access policies beyond get and list", () => {
    const snapshot = makeSnapshot({ roleAssignments: [makeAssignment()] });
    snapshot.vaults[0]!.enableRbacAuthorization = false;
    snapshot.vaults[0]!.accessPolicies = [
      {
        tenantId: "t",
        objectId: API_PRINCIPAL_ID,
        applicationId: undefined,
        secrets: ["get", "set", "purge"],
        keys: [],
        certificates: [],
      },
    ];

    expect(judge(snapshot).filter((m) => m.startsWith("ACCESS_POLICY"))).toEqual([
      `ACCESS_POLICY_EXCESS high: Vault kv-ai-trader-prod gives ai-trader-api-mi (${API_PRINCIPAL_ID}) an access policy beyond get and list: secrets set, secrets purge.`,
    ]);
  });

  it("should report a soft-deleted secret apart from a missing one", () => {
    const snapshot = makeSnapshot();
    snapshot.vaults[0]!.secrets = [];
    snapshot.vaults[0]!.deletedSecrets = [
      {
        name: "ALPACA-KEY-ID",
        deletedOn: "2026-11-20T00:00:00Z",
        scheduledPurgeDate: "2027-02-18T00:00:00Z",
      },
    ];

    expect(judge(snapshot)).toEqual([
      "SECRET_SOFT_DELETED high: Secret ALPACA-KEY-ID in vault kv-ai-trader-prod is soft-deleted; it can be recovered until 2027-02-18.",
    ]);
  });

  it("should audit each slot as its own site and compare it with production", () => {
    const policy = makePolicy();
    policy.apps["api"]!.slots = ["staging"];
    const slot = makeSite({
      resourceId: `${API_APP_ID}/slots/staging`,
      slot: "staging",
      settings: [
        makeReferenceSetting({
          reference: {
            form: "VaultName",
            vaultName: "kv-ai-trader-dev",
            secretName: "ALPACA-KEY-ID",
            secretVersion: undefined,
          },
        }),
      ],
      configReferences: [makeStatus({ status: "AccessToKeyVaultDenied" })],
    });
    const production = makeSite({
      slotConfigNames: { appSettingNames: [], connectionStringNames: [] },
    });
    const snapshot = makeSnapshot({ sites: [production, slot] });

    expect(
      evaluateRules({ policy, snapshot, now: NOW }).map(
        (f) => `${f.ruleId} ${f.resourceId.split("/").slice(-2).join("/")}`,
      ),
    ).toEqual([
      "KV_REFERENCE_TARGET_MISMATCH slots/staging",
      "KV_REFERENCE_UNRESOLVED slots/staging",
      "SLOT_SETTING_DIFFERS slots/staging",
      "SETTING_NOT_STICKY sites/ai-trader-api",
    ]);
  });
});
