import { describe, expect, it } from "vitest";

import { UNCHECKED_RULE_IDS } from "../../src/audit/findings/finding.js";
import type { Waiver } from "../../src/audit/policy/policy-model.js";
import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import { checkSnapshot } from "../../src/audit/snapshot/check-snapshot.js";
import type { GraphRoleAssignment, Snapshot } from "../../src/audit/snapshot/snapshot.js";
import {
  API_PRINCIPAL_ID,
  makeAssignment,
  makePolicy,
  makeSnapshot,
  NOW,
  RESOURCE_GROUP_ID,
  SUBSCRIPTION_ID,
  VAULT_ID,
} from "../builders.js";

const STRANGER = "99999999-0000-4000-8000-000000000009";
const GROUP = "66666666-0000-4000-8000-000000000006";
const OTHER_RG = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-elsewhere`;
const ASSIGNMENTS = "providers/Microsoft.Authorization/roleAssignments";

/** A row Resource Graph showed and ARM's listings did not return. */
function makeMissingRow(overrides: Partial<GraphRoleAssignment> = {}): GraphRoleAssignment {
  const { id, scope, principalId, roleDefinitionId } = makeAssignment(overrides);

  return { id, scope, principalId, roleDefinitionId };
}

/** The API identity's listings came back empty, the vault's too, except for `missing`. */
function makeContradicted(missing: GraphRoleAssignment[], overrides: Partial<Snapshot> = {}) {
  return makeSnapshot({
    roleAssignments: [],
    scopesQueried: [VAULT_ID],
    roleCrossCheck: { checked: true, missingFromListing: missing },
    ...overrides,
  });
}

function judge(snapshot: Snapshot, waivers: Waiver[] = []) {
  return evaluateRules({ policy: makePolicy({ waivers }), snapshot, now: NOW });
}

function ruleIds(snapshot: Snapshot) {
  return judge(snapshot).map((finding) => finding.ruleId);
}

describe("SCAN_INCONSISTENT", () => {
  it("should explain, instead of ROLE_MISSING, a grant only Resource Graph showed", () => {
    const row = makeMissingRow();

    expect(
      judge(makeContradicted([row])).map((f) => `${f.ruleId} ${f.severity}: ${f.message}`),
    ).toEqual([
      `SCAN_INCONSISTENT medium: Azure Resource Graph shows role assignment ${row.id} (Key Vault Secrets User for identity ai-trader-api-mi (principal ${API_PRINCIPAL_ID}) at ${VAULT_ID}), but ARM's role-assignment listings for principal ${API_PRINCIPAL_ID} and at ${VAULT_ID} did not return it, so the audit concludes no missing role from them. Resource Graph lags ARM by minutes: the assignment may instead have been deleted just now.`,
    ]);
  });

  it("should tell the engineer to re-run, compare and escalate, with the ids filled in", () => {
    const row = makeMissingRow();
    const [finding] = judge(makeContradicted([row]));

    expect(finding?.remediation).toBe(
      "Run the audit again in a few minutes (Resource Graph lags ARM, so an assignment deleted " +
        "just now clears by itself); if it persists, compare ARM's listing with Resource Graph, " +
        "and open an Azure support case with both outputs if ARM keeps leaving the assignment " +
        `out (az role assignment list --all --include-inherited --assignee ${API_PRINCIPAL_ID} && ` +
        `az graph query -q "authorizationresources | where id =~ '${row.id}'")`,
    );
    expect(finding?.docRef).toEqual({ file: "policy/secrets.md", line: 33 });
  });

  it("should make the run incomplete, whatever a waiver says", () => {
    const waiver: Waiver = {
      ruleId: "SCAN_INCONSISTENT",
      subject: `${API_PRINCIPAL_ID}: Key Vault Secrets User at kv-ai-trader-prod`,
      owner: "platform",
      reason: "known",
      expires: "2027-01-01",
      docRef: { file: "policy/bindings.yaml", line: 40 },
    };
    const findings = judge(makeContradicted([makeMissingRow()]), [waiver]);

    expect(UNCHECKED_RULE_IDS.has("SCAN_INCONSISTENT")).toBe(true);
    expect(findings.find((f) => f.ruleId === "SCAN_INCONSISTENT")?.waiver).toBeUndefined();
  });

  it("should name a role it has no definition for by its GUID", () => {
    const guid = "11111111-2222-4333-8444-555555555555";
    const row = makeMissingRow({
      principalId: STRANGER,
      roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
    });
    const [finding] = judge(makeContradicted([row]));

    expect(finding?.subject).toBe(`${STRANGER}: ${guid} at kv-ai-trader-prod`);
    expect(finding?.message).toContain(`(${guid} for principal ${STRANGER} at ${VAULT_ID})`);
  });

  it("should say nothing when Resource Graph agreed, and let a verified absence be ROLE_MISSING", () => {
    const snapshot = makeContradicted([]);

    expect(ruleIds(snapshot)).toEqual(["ROLE_MISSING"]);
  });

  it("should judge a snapshot taken before the cross-check as before", () => {
    expect(ruleIds(makeSnapshot({ roleAssignments: [] }))).toEqual(["ROLE_MISSING"]);
  });

  it("should leave ROLE_MISSING to the gap when Resource Graph could not be asked", () => {
    const snapshot = makeSnapshot({
      roleAssignments: [],
      roleCrossCheck: { checked: false, missingFromListing: [] },
      gaps: [
        {
          resourceId: `/subscriptions/${SUBSCRIPTION_ID}`,
          what: "roleAssignments.resourceGraph",
          reason: "throttled",
          statusCode: 429,
          errorCode: "RateLimiting",
        },
      ],
    });

    expect(ruleIds(snapshot)).toEqual(["ROLE_MISSING", "NOT_EVALUATED"]);
  });

  it("should distrust a scope's listing when a grant above it was left out", () => {
    const row = makeMissingRow({
      id: `/subscriptions/${SUBSCRIPTION_ID}/${ASSIGNMENTS}/5a5a5a5a-0000-4000-8000-000000000005`,
      scope: `/subscriptions/${SUBSCRIPTION_ID}`,
      principalId: STRANGER,
    });

    expect(ruleIds(makeContradicted([row]))).toEqual(["SCAN_INCONSISTENT"]);
  });

  it("should still report ROLE_MISSING when only an unrelated listing was contradicted", () => {
    const row = makeMissingRow({
      id: `${OTHER_RG}/${ASSIGNMENTS}/5a5a5a5a-0000-4000-8000-000000000006`,
      scope: OTHER_RG,
      principalId: STRANGER,
    });

    expect(ruleIds(makeContradicted([row]))).toEqual(["ROLE_MISSING", "SCAN_INCONSISTENT"]);
  });

  it("should not conclude 'only broader' or 'only through a group' from a contradicted listing", () => {
    const broader = makeAssignment({
      id: `${RESOURCE_GROUP_ID}/${ASSIGNMENTS}/5a5a5a5a-0000-4000-8000-000000000007`,
      scope: RESOURCE_GROUP_ID,
    });
    const viaGroup = makeAssignment({
      id: `${VAULT_ID}/${ASSIGNMENTS}/5a5a5a5a-0000-4000-8000-000000000008`,
      principalId: GROUP,
      principalType: "Group",
    });
    const exact = makeMissingRow();
    const judged = (missing: GraphRoleAssignment[]) => [
      ...ruleIds(makeContradicted(missing, { roleAssignments: [broader] })),
      ...ruleIds(
        makeContradicted(missing, {
          roleAssignments: [viaGroup],
          principalGroups: { [API_PRINCIPAL_ID]: [GROUP] },
        }),
      ),
    ];

    expect(judged([])).toEqual([
      "ROLE_SCOPE_BROADER_THAN_DOCUMENTED",
      "UNDOCUMENTED_ACCESS",
      "ROLE_VIA_GROUP_ONLY",
    ]);
    expect(judged([exact])).toEqual([
      "SCAN_INCONSISTENT",
      "UNDOCUMENTED_ACCESS",
      "SCAN_INCONSISTENT",
    ]);
  });

  it("should not conclude that the resolving identity cannot read the vault", () => {
    const snapshot = makeContradicted([makeMissingRow()]);
    snapshot.vaults[0]!.enableRbacAuthorization = true;

    expect(ruleIds(snapshot)).toEqual(["SCAN_INCONSISTENT"]);
    expect(
      ruleIds({ ...snapshot, roleCrossCheck: { checked: true, missingFromListing: [] } }),
    ).toEqual(["KV_REFERENCE_IDENTITY_CANNOT_READ", "ROLE_MISSING"]);
  });

  it("should refuse a snapshot whose cross-check is malformed", () => {
    const broken = makeSnapshot({
      roleCrossCheck: { checked: true, missingFromListing: [{ id: "x" } as GraphRoleAssignment] },
    });

    expect(checkSnapshot(broken)).toBe(
      "roleCrossCheck.missingFromListing[0].scope is missing or not a string",
    );
    expect(checkSnapshot(makeContradicted([makeMissingRow()]))).toBeUndefined();
  });
});
