import { describe, expect, it } from "vitest";

import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import type { ConfigReferenceStatus, Snapshot } from "../../src/audit/snapshot/snapshot.js";
import { makePolicy, makeSite, makeSnapshot, NOW } from "../builders.js";

function firewalledSnapshot(statuses: ConfigReferenceStatus[] | undefined): Snapshot {
  const site = makeSite({
    outboundIpAddresses: ["203.0.113.10"],
    ...(statuses ? { configReferences: statuses } : {}),
  });
  const snapshot = makeSnapshot({ sites: [site] });

  snapshot.vaults[0]!.publicNetworkAccess = "Enabled";
  snapshot.vaults[0]!.networkAcls = {
    defaultAction: "Deny",
    bypass: "AzureServices",
    ipRules: ["203.0.113.10"],
    virtualNetworkRules: [],
  };

  return snapshot;
}

function networkFindings(snapshot: Snapshot): string[] {
  return evaluateRules({ policy: makePolicy(), snapshot, now: NOW })
    .filter((f) => f.ruleId === "KV_NETWORK_MAY_BLOCK_REFERENCES")
    .map((f) => `${f.severity}: ${f.message}`);
}

const RESOLVED: ConfigReferenceStatus = {
  name: "ALPACA_API_KEY",
  kind: "appSetting",
  status: "Resolved",
  vaultName: "kv-ai-trader-prod",
  secretName: "ALPACA-KEY-ID",
  secretVersion: undefined,
  activeVersion: "7f3d1c9a2b4e4f6a8c0d1e2f3a4b5c6d",
  identityType: "SystemAssigned",
  details: undefined,
};

describe("vault network rules and Key Vault references", () => {
  it("should warn that an IP allow-list does not reliably let references resolve", () => {
    expect(networkFindings(firewalledSnapshot(undefined))).toEqual([
      "medium: Vault kv-ai-trader-prod restricts network access (default action Deny, bypass AzureServices, 1 IP rule(s)) and app ai-trader-api has no VNet integration, so App Service may be unable to resolve its Key Vault references.",
    ]);
  });

  it("should stay quiet when App Service confirms every reference resolves", () => {
    expect(networkFindings(firewalledSnapshot([RESOLVED]))).toEqual([]);
  });

  it("should stay quiet for an app integrated with a VNet", () => {
    const snapshot = firewalledSnapshot(undefined);
    snapshot.sites[0]!.virtualNetworkSubnetId =
      "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/apps";

    expect(networkFindings(snapshot)).toEqual([]);
  });
});

describe("roles Azure RBAC cannot show", () => {
  it("should call a Cosmos DB data-plane role not evaluated, never satisfied", () => {
    const policy = makePolicy();
    policy.identities[0]!.roles.push({
      roleName: "Cosmos DB Built-in Data Contributor",
      roleDefinitionGuid: "00000000-0000-0000-0000-000000000002",
      scope:
        "/subscriptions/x/resourceGroups/rg/providers/Microsoft.DocumentDB/databaseAccounts/cosmos-orders",
      scopeLabel: "cosmos-orders",
      dataPlane: "cosmosDbSql",
      docRef: { file: "policy/secrets.md", line: 40 },
    });
    const messages = evaluateRules({ policy, snapshot: makeSnapshot(), now: NOW }).map(
      (f) => `${f.ruleId}: ${f.message}`,
    );

    expect(messages).toEqual([
      "NOT_EVALUATED: Could not check Cosmos DB Built-in Data Contributor for identity ai-trader-api-mi on cosmos-orders: it is a Cosmos DB data-plane role, which Azure role assignments do not show.",
    ]);
  });
});
