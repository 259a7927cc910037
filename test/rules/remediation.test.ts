import { describe, expect, it } from "vitest";

import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import { makePolicy, makeSetting, makeSite, makeSnapshot, NOW } from "../builders.js";

describe("remediations", () => {
  it("should give a command that pastes into a shell, with every known value filled", () => {
    const snapshot = makeSnapshot({ sites: [makeSite({ settings: [] })] });
    const [finding] = evaluateRules({ policy: makePolicy(), snapshot, now: NOW });

    expect(finding?.remediation).toBe(
      "Add the setting as a Key Vault reference (az webapp config appsettings set " +
        '-g rg-ai-trader-prod -n ai-trader-api --settings "ALPACA_API_KEY=' +
        '@Microsoft.KeyVault(VaultName=kv-ai-trader-prod;SecretName=ALPACA-KEY-ID)")',
    );
  });

  it("should set a connection string with the connection-string command, under its own name", () => {
    const policy = makePolicy();
    policy.secrets[0]!.settings = [
      makeSetting({ name: "ConnectionStrings:Main", kind: "connectionString" }),
    ];
    const snapshot = makeSnapshot({ sites: [makeSite({ settings: [] })] });
    const [finding] = evaluateRules({ policy, snapshot, now: NOW });

    expect(finding?.remediation).toContain(
      "az webapp config connection-string set -g rg-ai-trader-prod -n ai-trader-api -t Custom " +
        '--settings "Main=@Microsoft.KeyVault(VaultName=kv-ai-trader-prod;SecretName=ALPACA-KEY-ID)"',
    );
  });

  it("should advise rotation only when a value was exposed", () => {
    const empty = makeSnapshot({
      sites: [
        makeSite({
          settings: [{ name: "ALPACA_API_KEY", kind: "appSetting", valueKind: "empty" }],
        }),
      ],
    });
    const pasted = makeSnapshot({
      sites: [
        makeSite({
          settings: [{ name: "ALPACA_API_KEY", kind: "appSetting", valueKind: "plaintext" }],
        }),
      ],
    });
    const remediationOf = (snapshot: typeof empty) =>
      evaluateRules({ policy: makePolicy(), snapshot, now: NOW })[0]?.remediation ?? "";

    expect(remediationOf(empty)).toMatch(/^Replace the value with a Key Vault reference/);
    expect(remediationOf(pasted)).toMatch(/^Rotate the exposed secret, then replace the value/);
  });
});
