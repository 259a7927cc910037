import { describe, expect, it } from "vitest";

import type { PolicyFinding } from "../../src/audit/policy/policy-model.js";
import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import { makePolicy, makeSnapshot, NOW } from "../builders.js";

function ambiguous(phrase: string): PolicyFinding {
  return {
    ruleId: "MATRIX_ROLE_AMBIGUOUS",
    severity: "medium",
    message: `The access phrase "${phrase}" maps to no role.`,
    remediation: "Name the role, or map the phrase under access: in the bindings.",
    docRef: { file: "policy/secrets.md", line: 34, column: 40 },
    subject: "ai-trader-api-mi",
  };
}

describe("policy problems as findings", () => {
  it("should keep two problems found in one cell", () => {
    const policy = makePolicy({
      findings: [ambiguous("Cosmos superpowers"), ambiguous("read access")],
    });
    const messages = evaluateRules({ policy, snapshot: makeSnapshot(), now: NOW }).map(
      (f) => f.message,
    );

    expect(messages).toEqual([
      'The access phrase "Cosmos superpowers" maps to no role.',
      'The access phrase "read access" maps to no role.',
    ]);
  });

  it("should give a stale doc the same id however --policy was spelled", () => {
    const idFor = (docFile: string) =>
      evaluateRules({
        policy: makePolicy({
          docFile,
          lastVerified: "2025-11-06",
          lastVerifiedRef: { file: docFile, line: 6 },
        }),
        snapshot: makeSnapshot(),
        now: NOW,
      }).find((f) => f.ruleId === "DOC_STALE")?.id;

    expect(idFor("policy/secrets.md")).toBeDefined();
    expect(idFor("/home/site/wwwroot/policy/secrets.md")).toBe(idFor("policy/secrets.md"));
  });
});
