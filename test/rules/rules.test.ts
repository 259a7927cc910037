import { describe, expect, it } from "vitest";

import { evaluateRules, RULES } from "../../src/audit/rules/rule-registry.js";
import type { RuleContext } from "../../src/audit/rules/rule.js";
import {
  API_APP_ID,
  CONTRIBUTOR_GUID,
  makeAssignment,
  makeIdentity,
  makePolicy,
  makeReferenceSetting,
  makeSecretProperties,
  makeSite,
  makeSnapshot,
  NOW,
  RESOURCE_GROUP_ID,
  VAULT_ID,
} from "../builders.js";

function judge(overrides: Partial<RuleContext> = {}) {
  return evaluateRules({ policy: makePolicy(), snapshot: makeSnapshot(), now: NOW, ...overrides });
}

function messages(context: Partial<RuleContext> = {}) {
  return judge(context).map((finding) => `${finding.ruleId}: ${finding.message}`);
}

describe("rules", () => {
  it("should find nothing when the estate matches the doc", () => {
    expect(judge()).toEqual([]);
  });

  it("should give every rule complete metadata", () => {
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[A-Z][A-Z_]+$/);
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.rationale.length).toBeGreaterThan(20);
      expect(rule.remediation.az).toMatch(/^(az |npx )/);
      expect(rule.remediation.docs).toMatch(/^https:\/\//);
    }

    expect(new Set(RULES.map((rule) => rule.id)).size).toBe(RULES.length);
  });

  it("should report a documented secret missing from the vault", () => {
    const snapshot = makeSnapshot();
    snapshot.vaults[0]!.secrets = [];

    expect(messages({ snapshot })).toEqual([
      "SECRET_MISSING: Secret ALPACA-KEY-ID is documented but vault kv-ai-trader-prod has no secret of that name.",
    ]);
  });

  it("should match secret names without regard to case", () => {
    const snapshot = makeSnapshot();
    snapshot.vaults[0]!.secrets = [makeSecretProperties({ name: "alpaca-key-id" })];

    expect(judge({ snapshot })).toEqual([]);
  });

  it("should say not evaluated, never missing, when the vault could not be read", () => {
    const snapshot = makeSnapshot({
      gaps: [
        {
          resourceId: VAULT_ID,
          what: "secrets",
          reason: "the vault firewall refused the request",
          statusCode: 403,
          errorCode: "Forbidden",
        },
      ],
    });
    snapshot.vaults[0]!.secrets = [];

    expect(messages({ snapshot })).toEqual([
      `NOT_EVALUATED: Could not read secrets of ${VAULT_ID} (HTTP 403, Forbidden): the vault firewall refused the request`,
    ]);
  });

  it("should report a documented setting missing from an app", () => {
    const snapshot = makeSnapshot({ sites: [makeSite({ settings: [] })] });

    expect(messages({ snapshot })).toEqual([
      "SETTING_MISSING: App ai-trader-api has no app setting ALPACA_API_KEY, which the doc maps to secret ALPACA-KEY-ID.",
    ]);
  });

  it("should treat : and __ as the same separator in setting names", () => {
    const policy = makePolicy();
    policy.secrets[0]!.settings[0]!.name = "Broker:ApiKey";
    const snapshot = makeSnapshot({
      sites: [makeSite({ settings: [makeReferenceSetting({ name: "Broker__ApiKey" })] })],
    });

    expect(judge({ policy, snapshot })).toEqual([]);
  });

  it("should report a plaintext value without ever holding the value", () => {
    const snapshot = makeSnapshot({
      sites: [
        makeSite({
          settings: [
            {
              name: "ALPACA_API_KEY",
              kind: "appSetting",
              valueKind: "plaintext",
              valueShape: "key-like string",
            },
          ],
        }),
      ],
    });
    const [finding] = judge({ snapshot });

    expect(finding).toMatchObject({
      ruleId: "SETTING_NOT_KEY_VAULT_REFERENCE",
      severity: "critical",
      resourceId: API_APP_ID,
      subject: "ALPACA_API_KEY",
      observed: "a plaintext value (key-like string)",
      docRef: { file: "policy/secrets.md", line: 19 },
      message:
        "App setting ALPACA_API_KEY on app ai-trader-api holds a plaintext value (key-like string) instead of a Key Vault reference to ALPACA-KEY-ID.",
    });
  });

  it("should report a reference to another secret", () => {
    const snapshot = makeSnapshot({
      sites: [
        makeSite({
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
        }),
      ],
    });

    expect(messages({ snapshot })).toEqual([
      "KV_REFERENCE_TARGET_MISMATCH: Setting ALPACA_API_KEY on app ai-trader-api references secret ALPACA-KEY-ID in vault kv-ai-trader-dev; the doc says ALPACA-KEY-ID in vault kv-ai-trader-prod.",
    ]);
  });

  it("should measure rotation from created, not updated", () => {
    const snapshot = makeSnapshot();
    snapshot.vaults[0]!.secrets = [
      makeSecretProperties({
        createdOn: "2026-05-15T00:00:00.000Z",
        updatedOn: "2026-11-20T00:00:00.000Z",
      }),
    ];

    expect(messages({ snapshot })).toEqual([
      "ROTATION_OVERDUE: Secret ALPACA-KEY-ID in vault kv-ai-trader-prod was last rotated 200 days ago; its rotation limit is 90 days.",
    ]);
  });

  it("should leave certificate-backed secrets out of rotation", () => {
    const snapshot = makeSnapshot();
    snapshot.vaults[0]!.secrets = [
      makeSecretProperties({ createdOn: "2025-01-01T00:00:00Z", managed: true }),
    ];

    expect(judge({ snapshot })).toEqual([]);
  });

  it("should report a documented role that is not assigned", () => {
    const snapshot = makeSnapshot({ roleAssignments: [] });

    expect(messages({ snapshot })).toEqual([
      "ROLE_MISSING: Identity ai-trader-api-mi (principal 3d0b7a52-6f4e-4c1a-9b7d-2e8f1a6c85df) does not hold Key Vault Secrets User on Key Vault, as the doc says it does.",
    ]);
  });

  it("should accept a role held above the documented scope", () => {
    const snapshot = makeSnapshot({
      roleAssignments: [
        makeAssignment({
          scope: RESOURCE_GROUP_ID,
          roleDefinitionId:
            "/providers/Microsoft.Authorization/roleDefinitions/4633458B-17DE-408A-B874-0445C86B69E6",
        }),
      ],
    });

    expect(judge({ snapshot }).filter((f) => f.ruleId === "ROLE_MISSING")).toEqual([]);
  });

  it("should flag Contributor added 'for a minute' as a privileged excess role", () => {
    const snapshot = makeSnapshot({
      roleAssignments: [
        makeAssignment(),
        makeAssignment({
          id: `${RESOURCE_GROUP_ID}/providers/Microsoft.Authorization/roleAssignments/ra-2`,
          scope: RESOURCE_GROUP_ID,
          roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${CONTRIBUTOR_GUID}`,
        }),
      ],
    });
    const [finding] = judge({ snapshot });

    expect(finding).toMatchObject({
      ruleId: "ROLE_NOT_DOCUMENTED",
      severity: "high",
      message: `Identity ai-trader-api-mi holds privileged role Contributor at ${RESOURCE_GROUP_ID}, which the doc does not list.`,
    });
  });

  it("should report an identity that was recreated", () => {
    const policy = makePolicy({ identities: [makeIdentity({ objectIdSuffix: "4bb7" })] });

    expect(messages({ policy })).toEqual([
      "IDENTITY_OBJECT_ID_MISMATCH: Identity ai-trader-api-mi is principal 3d0b7a52-6f4e-4c1a-9b7d-2e8f1a6c85df, but the doc says its object id ends in 4bb7; it was probably recreated.",
    ]);
  });

  it("should report an app without its documented identity", () => {
    const snapshot = makeSnapshot({ sites: [makeSite({ identity: undefined })] });

    expect(messages({ snapshot })).toEqual([
      "IDENTITY_MISSING: App ai-trader-api has no system-assigned managed identity, so documented identity ai-trader-api-mi does not exist.",
      "KV_REFERENCE_IDENTITY_CANNOT_READ: Key Vault references on app ai-trader-api cannot read vault kv-ai-trader-prod: the site has no system-assigned identity to resolve references with.",
    ]);
  });

  it("should mark a finding as waived while its waiver lasts, and report it when it lapses", () => {
    const snapshot = makeSnapshot({ roleAssignments: [] });
    const waiver = {
      ruleId: "ROLE_MISSING",
      subject: "ai-trader-api-mi: Key Vault Secrets User",
      owner: "platform",
      reason: "migrating to RBAC",
      expires: "2026-12-31",
      docRef: { file: "policy/bindings.yaml", line: 40 },
    };

    expect(judge({ snapshot, policy: makePolicy({ waivers: [waiver] }) })[0]?.waiver).toEqual({
      owner: "platform",
      reason: "migrating to RBAC",
      expires: "2026-12-31",
    });
    expect(
      messages({
        snapshot,
        policy: makePolicy({ waivers: [{ ...waiver, expires: "2026-11-30" }] }),
      }),
    ).toEqual([
      "ROLE_MISSING: Identity ai-trader-api-mi (principal 3d0b7a52-6f4e-4c1a-9b7d-2e8f1a6c85df) does not hold Key Vault Secrets User on Key Vault, as the doc says it does.",
      'WAIVER_EXPIRED: The waiver of ROLE_MISSING for "ai-trader-api-mi: Key Vault Secrets User" (owner platform) expired on 2026-11-30, so the finding it covered is reported again.',
    ]);
  });

  it("should give the same drift the same id on every run", () => {
    const snapshot = makeSnapshot({ roleAssignments: [] });

    expect(judge({ snapshot })[0]?.id).toBe(judge({ snapshot })[0]?.id);
    expect(judge({ snapshot })[0]?.id).toMatch(/^[0-9a-f]{16}$/);
  });
});
