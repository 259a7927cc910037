import { describe, expect, it } from "vitest";

import { patternCovers, patternsOverlap } from "../../src/audit/rules/deny-assignment-present.js";
import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import { checkSnapshot } from "../../src/audit/snapshot/check-snapshot.js";
import type { DenyAssignment, Snapshot } from "../../src/audit/snapshot/snapshot.js";
import {
  API_PRINCIPAL_ID,
  makeDenyAssignment,
  makePolicy,
  makeSnapshot,
  NOW,
  RESOURCE_GROUP_ID,
  SUBSCRIPTION_ID,
  VAULT_ID,
} from "../builders.js";

const NAME = "Deny assignment created by Deployment Stack 'stack-ai-trader'";
const GET_SECRET = "Microsoft.KeyVault/vaults/secrets/getSecret/action";
const SECRET_SCOPE = `${VAULT_ID}/secrets/ALPACA-KEY-ID`;
const STRANGER = "99999999-0000-4000-8000-000000000009";

/** The clean snapshot, with Key Vault Secrets User's real permissions and these deny assignments. */
function snapshotWith(denyAssignments: DenyAssignment[] | undefined): Snapshot {
  const snapshot = makeSnapshot(denyAssignments ? { denyAssignments } : {});
  snapshot.roleDefinitions[0]!.permissions = [
    {
      actions: [],
      notActions: [],
      dataActions: [GET_SECRET, "Microsoft.KeyVault/vaults/secrets/readMetadata/action"],
      notDataActions: [],
    },
  ];

  return snapshot;
}

function judge(
  denyAssignments: DenyAssignment[] | undefined,
  snapshot = snapshotWith(denyAssignments),
) {
  return evaluateRules({ policy: makePolicy(), snapshot, now: NOW }).map(
    (finding) => `${finding.ruleId} ${finding.severity}: ${finding.message}`,
  );
}

function denyingData(dataActions: string[], overrides: Partial<DenyAssignment> = {}) {
  return makeDenyAssignment({
    permissions: [{ actions: [], notActions: [], dataActions, notDataActions: [] }],
    ...overrides,
  });
}

describe("DENY_ASSIGNMENT_PRESENT", () => {
  it("should rate medium a deny on everyone that blocks the data action a documented role grants", () => {
    expect(judge([denyingData(["Microsoft.KeyVault/vaults/secrets/*"])])).toEqual([
      `DENY_ASSIGNMENT_PRESENT medium: Deny assignment "${NAME}" at ${VAULT_ID} applies to identity ai-trader-api-mi (principal ${API_PRINCIPAL_ID}) and denies Microsoft.KeyVault/vaults/secrets/*, which overlaps ${GET_SECRET} of its documented Key Vault Secrets User on Key Vault.`,
    ]);
  });

  it("should rate medium a deny that names the identity, on one secret below the documented vault", () => {
    const deny = denyingData([GET_SECRET], {
      scope: SECRET_SCOPE,
      principals: [{ id: API_PRINCIPAL_ID.toUpperCase(), type: "ServicePrincipal" }],
    });

    expect(judge([deny])).toEqual([
      `DENY_ASSIGNMENT_PRESENT medium: Deny assignment "${NAME}" at ${SECRET_SCOPE} applies to identity ai-trader-api-mi (principal ${API_PRINCIPAL_ID}) and denies ${GET_SECRET}, which overlaps ${GET_SECRET} of its documented Key Vault Secrets User on Key Vault.`,
    ]);
  });

  it("should only note a deny that excludes the documented identity", () => {
    const deny = denyingData(["*"], {
      excludePrincipals: [
        { id: API_PRINCIPAL_ID, type: "ServicePrincipal" },
        { id: STRANGER, type: "User" },
      ],
    });

    expect(judge([deny])).toEqual([
      `DENY_ASSIGNMENT_PRESENT info: Deny assignment "${NAME}" at ${VAULT_ID} applies to all principals except identity ai-trader-api-mi (principal ${API_PRINCIPAL_ID}) and principal ${STRANGER}; the audit found no documented role it blocks.`,
    ]);
  });

  it("should only note a deny whose actions the documented role does not grant", () => {
    expect(judge([makeDenyAssignment({ scope: RESOURCE_GROUP_ID })])).toEqual([
      `DENY_ASSIGNMENT_PRESENT info: Deny assignment "${NAME}" at ${RESOURCE_GROUP_ID} applies to all principals; the audit found no documented role it blocks.`,
    ]);
  });

  it("should only note a deny that names another principal", () => {
    const deny = denyingData(["*"], { principals: [{ id: STRANGER, type: "User" }] });

    expect(judge([deny])).toEqual([
      `DENY_ASSIGNMENT_PRESENT info: Deny assignment "${NAME}" at ${VAULT_ID} applies to principal ${STRANGER}; the audit found no documented role it blocks.`,
    ]);
  });

  it("should only note a deny above the vault that does not apply to child scopes", () => {
    const scope = `/subscriptions/${SUBSCRIPTION_ID}`;
    const deny = denyingData(["*"], { scope, doNotApplyToChildScopes: true });

    expect(judge([deny])).toEqual([
      `DENY_ASSIGNMENT_PRESENT info: Deny assignment "${NAME}" at ${scope} applies to all principals; the audit found no documented role it blocks.`,
    ]);
  });

  it("should honour the deny's exclusions (notDataActions)", () => {
    const deny = makeDenyAssignment({
      permissions: [
        {
          actions: [],
          notActions: [],
          dataActions: ["Microsoft.KeyVault/vaults/*"],
          notDataActions: ["Microsoft.KeyVault/vaults/secrets/*"],
        },
      ],
    });

    expect(judge([deny])).toEqual([
      `DENY_ASSIGNMENT_PRESENT info: Deny assignment "${NAME}" at ${VAULT_ID} applies to all principals; the audit found no documented role it blocks.`,
    ]);
  });

  it("should not claim a block when the documented role's permissions were not read", () => {
    const snapshot = makeSnapshot({ denyAssignments: [denyingData(["*"])] });

    expect(judge(undefined, snapshot)).toEqual([
      `DENY_ASSIGNMENT_PRESENT info: Deny assignment "${NAME}" at ${VAULT_ID} applies to all principals; the audit found no documented role it blocks.`,
    ]);
  });

  it("should say nothing of a deny on a resource the doc does not name, nor without deny assignments", () => {
    const elsewhere = `${RESOURCE_GROUP_ID}/providers/Microsoft.KeyVault/vaults/kv-other`;

    expect(judge([denyingData(["*"], { scope: elsewhere })])).toEqual([]);
    expect(judge([])).toEqual([]);
    expect(judge(undefined)).toEqual([]);
  });
});

describe("action patterns", () => {
  it.each([
    ["*/delete", "Microsoft.KeyVault/vaults/*", true],
    ["Microsoft.KeyVault/vaults/secrets/*", GET_SECRET.toLowerCase(), true],
    ["*", "*/read", true],
    ["*/delete", "*/read", false],
    ["Microsoft.Storage/*", "Microsoft.KeyVault/*", false],
  ])("should say whether %s and %s can match one action: %s", (a, b, expected) => {
    expect(patternsOverlap(a, b)).toBe(expected);
    expect(patternsOverlap(b, a)).toBe(expected);
  });

  it.each([
    ["Microsoft.KeyVault/*", GET_SECRET, true],
    ["*/read", "Microsoft.KeyVault/vaults/read", true],
    ["Microsoft.KeyVault/*", "*/read", false],
    ["Microsoft.KeyVault/vaults/secrets/getSecret/action", "Microsoft.KeyVault/*", false],
  ])("should say whether %s covers every action of %s: %s", (outer, inner, expected) => {
    expect(patternCovers(outer, inner)).toBe(expected);
  });
});

describe("snapshot check of deny assignments", () => {
  it("should name the field a hand edit broke", () => {
    const snapshot = makeSnapshot({ denyAssignments: [makeDenyAssignment()] }) as unknown as {
      denyAssignments: { principals: unknown }[];
    };
    snapshot.denyAssignments[0]!.principals = "everyone";

    expect(checkSnapshot(snapshot)).toBe("denyAssignments[0].principals is not a list");
  });

  it("should accept a snapshot taken before deny assignments were collected", () => {
    expect(checkSnapshot(makeSnapshot())).toBeUndefined();
  });
});
