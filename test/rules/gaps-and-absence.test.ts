import { describe, expect, it } from "vitest";

import type { Policy } from "../../src/audit/policy/policy-model.js";
import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import type { CollectionGap, Snapshot } from "../../src/audit/snapshot/snapshot.js";
import {
  API_APP_ID,
  API_PRINCIPAL_ID,
  makeIdentity,
  makePolicy,
  makeSite,
  makeSnapshot,
  NOW,
  RESOURCE_GROUP_ID,
  SUBSCRIPTION_ID,
  VAULT_ID,
} from "../builders.js";

const DELETED_ROLE =
  "providers/Microsoft.Authorization/roleDefinitions/dddddddd-0000-4000-8000-00000000000d";
const UAI_PROVIDER = "providers/Microsoft.ManagedIdentity/userAssignedIdentities";
const UAI_ID = `${RESOURCE_GROUP_ID}/${UAI_PROVIDER}/id-batch`;

function judge(snapshot: Snapshot, policy: Policy = makePolicy()): string[] {
  return evaluateRules({ policy, snapshot, now: NOW }).map(
    (finding) => `${finding.ruleId} ${finding.severity}: ${finding.message}`,
  );
}

function gap(overrides: Partial<CollectionGap>): CollectionGap {
  return {
    resourceId: API_APP_ID,
    what: "configReferences.appSettings",
    reason: "the auditor may not read reference status",
    statusCode: 403,
    errorCode: "AuthorizationFailed",
    ...overrides,
  };
}

describe("NOT_EVALUATED: what the audit could not see is never a pass", () => {
  it("should say why a documented identity's roles could not be checked", () => {
    const unbound = makePolicy({ identities: [makeIdentity({ principal: undefined })] });
    const userAssigned = makePolicy({
      identities: [
        makeIdentity({
          principal: { kind: "userAssigned", resourceId: UAI_ID },
          objectIdSuffix: undefined,
        }),
      ],
    });

    expect(judge(makeSnapshot(), unbound)).toEqual([
      "NOT_EVALUATED medium: Could not check the roles of identity ai-trader-api-mi: the bindings do not say which principal it is.",
    ]);
    expect(judge(makeSnapshot(), userAssigned)).toEqual([
      `NOT_EVALUATED medium: Could not check the roles of identity ai-trader-api-mi: user-assigned identity ${UAI_ID} is on no audited app.`,
    ]);
  });

  it("should say an app with no data in the snapshot was not audited, nor its identity", () => {
    expect(judge(makeSnapshot({ sites: [] }))).toEqual([
      `NOT_EVALUATED medium: Could not check the roles of identity ai-trader-api-mi: app ai-trader-api was not collected.`,
      "NOT_EVALUATED medium: The snapshot holds no data for ai-trader-api; it was not audited.",
    ]);
  });

  it("should say not evaluated, never role missing, for a principal whose assignments were not listed", () => {
    const unlisted = makeSnapshot({ principalsQueried: [], roleAssignments: [] });

    expect(judge(unlisted)).toEqual([
      `NOT_EVALUATED medium: Could not check the roles of identity ai-trader-api-mi: role assignments of principal ${API_PRINCIPAL_ID} were not listed.`,
    ]);
    expect(judge(makeSnapshot())).toEqual([]);
  });

  it("should not call a status unknown when the status itself could not be read", () => {
    const unread = makeSnapshot({
      sites: [makeSite({ configReferences: [] })],
      gaps: [gap({})],
    });
    const otherKindUnread = makeSnapshot({
      sites: [makeSite({ configReferences: [] })],
      gaps: [gap({ what: "configReferences.connectionStrings" })],
    });

    expect(judge(unread)).toEqual([
      `NOT_EVALUATED medium: Could not read configReferences.appSettings of ${API_APP_ID} (HTTP 403, AuthorizationFailed): the auditor may not read reference status`,
    ]);
    expect(judge(otherKindUnread)).toEqual([
      `NOT_EVALUATED medium: Could not read configReferences.connectionStrings of ${API_APP_ID} (HTTP 403, AuthorizationFailed): the auditor may not read reference status`,
      "KV_REFERENCE_STATUS_UNKNOWN info: App Service reports no resolution status for setting ALPACA_API_KEY on app ai-trader-api.",
    ]);
  });
});

describe("RESOURCE_NOT_FOUND: Azure's 404 is drift, not a gap", () => {
  it("should report each bound app, slot and vault Azure does not have", () => {
    const policy = makePolicy();
    policy.apps["api"]!.slots = ["staging"];
    const snapshot = makeSnapshot({
      sites: [],
      vaults: [],
      notFound: [
        { resourceId: API_APP_ID, what: "site" },
        { resourceId: `${API_APP_ID}/slots/staging`, what: "slot" },
        { resourceId: VAULT_ID, what: "vault" },
      ],
    });

    expect(judge(snapshot, policy)).toEqual([
      `RESOURCE_NOT_FOUND high: Vault kv-ai-trader-prod named in policy/bindings.yaml does not exist: Azure answered 404 for ${VAULT_ID}.`,
      `RESOURCE_NOT_FOUND high: App ai-trader-api named in policy/bindings.yaml does not exist: Azure answered 404 for ${API_APP_ID}.`,
      `RESOURCE_NOT_FOUND high: Slot staging named in policy/bindings.yaml does not exist: Azure answered 404 for ${API_APP_ID}/slots/staging.`,
      "NOT_EVALUATED medium: Could not check the roles of identity ai-trader-api-mi: app ai-trader-api was not collected.",
    ]);
  });

  it("should not report a 404 for anything the bindings do not name, such as a role definition", () => {
    const snapshot = makeSnapshot({
      notFound: [
        {
          resourceId: `/subscriptions/${SUBSCRIPTION_ID}/${DELETED_ROLE}`,
          what: "roleDefinition",
        },
      ],
    });

    expect(judge(snapshot)).toEqual([]);
  });
});

describe("NOT_EVALUATED remediation: what to do depends on what could not be read", () => {
  const CI = "0b7c4e2a-9d13-4f6e-8a21-3c5d7e9f4bb0";
  const SUBSCRIPTION = `/subscriptions/${SUBSCRIPTION_ID}`;

  function remediationOf(gapOverrides: Partial<CollectionGap>): string {
    const snapshot = makeSnapshot({ gaps: [gap(gapOverrides)] });
    const finding = evaluateRules({ policy: makePolicy(), snapshot, now: NOW }).find(
      (f) => f.ruleId === "NOT_EVALUATED",
    );

    return finding?.remediation ?? "";
  }

  it("should ask for a Microsoft Graph permission, not an Azure role, when Graph refused a lookup", () => {
    const remediation = remediationOf({
      resourceId: `/servicePrincipals/${CI}`,
      what: "directoryPrincipal",
      reason: "Insufficient privileges to complete the operation.",
      statusCode: 403,
      errorCode: "Authorization_RequestDenied",
      principalId: CI,
    });

    expect(remediation).toBe(
      "Grant the auditor's identity the Microsoft Graph application permission " +
        "Application.Read.All, with admin consent (User.ReadBasic.All for a user, " +
        "GroupMember.Read.All for a group), so it can tell a deleted principal from a live " +
        "one, then run the audit again; on a 401, check graphEndpoint and graphScope in the " +
        "bindings. To accept the blind spot instead, set verifyPrincipals: false in the bindings.",
    );
    expect(remediation).not.toContain("Drift Auditor Reader");
  });

  it("should advise a rerun when Graph was only throttled", () => {
    expect(
      remediationOf({ what: "directoryPrincipal", statusCode: 429, errorCode: undefined }),
    ).toBe(
      "Run the audit again; if it recurs, run it at a quieter hour or with lower concurrency.",
    );
  });

  it("should say the Resource Graph cross-check needs no more than the role listings' read", () => {
    const crossCheck = { resourceId: SUBSCRIPTION, what: "roleAssignments.resourceGraph" };

    expect(remediationOf({ ...crossCheck, statusCode: 403 })).toBe(
      "Resource Graph needs only the read the role listings use " +
        "(Microsoft.Authorization/roleAssignments/read, in the Drift Auditor Reader role): " +
        "assign that role on the subscription, then run the audit again. Until a run " +
        "cross-checks the listings, confirm each ROLE_MISSING with az role assignment list " +
        "--assignee <principal-id> --all.",
    );
    expect(
      remediationOf({ ...crossCheck, statusCode: undefined, errorCode: "ResultTruncated" }),
    ).toBe(
      "Run the audit again (Resource Graph needs no access beyond the role listings it " +
        "checks); if it recurs, run it at a quieter hour. Until a run cross-checks the " +
        "listings, confirm each ROLE_MISSING with az role assignment list " +
        "--assignee <principal-id> --all.",
    );
  });

  it("should ask for a new snapshot when the snapshot file does not record the part", () => {
    const missing = {
      resourceId: SUBSCRIPTION,
      what: "roleAssignments.resourceGraph",
      statusCode: undefined,
      errorCode: "SnapshotFieldMissing",
    };

    expect(remediationOf(missing)).toBe(
      "Collect a new snapshot with this policy (drift-audit collect --policy <dir> --out " +
        "<file>), or audit live.",
    );
  });
});
