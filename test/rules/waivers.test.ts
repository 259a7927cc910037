import { describe, expect, it } from "vitest";

import type { Waiver } from "../../src/audit/policy/policy-model.js";
import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import { makePolicy, makeSnapshot, NOW } from "../builders.js";

function waiver(overrides: Partial<Waiver>): Waiver {
  return {
    ruleId: "ROLE_MISSING",
    subject: "ai-trader-api-mi: Key Vault Secrets User",
    owner: "platform",
    reason: "migrating to RBAC",
    expires: "2026-12-31",
    docRef: { file: "policy/bindings.yaml", line: 40 },
    ...overrides,
  };
}

function judge(waivers: Waiver[]) {
  const snapshot = makeSnapshot({ roleAssignments: [] });

  return evaluateRules({ policy: makePolicy({ waivers }), snapshot, now: NOW }).map(
    (f) => `${f.ruleId} ${f.severity}${f.waiver ? " waived" : ""}: ${f.message}`,
  );
}

describe("waivers", () => {
  it("should say when a waiver matches nothing, so a typo does not pass unnoticed", () => {
    expect(judge([waiver({ subject: "ai-trader-api-mi: Key Vault Secret User" })])).toContain(
      'WAIVER_UNMATCHED info: The waiver of ROLE_MISSING for "ai-trader-api-mi: Key Vault Secret User" (owner platform) waives nothing: no ROLE_MISSING finding has subject "ai-trader-api-mi: Key Vault Secret User" in this run.',
    );
  });

  it("should say a waiver cannot hide a blind spot", () => {
    expect(
      judge([waiver({ ruleId: "NOT_EVALUATED", subject: "secrets: kv-ai-trader-prod" })]),
    ).toContain(
      'WAIVER_UNMATCHED info: The waiver of NOT_EVALUATED for "secrets: kv-ai-trader-prod" (owner platform) waives nothing: NOT_EVALUATED says something could not be checked, which no waiver may hide.',
    );
  });

  it("should mark a matched finding waived and add no note", () => {
    expect(judge([waiver({})])).toEqual([
      `ROLE_MISSING high waived: Identity ai-trader-api-mi (principal 3d0b7a52-6f4e-4c1a-9b7d-2e8f1a6c85df) does not hold Key Vault Secrets User on Key Vault, as the doc says it does.`,
    ]);
  });
});
