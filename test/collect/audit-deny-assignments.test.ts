/**
 * Deny assignments listed by the real collector through the fake, and judged
 * by DENY_ASSIGNMENT_PRESENT: one that blocks a documented role, one that
 * excludes the identity, none at all, and a listing the auditor may not read.
 */
import { afterEach, describe, expect, it } from "vitest";

import { DEFAULT_IDS, makeDefaultEstate } from "../fake-azure/default-estate.js";
import { EVERYONE_PRINCIPAL_ID, makeDenyAssignment } from "../fake-azure/estate-builders.js";
import type { FakeDenyAssignment } from "../fake-azure/estate-model.js";
import { auditThroughFake, grant, makeSmallEstate, SMALL } from "./audit-fake-kit.js";
import { startHarness } from "./collect-test-kit.js";
import type { CollectHarness } from "./collect-test-kit.js";

const GET_SECRET = "Microsoft.KeyVault/vaults/secrets/getSecret/action";
const STACK = "Deny assignment created by Deployment Stack 'stack-ai-trader'";

/** A stack on the vault that denies reading secret values to everyone, except `excluded`. */
function denyGetSecret(excluded: string[] = []): FakeDenyAssignment {
  return makeDenyAssignment({
    scope: SMALL.vaultId,
    denyAssignmentName: STACK,
    permissions: [
      { actions: ["*/delete"], notActions: [], dataActions: [GET_SECRET], notDataActions: [] },
    ],
    excludePrincipals: excluded.map((id) => ({ id, type: "ServicePrincipal" })),
  });
}

describe("deny assignments through the fake", () => {
  it("should report a deny assignment that blocks a documented identity's role as medium", async () => {
    const estate = makeSmallEstate();
    estate.denyAssignments = [denyGetSecret()];

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      `DENY_ASSIGNMENT_PRESENT medium: Deny assignment "${STACK}" at ${SMALL.vaultId} applies to identity ${SMALL.identity} (principal ${SMALL.principalId}) and denies ${GET_SECRET}, which overlaps ${GET_SECRET} of its documented Key Vault Secrets User on ${SMALL.vault}.`,
    ]);
    expect(audit.snapshot.denyAssignments).toEqual([
      {
        id: `${SMALL.vaultId}/providers/Microsoft.Authorization/denyAssignments/${estate.denyAssignments[0]!.name}`,
        denyAssignmentName: STACK,
        scope: SMALL.vaultId,
        permissions: [
          { actions: ["*/delete"], notActions: [], dataActions: [GET_SECRET], notDataActions: [] },
        ],
        principals: [{ id: EVERYONE_PRINCIPAL_ID, type: "SystemDefined" }],
        excludePrincipals: [],
        doNotApplyToChildScopes: false,
        isSystemProtected: true,
      },
    ]);
  });

  it("should only note a deny assignment that excludes the documented identity", async () => {
    const estate = makeSmallEstate();
    estate.denyAssignments = [denyGetSecret([SMALL.principalId])];

    const audit = await auditThroughFake(estate);

    expect(audit.lines).toEqual([
      `DENY_ASSIGNMENT_PRESENT info: Deny assignment "${STACK}" at ${SMALL.vaultId} applies to all principals except identity ${SMALL.identity} (principal ${SMALL.principalId}); the audit found no documented role it blocks.`,
    ]);
  });

  it("should record a deny's condition and match it through a group the identity holds roles through", async () => {
    const group = "77777777-0000-4000-8000-000000000007";
    const condition =
      "@Resource[Microsoft.KeyVault/vaults/secrets:name] StringEquals 'POSTGRES-CONN'";
    const estate = makeSmallEstate();
    estate.groupMembers = { [group]: [SMALL.principalId] };
    estate.roleAssignments.push(
      grant(group, "Key Vault Secrets User", SMALL.vaultId, { principalType: "Group" }),
    );
    estate.denyAssignments = [
      {
        ...denyGetSecret(),
        principals: [{ id: group, type: "Group" }],
        condition,
        conditionVersion: "2.0",
      },
    ];

    const audit = await auditThroughFake(estate);
    // The group's grant is undocumented too (UNDOCUMENTED_ACCESS); only the deny matters here.
    const denyLines = audit.lines.filter((line) => line.startsWith("DENY_ASSIGNMENT_PRESENT"));

    expect(denyLines).toEqual([
      `DENY_ASSIGNMENT_PRESENT medium: Deny assignment "${STACK}" at ${SMALL.vaultId} applies to identity ${SMALL.identity} (principal ${SMALL.principalId}) through group ${group} and denies ${GET_SECRET}, which overlaps ${GET_SECRET} of its documented Key Vault Secrets User on ${SMALL.vault}. It carries a condition (version 2.0) that the audit did not evaluate, so it may not apply; read the condition before changing anything.`,
    ]);
    expect(audit.snapshot.denyAssignments?.[0]).toMatchObject({
      condition,
      conditionVersion: "2.0",
    });
  });

  it("should report nothing when there are no deny assignments", async () => {
    const audit = await auditThroughFake(makeSmallEstate());

    expect(audit.lines).toEqual([]);
    expect(audit.snapshot.denyAssignments).toEqual([]);
  });

  it("should say not evaluated, never nothing, when deny assignments cannot be listed", async () => {
    const estate = makeSmallEstate();
    estate.denyAssignments = [denyGetSecret()];

    const audit = await auditThroughFake(estate, {
      prepare: (harness) => harness.fake.failArm(/denyAssignments$/),
    });

    expect(audit.lines).toEqual([
      `NOT_EVALUATED medium: Could not read denyAssignments of ${SMALL.vaultId} (HTTP 403, AuthorizationFailed): The client does not have authorization to perform action over the scope, or the scope is invalid. (the auditor's identity is not allowed this read; see the README for the roles it needs)`,
    ]);
    expect(audit.snapshot.denyAssignments).toEqual([]);
  });
});

describe("collectSnapshot: deny assignments", () => {
  let harness: CollectHarness;

  afterEach(async () => {
    await harness.close();
  });

  it("should list deny assignments at, above and below the documented scopes once each, page by page", async () => {
    const estate = makeDefaultEstate();
    const subscription = `/subscriptions/${DEFAULT_IDS.subscriptionId}`;
    estate.denyAssignments = [
      makeDenyAssignment({ scope: subscription, denyAssignmentName: "stack-a" }),
      makeDenyAssignment({ scope: DEFAULT_IDS.storageId, denyAssignmentName: "stack-b" }),
      makeDenyAssignment({ scope: DEFAULT_IDS.vaultId, denyAssignmentName: "stack-c" }),
      makeDenyAssignment({
        scope: `${DEFAULT_IDS.vaultId}/secrets/POSTGRES-CONN`,
        denyAssignmentName: "stack-d",
      }),
    ];
    harness = await startHarness(estate);

    const snapshot = await harness.collect();

    expect(snapshot.denyAssignments?.map((d) => d.denyAssignmentName).sort()).toEqual([
      "stack-a",
      "stack-b",
      "stack-c",
      "stack-d",
    ]);
    expect(
      harness.fake.requests(
        (r) => /denyAssignments$/.test(r.path) && r.query.$skiptoken !== undefined,
      ),
    ).not.toEqual([]);
    expect(snapshot.gaps).toEqual([]);
  });
});
