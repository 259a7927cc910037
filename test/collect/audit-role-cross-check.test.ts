/**
 * ARM's role-assignment listings cross-checked against Azure Resource Graph
 * by the real collector through the fake (A13): a listing that answers an
 * empty page with HTTP 200 becomes SCAN_INCONSISTENT, never ROLE_MISSING;
 * a consistent estate gives nothing; a Resource Graph that cannot be asked
 * is a gap, and the run is incomplete.
 */
import { describe, expect, it } from "vitest";

import { judgeStatus } from "../../src/audit/run-audit.js";
import type { FakeEstate } from "../fake-azure/estate-model.js";
import { makeGuid } from "../fake-azure/estate-builders.js";
import { auditThroughFake, grant, makeSmallEstate, SMALL } from "./audit-fake-kit.js";
import type { CollectHarness } from "./collect-test-kit.js";

const GRAPH_PATH = "/providers/Microsoft.ResourceGraph/resources";
const GRAPH_PATTERN = /^\/providers\/Microsoft\.ResourceGraph\/resources$/;
const MG_SCOPE = "/providers/Microsoft.Management/managementGroups/mg-ai-trader";
const STRANGER = "99999999-0000-4000-8000-000000000009";
const SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";
const ASSIGNMENTS = "providers/Microsoft.Authorization/roleAssignments";

/** A13 for the app's identity: its own listings and the vault's answer `{"value": []}`. */
function emptyListingsOfTheApp(harness: CollectHarness): void {
  harness.fake.emptyRoleListing({ principalId: SMALL.principalId });
  harness.fake.emptyRoleListing({ scope: SMALL.vaultId });
}

function assignmentIdOf(estate: FakeEstate, index: number): string {
  const assignment = estate.roleAssignments[index]!;

  return `${assignment.scope}/${ASSIGNMENTS}/${assignment.name}`;
}

function graphRequests(harness: CollectHarness) {
  return harness.fake.requests((r) => r.path === GRAPH_PATH);
}

describe("role listings cross-checked with Resource Graph, through the fake", () => {
  it("should say SCAN_INCONSISTENT, never ROLE_MISSING, when the identity's listings come back empty (A13)", async () => {
    const estate = makeSmallEstate();
    const id = assignmentIdOf(estate, 0);

    const audit = await auditThroughFake(estate, { prepare: emptyListingsOfTheApp });

    expect(audit.lines).toEqual([
      `SCAN_INCONSISTENT medium: Azure Resource Graph shows role assignment ${id} (Key Vault Secrets User for identity ${SMALL.identity} (principal ${SMALL.principalId}) at ${SMALL.vaultId}), but ARM's role-assignment listings for principal ${SMALL.principalId} and at ${SMALL.vaultId} did not return it, so the audit concludes no missing role from them. Resource Graph lags ARM by minutes: the assignment may instead have been deleted just now.`,
    ]);
    expect(audit.snapshot.roleAssignments).toEqual([]);
    expect(audit.snapshot.roleCrossCheck).toEqual({
      checked: true,
      missingFromListing: [
        {
          id,
          scope: SMALL.vaultId,
          principalId: SMALL.principalId,
          roleDefinitionId: estate.roleAssignments[0]!.roleDefinitionId,
        },
      ],
    });
    expect(judgeStatus(audit.findings, audit.snapshot)).toBe("incomplete");
    expect(audit.findings[0]!.remediation).toContain(
      `az role assignment list --all --include-inherited --assignee ${SMALL.principalId} && ` +
        `az graph query -q "authorizationresources | where id =~ '${id}'"`,
    );
  });

  it("should see a management-group grant the listings left out, as in the pitfall (A13)", async () => {
    const estate = makeSmallEstate();
    estate.roleAssignments = [grant(SMALL.principalId, "Key Vault Secrets User", MG_SCOPE)];

    const audit = await auditThroughFake(estate, { prepare: emptyListingsOfTheApp });

    expect(audit.findings.map((f) => [f.ruleId, f.resourceId])).toEqual([
      ["SCAN_INCONSISTENT", assignmentIdOf(estate, 0)],
    ]);
  });

  it("should reveal a grant to a stranger that the vault's empty listing hid", async () => {
    const estate = makeSmallEstate();
    estate.roleAssignments.push(grant(STRANGER, "Key Vault Secrets User", SMALL.vaultId));

    const audit = await auditThroughFake(estate, {
      prepare: (harness) => harness.fake.emptyRoleListing({ scope: SMALL.vaultId }),
    });

    expect(audit.lines).toEqual([
      `SCAN_INCONSISTENT medium: Azure Resource Graph shows role assignment ${assignmentIdOf(estate, 1)} (Key Vault Secrets User for principal ${STRANGER} at ${SMALL.vaultId}), but ARM's role-assignment listing at ${SMALL.vaultId} did not return it, so the audit concludes no missing role from it. Resource Graph lags ARM by minutes: the assignment may instead have been deleted just now.`,
    ]);
  });

  it("should find nothing, and ask Resource Graph once, when ARM and Resource Graph agree", async () => {
    let harness: CollectHarness | undefined;

    const audit = await auditThroughFake(makeSmallEstate(), {
      prepare: (started) => {
        harness = started;
      },
    });

    expect(audit.lines).toEqual([]);
    expect(audit.snapshot.roleCrossCheck).toEqual({ checked: true, missingFromListing: [] });
    expect(graphRequests(harness!).map((r) => [r.method, r.status])).toEqual([["POST", 200]]);
    expect(harness!.fake.writeRequests()).toEqual([]);
  });

  it("should follow Resource Graph's $skipToken through every page", async () => {
    const estate = makeSmallEstate();
    const resourceGroups = ["rg-a", "rg-b", "rg-c", "rg-d"];
    estate.roleAssignments.push(
      ...resourceGroups.map((rg) =>
        grant(
          SMALL.principalId,
          "Reader",
          `/subscriptions/${SMALL.subscriptionId}/resourceGroups/${rg}`,
          {
            name: makeGuid(rg),
          },
        ),
      ),
    );
    let harness: CollectHarness | undefined;

    const audit = await auditThroughFake(estate, {
      prepare: (started) => {
        harness = started;
        emptyListingsOfTheApp(started);
      },
    });

    // Five rows, two a page: three pages.
    expect(graphRequests(harness!)).toHaveLength(3);
    expect(audit.snapshot.roleCrossCheck?.missingFromListing.map((row) => row.id).sort()).toEqual(
      estate.roleAssignments.map((_, index) => assignmentIdOf(estate, index)).sort(),
    );
    expect(audit.findings.map((f) => f.ruleId)).toEqual(Array(5).fill("SCAN_INCONSISTENT"));
  });

  it("should make a throttled Resource Graph a gap, and the run incomplete", async () => {
    const audit = await auditThroughFake(makeSmallEstate(), {
      prepare: (harness) => harness.fake.throttle(GRAPH_PATTERN, { times: 2 }),
    });

    expect(audit.snapshot.roleCrossCheck).toEqual({ checked: false, missingFromListing: [] });
    expect(audit.snapshot.gaps).toEqual([
      expect.objectContaining({
        resourceId: `/subscriptions/${SMALL.subscriptionId}`,
        what: "roleAssignments.resourceGraph",
        statusCode: 429,
      }),
    ]);
    expect(audit.findings.map((f) => f.ruleId)).toEqual(["NOT_EVALUATED"]);
    expect(judgeStatus(audit.findings, audit.snapshot)).toBe("incomplete");
  });

  it("should report an unverified empty listing as ROLE_MISSING only beside the gap that says so", async () => {
    const audit = await auditThroughFake(makeSmallEstate(), {
      prepare: (harness) => {
        emptyListingsOfTheApp(harness);
        harness.fake.failArm(GRAPH_PATTERN);
      },
    });

    expect(audit.findings.map((f) => f.ruleId)).toEqual([
      "KV_REFERENCE_IDENTITY_CANNOT_READ",
      "ROLE_MISSING",
      "NOT_EVALUATED",
    ]);
    expect(audit.lines.at(-1)).toBe(
      `NOT_EVALUATED medium: Could not read roleAssignments.resourceGraph of /subscriptions/${SMALL.subscriptionId} (HTTP 403, AuthorizationFailed): The client does not have authorization to perform action over the scope, or the scope is invalid. (the auditor's identity is not allowed this read; see the README for the roles it needs); ARM's role-assignment listings were not cross-checked, so a role reported missing in this run may come from a listing that was silently empty`,
    );
    expect(judgeStatus(audit.findings, audit.snapshot)).toBe("incomplete");
  });

  it("should name the role of an assignment only Resource Graph showed", async () => {
    const estate = makeSmallEstate();

    const audit = await auditThroughFake(estate, { prepare: emptyListingsOfTheApp });

    expect(audit.snapshot.roleDefinitions.map((d) => d.id.split("/").pop())).toEqual([
      SECRETS_USER,
    ]);
  });
});
