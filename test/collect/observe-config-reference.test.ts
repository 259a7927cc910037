import { describe, expect, it } from "vitest";

import { observeConfigReference } from "../../src/audit/collect/observe-site.js";

describe("observeConfigReference", () => {
  it("should keep a well-formed status and the names App Service resolved", () => {
    const observed = observeConfigReference(
      {
        name: "ALPACA_API_KEY",
        status: "Resolved",
        vaultName: "kv-ai-trader-prod",
        secretName: "ALPACA-KEY-ID",
        secretVersion: "0f0f0f0f0f0f4f0f8f0f0f0f0f0f0f01",
        activeVersion: "0f0f0f0f0f0f4f0f8f0f0f0f0f0f0f01",
        identityType: { type: "SystemAssigned" },
        details: "Reference resolved.",
      },
      "appSetting",
    );

    expect(observed).toEqual({
      name: "ALPACA_API_KEY",
      kind: "appSetting",
      status: "Resolved",
      vaultName: "kv-ai-trader-prod",
      secretName: "ALPACA-KEY-ID",
      secretVersion: "0f0f0f0f0f0f4f0f8f0f0f0f0f0f0f01",
      activeVersion: "0f0f0f0f0f0f4f0f8f0f0f0f0f0f0f01",
      identityType: "SystemAssigned",
      details: undefined,
    });
  });

  it("should drop anything echoed from a malformed reference, which is a setting value", () => {
    const canary = "QQCANARYzz pw!";
    const observed = observeConfigReference(
      {
        name: "LEGACY",
        status: "InvalidSyntax",
        vaultName: canary,
        secretName: `x;Password=${canary}`,
        secretVersion: `?sig=${canary}`,
        activeVersion: canary,
        details: `Could not parse '@Microsoft.KeyVault(${canary})'`,
      },
      "appSetting",
    );

    expect(JSON.stringify(observed)).not.toContain("CANARY");
    expect(observed.status).toBe("InvalidSyntax");
  });
});
