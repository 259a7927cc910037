/**
 * A snapshot file is plain JSON anyone can edit. Every field a rule reads
 * is checked on the way in, so a wrong type is refused with its path
 * instead of crashing a rule or, worse, turning into a finding.
 */
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { checkSnapshot } from "../../src/audit/snapshot/check-snapshot.js";

const DEMO = readFileSync("examples/demo-estate.json", "utf8");
const CI = "0b7c4e2a-9d13-4f6e-8a21-3c5d7e9f4bb0";

/** The demo estate with each `a.0.b` path set to its value (undefined deletes it). */
function demoWith(edits: Record<string, unknown>): unknown {
  const snapshot = JSON.parse(DEMO) as unknown;

  for (const [path, value] of Object.entries(edits)) {
    setAt(snapshot, path.split("."), value);
  }

  return snapshot;
}

function setAt(target: unknown, keys: string[], value: unknown): void {
  const [key = "", ...rest] = keys;
  const record = target as Record<string, unknown>;

  if (rest.length > 0) {
    setAt(record[key], rest, value);
  } else if (value === undefined) {
    Reflect.deleteProperty(record, key);
  } else {
    record[key] = value;
  }
}

describe("checkSnapshot", () => {
  it("should accept the demo estate the collector wrote", () => {
    expect(checkSnapshot(JSON.parse(DEMO))).toBeUndefined();
  });

  it("should accept the nulls Azure answers for properties it passes on", () => {
    const snapshot = demoWith({
      "sites.0.identity.tenantId": null,
      "sites.0.identity.principalId": null,
      "sites.0.keyVaultReferenceIdentity": null,
      "vaults.0.networkAcls": {
        defaultAction: "Deny",
        bypass: null,
        ipRules: [],
        virtualNetworkRules: [],
      },
      "roleAssignments.0.condition": null,
    });

    expect(checkSnapshot(snapshot)).toBeUndefined();
  });

  it.each([
    // Parts of the snapshot that rules read as lists or maps.
    [{ scopesQueried: "all" }, "scopesQueried is not a list"],
    [{ scopesQueried: [7] }, "scopesQueried[0] is not a string"],
    [{ principalGroups: [CI] }, "principalGroups is not an object"],
    [{ principalGroups: { [CI]: "group-1" } }, `principalGroups.${CI} is not a list`],
    [{ notFound: "none" }, "notFound is not a list"],
    [{ notFound: [{ what: "site" }] }, "notFound[0].resourceId is missing or not a string"],
    [{ roleCrossCheck: "yes" }, "roleCrossCheck is not an object"],
    [{ directoryPrincipals: { [CI]: true } }, "directoryPrincipals is not a list"],
    [
      { "directoryPrincipals.0.exists": "no" },
      "directoryPrincipals[0].exists is not true or false",
    ],
    // A vault in access-policy mode whose entry has no permission lists.
    [
      {
        "vaults.0.enableRbacAuthorization": false,
        "vaults.0.accessPolicies": [{ tenantId: "t", objectId: CI, permissions: {} }],
      },
      "vaults[0].accessPolicies[0].secrets is not a list",
    ],
    [
      {
        "vaults.0.accessPolicies": [{ objectId: CI, secrets: ["get"], keys: [], certificates: 1 }],
      },
      "vaults[0].accessPolicies[0].certificates is not a list",
    ],
    [
      { "vaults.0.enableRbacAuthorization": "false" },
      "vaults[0].enableRbacAuthorization is not true or false",
    ],
    [
      { "vaults.0.networkAcls": { defaultAction: "Deny" } },
      "vaults[0].networkAcls.ipRules is not a list",
    ],
    [
      { "vaults.0.deletedSecrets": [{ name: "X", deletedOn: "soon" }] },
      "vaults[0].deletedSecrets[0].deletedOn is not a date",
    ],
    [{ "vaults.0.secrets.0.managed": "no" }, "vaults[0].secrets[0].managed is not true or false"],
    [
      { "vaults.0.secrets.4.versions.0.enabled": undefined },
      "vaults[0].secrets[4].versions[0].enabled is not true or false",
    ],
    // The identity is an object, never the identity type alone.
    [{ "sites.0.identity": "SystemAssigned" }, "sites[0].identity is not an object"],
    [{ "sites.0.identity.type": undefined }, "sites[0].identity.type is missing or not a string"],
    [{ "sites.0.identity.principalId": 42 }, "sites[0].identity.principalId is not a string"],
    [{ "sites.0.identity.userAssigned": {} }, "sites[0].identity.userAssigned is not a list"],
    [
      { "sites.0.identity.userAssigned": [{ resourceId: "/x" }] },
      "sites[0].identity.userAssigned[0].principalId is missing or not a string",
    ],
    // A slot of null would pass for a slot; production has none.
    [{ "sites.0.slot": null }, "sites[0].slot is not a string"],
    [
      { "sites.0.keyVaultReferenceIdentity": ["SystemAssigned"] },
      "sites[0].keyVaultReferenceIdentity is not a string",
    ],
    [
      { "sites.0.outboundIpAddresses": "203.0.113.10" },
      "sites[0].outboundIpAddresses is not a list",
    ],
    // Settings, their references and App Service's reports on them.
    [
      { "sites.0.settings.0.kind": "secret" },
      "sites[0].settings[0].kind is not appSetting or connectionString",
    ],
    [
      { "sites.0.settings.0.valueKind": "reference" },
      "sites[0].settings[0].valueKind is not keyVaultReference, appConfigReference, plaintext or empty",
    ],
    [
      { "sites.0.settings.0.reference": undefined },
      "sites[0].settings[0].reference is missing for a Key Vault reference",
    ],
    [
      { "sites.0.settings.0.reference.vaultName": undefined },
      "sites[0].settings[0].reference.vaultName is missing or not a string",
    ],
    [
      { "sites.0.settings.0.reference.form": "Uri" },
      "sites[0].settings[0].reference.form is not SecretUri or VaultName",
    ],
    [
      { "sites.0.slotConfigNames": ["ALPACA_API_KEY"] },
      "sites[0].slotConfigNames is not an object",
    ],
    [
      { "sites.0.slotConfigNames.connectionStringNames": undefined },
      "sites[0].slotConfigNames.connectionStringNames is not a list",
    ],
    [{ "sites.0.configReferences": {} }, "sites[0].configReferences is not a list"],
    [
      { "sites.0.configReferences.0.kind": undefined },
      "sites[0].configReferences[0].kind is not appSetting or connectionString",
    ],
    [
      { "sites.0.configReferences.0.activeVersion": 7 },
      "sites[0].configReferences[0].activeVersion is not a string",
    ],
    // Role assignments, definitions and gaps.
    [{ "roleAssignments.0.condition": {} }, "roleAssignments[0].condition is not a string"],
    [
      { "roleDefinitions.0.permissions.0.actions": "*/read" },
      "roleDefinitions[0].permissions[0].actions is not a list",
    ],
    [
      { gaps: [{ resourceId: "/x", what: "secrets", reason: "r", statusCode: "403" }] },
      "gaps[0].statusCode is not a number",
    ],
    [
      {
        denyAssignments: [
          { id: "d", denyAssignmentName: "n", scope: "/", doNotApplyToChildScopes: "true" },
        ],
      },
      "denyAssignments[0].doNotApplyToChildScopes is not true or false",
    ],
  ])("should refuse %j as %j", (edits, problem) => {
    expect(checkSnapshot(demoWith(edits))).toBe(problem);
  });
});
