import { describe, expect, it } from "vitest";

import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import type { RoleAssignment } from "../../src/audit/snapshot/snapshot.js";
import { makeAssignment, makePolicy, makeSnapshot, NOW, SECRETS_USER_GUID } from "../builders.js";

const MG_SCOPE = "/providers/Microsoft.Management/managementGroups/mg-platform";
const MG_ASSIGNMENT_ID = `${MG_SCOPE}/providers/Microsoft.Authorization/roleAssignments/aaaa0001`;

function judge(roleAssignments: RoleAssignment[]) {
  const snapshot = makeSnapshot({ roleAssignments });

  return evaluateRules({ policy: makePolicy(), snapshot, now: NOW }).map(
    (finding) => `${finding.ruleId} ${finding.severity}: ${finding.message}`,
  );
}

describe("role rules", () => {
  it("should accept a grant inherited from a management group but warn of its reach", () => {
    const inherited = makeAssignment({ id: MG_ASSIGNMENT_ID, scope: MG_SCOPE });

    expect(judge([inherited])).toEqual([
      `ROLE_SCOPE_BROADER_THAN_DOCUMENTED medium: Identity ai-trader-api-mi holds Key Vault Secrets User only at ${MG_SCOPE}, broader than the documented Key Vault; it applies to every resource below that scope.`,
    ]);
  });

  it("should match role definitions in both path forms and any case", () => {
    const tenantForm = makeAssignment({
      roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${SECRETS_USER_GUID.toUpperCase()}`,
    });

    expect(judge([tenantForm])).toEqual([]);
  });

  it("should not take a custom role named like a built-in one for it", () => {
    const snapshot = makeSnapshot({
      roleAssignments: [
        makeAssignment({
          roleDefinitionId:
            "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/11111111-2222-4333-8444-555555555555",
        }),
      ],
    });
    snapshot.roleDefinitions.push({
      id: "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/11111111-2222-4333-8444-555555555555",
      roleName: "Key Vault Secrets User",
      roleType: "CustomRole",
    });
    const ruleIds = evaluateRules({ policy: makePolicy(), snapshot, now: NOW }).map(
      (f) => f.ruleId,
    );

    expect(ruleIds).toEqual(["ROLE_MISSING", "ROLE_NOT_DOCUMENTED"]);
  });

  it("should show a condition on a documented identity's assignment", () => {
    const conditioned = makeAssignment({
      condition: "@Resource[Microsoft.KeyVault/vaults/secrets:name] StringEquals 'ALPACA-KEY-ID'",
    });

    expect(judge([conditioned])).toEqual([
      "ROLE_ASSIGNMENT_CONDITION info: Identity ai-trader-api-mi's Key Vault Secrets User assignment at /subscriptions/6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d/resourceGroups/rg-ai-trader-prod/providers/Microsoft.KeyVault/vaults/kv-ai-trader-prod carries a condition the doc does not describe.",
    ]);
  });

  it("should count an assignment once however many listings returned it", () => {
    expect(judge([makeAssignment(), makeAssignment()])).toEqual([]);
  });
});

describe("stronger roles that also grant a documented capability", () => {
  it("should report Key Vault Secrets Officer held for 'read secrets' as privileged excess", () => {
    const officer = makeAssignment({
      roleDefinitionId:
        "/providers/Microsoft.Authorization/roleDefinitions/b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
    });
    const policy = makePolicy();
    policy.identities[0]!.roles[0]!.satisfiedByGuids = [
      SECRETS_USER_GUID,
      "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
    ];
    const snapshot = makeSnapshot({ roleAssignments: [officer] });
    snapshot.roleDefinitions.push({
      id: "/providers/Microsoft.Authorization/roleDefinitions/b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
      roleName: "Key Vault Secrets Officer",
      roleType: "BuiltInRole",
    });
    const findings = evaluateRules({ policy, snapshot, now: NOW });

    expect(findings.map((f) => `${f.ruleId} ${f.severity}`)).toEqual(["ROLE_NOT_DOCUMENTED high"]);
  });
});

describe("role definitions without a role type", () => {
  it("should judge by GUID and not crash when a snapshot has no roleType", () => {
    const snapshot = makeSnapshot();
    for (const definition of snapshot.roleDefinitions) {
      Reflect.deleteProperty(definition, "roleType");
    }

    expect(() => evaluateRules({ policy: makePolicy(), snapshot, now: NOW })).not.toThrow();
  });
});
