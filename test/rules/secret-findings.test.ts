import { describe, expect, it } from "vitest";

import type { Policy } from "../../src/audit/policy/policy-model.js";
import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import type { SecretProperties, Snapshot } from "../../src/audit/snapshot/snapshot.js";
import {
  makePolicy,
  makeReferenceSetting,
  makeSecret,
  makeSecretProperties,
  makeSetting,
  makeSite,
  makeSnapshot,
  NOW,
} from "../builders.js";

const OLD_VERSION = "1111aaaa1111aaaa1111aaaa1111aaaa";
const NEW_VERSION = "2222bbbb2222bbbb2222bbbb2222bbbb";

function judge(snapshot: Snapshot, policy: Policy = makePolicy(), now: Date = NOW): string[] {
  return evaluateRules({ policy, snapshot, now }).map(
    (finding) => `${finding.ruleId} ${finding.severity}: ${finding.message}`,
  );
}

function withSecret(overrides: Partial<SecretProperties>): Snapshot {
  const snapshot = makeSnapshot();
  snapshot.vaults[0]!.secrets = [makeSecretProperties(overrides)];

  return snapshot;
}

/** A current version that is disabled, with the enabled one before it. */
function disabledOver(olderCreated: string, olderEnabled = true): Snapshot {
  return withSecret({
    version: NEW_VERSION,
    enabled: false,
    createdOn: "2026-11-20T00:00:00.000Z",
    versions: [
      {
        version: NEW_VERSION,
        enabled: false,
        createdOn: "2026-11-20T00:00:00.000Z",
        updatedOn: undefined,
        expiresOn: undefined,
        notBefore: undefined,
      },
      {
        version: OLD_VERSION,
        enabled: olderEnabled,
        createdOn: olderCreated,
        updatedOn: undefined,
        expiresOn: undefined,
        notBefore: undefined,
      },
    ],
  });
}

describe("secret findings, each with an estate that triggers it and one that does not", () => {
  it("should warn in the one-day tier of a secret expiring in twelve hours", () => {
    expect(judge(withSecret({ expiresOn: "2026-12-01T12:00:00.000Z" }))).toEqual([
      "SECRET_EXPIRY medium: Secret ALPACA-KEY-ID in vault kv-ai-trader-prod expires on 2026-12-01, within 1 day.",
    ]);
  });

  it("should call a secret that expired six hours ago expired", () => {
    expect(judge(withSecret({ expiresOn: "2026-11-30T18:00:00.000Z" }))).toEqual([
      "SECRET_EXPIRY high: Secret ALPACA-KEY-ID in vault kv-ai-trader-prod expired on 2026-11-30.",
    ]);
  });

  it("should count the last day of a tier as inside it", () => {
    expect(judge(withSecret({ expiresOn: "2026-12-31T00:00:00.000Z" }))).toEqual([
      "SECRET_EXPIRY low: Secret ALPACA-KEY-ID in vault kv-ai-trader-prod expires on 2026-12-31, within 30 days.",
    ]);
    expect(judge(withSecret({ expiresOn: "2027-01-01T00:00:00.000Z" }))).toEqual([]);
  });

  it("should ask for an expiry only on secrets the doc rotates", () => {
    const policy = makePolicy({
      secrets: [makeSecret({ rotationClasses: [], maxAgeDays: undefined })],
    });

    expect(judge(withSecret({ expiresOn: undefined }), policy)).toEqual([]);
  });

  it("should accept an activation date in the past", () => {
    expect(judge(withSecret({ notBefore: "2026-11-01T00:00:00.000Z" }))).toEqual([]);
  });

  it("should measure rotation from the newest enabled version, not a newer disabled one", () => {
    expect(judge(disabledOver("2026-05-01T00:00:00.000Z"))).toEqual([
      "ROTATION_OVERDUE high: Secret ALPACA-KEY-ID in vault kv-ai-trader-prod was last rotated 214 days ago; its rotation limit is 90 days.",
      "SECRET_DISABLED high: The current version of secret ALPACA-KEY-ID in vault kv-ai-trader-prod is disabled.",
    ]);
  });

  it("should give notice of a rotation falling due from the newest enabled version", () => {
    expect(judge(disabledOver("2026-09-05T00:00:00.000Z"))).toEqual([
      "SECRET_DISABLED high: The current version of secret ALPACA-KEY-ID in vault kv-ai-trader-prod is disabled.",
      "ROTATION_DUE low: Secret ALPACA-KEY-ID in vault kv-ai-trader-prod is due for rotation in 3 days (limit 90 days).",
    ]);
  });

  it("should not judge rotation when no version is enabled, or the versions are unknown", () => {
    const noneEnabled = disabledOver("2026-05-01T00:00:00.000Z", false);
    const unknown = withSecret({ enabled: false, createdOn: "2026-05-01T00:00:00.000Z" });

    expect(judge(noneEnabled)).toEqual([
      "SECRET_DISABLED high: The current version of secret ALPACA-KEY-ID in vault kv-ai-trader-prod is disabled.",
    ]);
    expect(judge(unknown)).toEqual([
      "SECRET_DISABLED high: The current version of secret ALPACA-KEY-ID in vault kv-ai-trader-prod is disabled.",
    ]);
  });

  it("should not take an edit of tags for a rotation (A20, as the field case gives it)", () => {
    const snapshot = withSecret({
      createdOn: "2024-10-01T00:00:00.000Z",
      updatedOn: "2025-05-20T00:00:00.000Z",
    });

    expect(judge(snapshot, makePolicy(), new Date("2025-06-01T00:00:00Z"))).toEqual([
      "ROTATION_OVERDUE high: Secret ALPACA-KEY-ID in vault kv-ai-trader-prod was last rotated 243 days ago; its rotation limit is 90 days.",
    ]);
    expect(judge(snapshot, makePolicy(), new Date("2024-11-01T00:00:00Z"))).toEqual([]);
  });

  it("should match a documented secret to its vault entry and reference in any case (A22)", () => {
    const policy = makePolicy({
      secrets: [
        makeSecret({ name: "Db-Password", settings: [makeSetting({ name: "Db__Password" })] }),
      ],
    });
    const snapshot = makeSnapshot({
      sites: [
        makeSite({
          settings: [
            makeReferenceSetting({
              name: "DB__PASSWORD",
              reference: {
                form: "SecretUri",
                vaultName: "KV-AI-TRADER-PROD",
                secretName: "DB-PASSWORD",
                secretVersion: undefined,
              },
            }),
          ],
          configReferences: [
            {
              name: "db__password",
              kind: "appSetting",
              status: "Resolved",
              vaultName: "Kv-Ai-Trader-Prod",
              secretName: "db-password",
              secretVersion: undefined,
              activeVersion: "7F3D1C9A2B4E4F6A8C0D1E2F3A4B5C6D",
              identityType: "SystemAssigned",
              details: undefined,
            },
          ],
        }),
      ],
    });
    snapshot.vaults[0]!.secrets = [makeSecretProperties({ name: "db-password" })];

    expect(judge(snapshot, policy)).toEqual([]);
  });
});
