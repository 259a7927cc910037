import { describe, expect, it } from "vitest";

import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import type { SiteSnapshot } from "../../src/audit/snapshot/snapshot.js";
import {
  API_APP_ID,
  makePolicy,
  makeReferenceSetting,
  makeSetting,
  makeSite,
  makeSnapshot,
  NOW,
} from "../builders.js";

const CURRENT = "7f3d1c9a2b4e4f6a8c0d1e2f3a4b5c6d";
const OLDER = "1111aaaa1111aaaa1111aaaa1111aaaa";

/** A site whose ALPACA_API_KEY reference is pinned to a version. */
function makePinnedSite(version: string, overrides: Partial<SiteSnapshot> = {}): SiteSnapshot {
  const reference = {
    form: "SecretUri" as const,
    vaultName: "kv-ai-trader-prod",
    secretName: "ALPACA-KEY-ID",
    secretVersion: version,
  };

  return makeSite({ settings: [makeReferenceSetting({ reference })], ...overrides });
}

function remediationsOf(ruleId: string, sites: SiteSnapshot[]): string[] {
  return evaluateRules({ policy: makePolicy(), snapshot: makeSnapshot({ sites }), now: NOW })
    .filter((finding) => finding.ruleId === ruleId)
    .map((finding) => finding.remediation);
}

/**
 * The `az` command in a remediation, checked the way a shell would take
 * it: every placeholder filled, quotes balanced, and no `(`, `)` or `;`
 * outside them (bash: "syntax error near unexpected token `('").
 */
function expectPastable(remediation: string): void {
  const command = /\((az .*)\)$/.exec(remediation)?.[1] ?? "";
  const unquoted = command.replace(/"[^"]*"/g, "");

  expect(command).not.toBe("");
  expect(command).not.toMatch(/<[A-Za-z-]+>/);
  expect(unquoted).not.toMatch(/["();<>]/);
}

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

  it.each([
    ["KV_REFERENCE_PINNED", CURRENT],
    ["KV_REFERENCE_PINNED_NOT_CURRENT", OLDER],
  ])("should unpin a %s reference with a quoted, filled command", (ruleId, version) => {
    const [remediation = ""] = remediationsOf(ruleId, [makePinnedSite(version)]);

    expect(remediation).toBe(
      "Drop the version from the reference so it follows the latest version (az webapp " +
        "config appsettings set -g rg-ai-trader-prod -n ai-trader-api --settings " +
        '"ALPACA_API_KEY=@Microsoft.KeyVault(VaultName=kv-ai-trader-prod;SecretName=ALPACA-KEY-ID)")',
    );
    expectPastable(remediation);
  });

  it("should unpin a slot's reference on that slot, not on production", () => {
    const slot = makePinnedSite(OLDER, {
      resourceId: `${API_APP_ID}/slots/staging`,
      slot: "staging",
    });
    const [remediation = ""] = remediationsOf("KV_REFERENCE_PINNED_NOT_CURRENT", [
      makeSite(),
      slot,
    ]);

    expect(remediation).toMatch(
      / -n ai-trader-api --settings "ALPACA_API_KEY=.*" --slot staging\)$/,
    );
    expectPastable(remediation);
  });
});
