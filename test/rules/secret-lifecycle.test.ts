import { describe, expect, it } from "vitest";

import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import type { SecretProperties, SettingObservation } from "../../src/audit/snapshot/snapshot.js";
import {
  makePolicy,
  makeSecretProperties,
  makeSite,
  makeSnapshot,
  makeReferenceSetting,
  NOW,
} from "../builders.js";

function messagesFor(secret: Partial<SecretProperties>, extra: SecretProperties[] = []) {
  const snapshot = makeSnapshot();
  snapshot.vaults[0]!.secrets = [makeSecretProperties(secret), ...extra];

  return evaluateRules({ policy: makePolicy(), snapshot, now: NOW }).map(
    (finding) => `${finding.ruleId} ${finding.severity}: ${finding.message}`,
  );
}

function messagesForSettings(settings: SettingObservation[]) {
  const snapshot = makeSnapshot({
    sites: [makeSite({ settings: [makeReferenceSetting(), ...settings] })],
  });

  return evaluateRules({ policy: makePolicy(), snapshot, now: NOW }).map(
    (finding) => `${finding.ruleId} ${finding.severity}: ${finding.message}`,
  );
}

describe("secret lifecycle rules", () => {
  it("should report a disabled current version", () => {
    expect(messagesFor({ enabled: false })).toEqual([
      "SECRET_DISABLED high: The current version of secret ALPACA-KEY-ID in vault kv-ai-trader-prod is disabled.",
    ]);
  });

  it("should report an expired secret", () => {
    expect(messagesFor({ expiresOn: "2026-11-20T00:00:00Z" })).toEqual([
      "SECRET_EXPIRY high: Secret ALPACA-KEY-ID in vault kv-ai-trader-prod expired on 2026-11-20.",
    ]);
  });

  it("should warn in the tier an expiry falls into", () => {
    expect(messagesFor({ expiresOn: "2026-12-05T00:00:00Z" })).toEqual([
      "SECRET_EXPIRY medium: Secret ALPACA-KEY-ID in vault kv-ai-trader-prod expires on 2026-12-05, within 7 days.",
    ]);
    expect(messagesFor({ expiresOn: "2026-12-20T00:00:00Z" })).toEqual([
      "SECRET_EXPIRY low: Secret ALPACA-KEY-ID in vault kv-ai-trader-prod expires on 2026-12-20, within 30 days.",
    ]);
  });

  it("should not warn about an expiry beyond every tier", () => {
    expect(messagesFor({ expiresOn: "2027-02-20T00:00:00Z" })).toEqual([]);
  });

  it("should report a rotated secret without expiry", () => {
    expect(messagesFor({ expiresOn: undefined })).toEqual([
      "SECRET_NO_EXPIRY low: Secret ALPACA-KEY-ID in vault kv-ai-trader-prod has no expiry date, though the doc rotates it every 90 days.",
    ]);
  });

  it("should report a version that is not yet valid", () => {
    expect(messagesFor({ notBefore: "2026-12-24T00:00:00Z" })).toEqual([
      "SECRET_NOT_YET_VALID high: Secret ALPACA-KEY-ID in vault kv-ai-trader-prod is not valid until 2026-12-24.",
    ]);
  });

  it("should give notice of a rotation falling due", () => {
    expect(messagesFor({ createdOn: "2026-09-05T00:00:00Z" })).toEqual([
      "ROTATION_DUE low: Secret ALPACA-KEY-ID in vault kv-ai-trader-prod is due for rotation in 3 days (limit 90 days).",
    ]);
  });

  it("should report secrets the doc does not mention, but not certificate-backed ones", () => {
    const extra = [
      makeSecretProperties({ name: "OLD-VENDOR-KEY" }),
      makeSecretProperties({
        name: "Tls-Cert",
        managed: true,
        contentType: "application/x-pkcs12",
      }),
    ];

    expect(messagesFor({}, extra)).toEqual([
      "SECRET_NOT_DOCUMENTED low: Vault kv-ai-trader-prod holds secret OLD-VENDOR-KEY, which the doc does not mention.",
    ]);
  });

  it("should report an undocumented setting holding a secret-shaped value, never the value", () => {
    expect(
      messagesForSettings([
        {
          name: "STRIPE_KEY",
          kind: "appSetting",
          valueKind: "plaintext",
          valueShape: "key-like string",
        },
        { name: "LOG_LEVEL", kind: "appSetting", valueKind: "plaintext" },
        { name: "WEBSITE_RUN_FROM_PACKAGE", kind: "appSetting", valueKind: "plaintext" },
      ]),
    ).toEqual([
      "SETTING_LOOKS_SECRET high: Undocumented setting STRIPE_KEY on app ai-trader-api holds a plaintext value (key-like string).",
    ]);
  });
});

describe("secrets whose vault the bindings do not name", () => {
  it("should not call a documented secret undocumented in the audited vault", () => {
    const policy = makePolicy({ vaults: {} });
    policy.secrets[0]!.vault = "";
    const findings = evaluateRules({ policy, snapshot: makeSnapshot(), now: NOW });

    expect(findings.filter((f) => f.ruleId === "SECRET_NOT_DOCUMENTED")).toEqual([]);
  });
});
