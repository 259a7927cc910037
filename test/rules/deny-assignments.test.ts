import { describe, expect, it } from "vitest";

import { patternCovers, patternsOverlap } from "../../src/audit/rules/action-patterns.js";
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

describe("DENY_ASSIGNMENT_PRESENT: conditions", () => {
  const CONDITION =
    "@Resource[Microsoft.KeyVault/vaults/secrets:name] StringEquals 'ALPACA-KEY-ID'";
  const CAVEAT =
    " It carries a condition (version 2.0) that the audit did not evaluate, so it may not " +
    "apply; read the condition before changing anything.";

  it("should rate medium a conditional deny that blocks a documented role, and say the condition was not evaluated", () => {
    const deny = denyingData([GET_SECRET], { condition: CONDITION, conditionVersion: "2.0" });
    const snapshot = snapshotWith([deny]);
    const [finding] = evaluateRules({ policy: makePolicy(), snapshot, now: NOW });

    expect(judge([deny])).toEqual([
      `DENY_ASSIGNMENT_PRESENT medium: Deny assignment "${NAME}" at ${VAULT_ID} applies to identity ai-trader-api-mi (principal ${API_PRINCIPAL_ID}) and denies ${GET_SECRET}, which overlaps ${GET_SECRET} of its documented Key Vault Secrets User on Key Vault.${CAVEAT}`,
    ]);
    expect(finding?.observed).toBe(
      `deny assignment ${NAME} denies ${GET_SECRET} under a condition not evaluated`,
    );
    expect(finding?.evidence).toMatchObject({ condition: CONDITION, conditionVersion: "2.0" });
  });

  it("should add the caveat to the note of a conditional deny that blocks nothing documented", () => {
    const deny = makeDenyAssignment({ condition: CONDITION, conditionVersion: "2.0" });

    expect(judge([deny])).toEqual([
      `DENY_ASSIGNMENT_PRESENT info: Deny assignment "${NAME}" at ${VAULT_ID} applies to all principals; the audit found no documented role it blocks.${CAVEAT}`,
    ]);
  });

  it("should give the caveat when the condition is on the permission that denies", () => {
    const deny = makeDenyAssignment({
      permissions: [
        {
          actions: [],
          notActions: [],
          dataActions: [GET_SECRET],
          notDataActions: [],
          condition: CONDITION,
          conditionVersion: "2.0",
        },
      ],
    });

    expect(judge([deny])).toEqual([
      `DENY_ASSIGNMENT_PRESENT medium: Deny assignment "${NAME}" at ${VAULT_ID} applies to identity ai-trader-api-mi (principal ${API_PRINCIPAL_ID}) and denies ${GET_SECRET}, which overlaps ${GET_SECRET} of its documented Key Vault Secrets User on Key Vault.${CAVEAT}`,
    ]);
  });

  it("should say nothing of conditions when the deny has none", () => {
    const [finding] = evaluateRules({
      policy: makePolicy(),
      snapshot: snapshotWith([denyingData([GET_SECRET])]),
      now: NOW,
    });

    expect(finding?.message).not.toContain("condition");
    expect(finding?.evidence).not.toHaveProperty("condition");
  });
});

describe("DENY_ASSIGNMENT_PRESENT: groups", () => {
  const GROUP = "77777777-0000-4000-8000-000000000007";
  const OTHER_GROUP = "88888888-0000-4000-8000-000000000008";
  const GRAPH_NOTE = (group: string) =>
    ` Whether a documented identity belongs to group ${group} is unknown: the audit sees only ` +
    "the groups an identity holds roles through, and other membership needs Microsoft Graph.";

  /** The snapshot where the documented identity holds roles through GROUP. */
  function inGroup(denyAssignments: DenyAssignment[]): Snapshot {
    const snapshot = snapshotWith(denyAssignments);
    snapshot.principalGroups = { [API_PRINCIPAL_ID]: [GROUP] };

    return snapshot;
  }

  it("should rate medium a deny that names a group the identity holds roles through", () => {
    const deny = denyingData([GET_SECRET], {
      principals: [{ id: GROUP.toUpperCase(), type: "Group" }],
    });
    const [finding] = evaluateRules({ policy: makePolicy(), snapshot: inGroup([deny]), now: NOW });

    expect(judge(undefined, inGroup([deny]))).toEqual([
      `DENY_ASSIGNMENT_PRESENT medium: Deny assignment "${NAME}" at ${VAULT_ID} applies to identity ai-trader-api-mi (principal ${API_PRINCIPAL_ID}) through group ${GROUP} and denies ${GET_SECRET}, which overlaps ${GET_SECRET} of its documented Key Vault Secrets User on Key Vault.`,
    ]);
    expect(finding?.evidence).toMatchObject({ group: GROUP });
  });

  it("should only note a deny on everyone that excludes a group the identity holds roles through", () => {
    const deny = denyingData([GET_SECRET], {
      excludePrincipals: [{ id: GROUP, type: "Group" }],
    });

    expect(judge(undefined, inGroup([deny]))).toEqual([
      `DENY_ASSIGNMENT_PRESENT info: Deny assignment "${NAME}" at ${VAULT_ID} applies to all principals except group ${GROUP}; the audit found no documented role it blocks.`,
    ]);
  });

  it("should note, with the limit, a deny naming a group the audit cannot see the identity in", () => {
    const deny = denyingData([GET_SECRET], { principals: [{ id: OTHER_GROUP, type: "Group" }] });

    expect(judge(undefined, inGroup([deny]))).toEqual([
      `DENY_ASSIGNMENT_PRESENT info: Deny assignment "${NAME}" at ${VAULT_ID} applies to group ${OTHER_GROUP}; the audit found no documented role it blocks.${GRAPH_NOTE(OTHER_GROUP)}`,
    ]);
  });

  it("should state the limit when the identity's groups were not read at all", () => {
    const deny = denyingData([GET_SECRET], { principals: [{ id: GROUP, type: "Group" }] });

    expect(judge([deny])).toEqual([
      `DENY_ASSIGNMENT_PRESENT info: Deny assignment "${NAME}" at ${VAULT_ID} applies to group ${GROUP}; the audit found no documented role it blocks.${GRAPH_NOTE(GROUP)}`,
    ]);
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

  it("should refuse a condition that is not text", () => {
    const deny = makeDenyAssignment() as unknown as Record<string, unknown>;
    deny["condition"] = { expression: "x" };

    expect(
      checkSnapshot(makeSnapshot({ denyAssignments: [deny as unknown as DenyAssignment] })),
    ).toBe("denyAssignments[0].condition is not a string");
  });

  it("should accept a snapshot taken before deny assignments were collected", () => {
    expect(checkSnapshot(makeSnapshot())).toBeUndefined();
  });
});
