import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { parsePolicy } from "../../src/audit/policy/parse-policy.js";
import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import { makePolicy, makeSecretProperties, makeSnapshot, NOW } from "../builders.js";

const SEED = readFileSync("policy/secrets.md", "utf8");
const BINDINGS = readFileSync("policy/bindings.yaml", "utf8");

function parse(bindingsText: string) {
  return parsePolicy({
    docFile: "policy/secrets.md",
    docText: SEED,
    bindingsFile: "policy/bindings.yaml",
    bindingsText,
  });
}

describe("severity overrides in the bindings", () => {
  it("should read severities by rule id", () => {
    const result = parse(`${BINDINGS}\nseverity:\n  SECRET_NO_EXPIRY: info\n`);

    expect("policy" in result && result.policy.severityOverrides).toEqual({
      SECRET_NO_EXPIRY: "info",
    });
  });

  it("should refuse a severity that does not exist, naming the line", () => {
    const result = parse(`${BINDINGS}\nseverity:\n  SECRET_NO_EXPIRY: urgent\n`);

    expect("error" in result && result.error.message).toMatch(
      /^policy\/bindings\.yaml:\d+:\d+: .*urgent.*critical, high, medium, low or info/,
    );
  });

  it("should apply an override to every finding of that rule", () => {
    const snapshot = makeSnapshot();
    snapshot.vaults[0]!.secrets = [makeSecretProperties({ expiresOn: undefined })];
    const policy = makePolicy({ severityOverrides: { SECRET_NO_EXPIRY: "info" } });

    expect(
      evaluateRules({ policy, snapshot, now: NOW }).map((f) => `${f.ruleId} ${f.severity}`),
    ).toEqual(["SECRET_NO_EXPIRY info"]);
  });
});

describe("bindings errors and secret-looking values", () => {
  it("should not repeat a pasted connection string in the error", () => {
    const pasted = "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=CANARYkeyZZ9abc==";
    const result = parse(BINDINGS.replace(/^subscriptionId: .*$/m, `subscriptionId: "${pasted}"`));

    expect("error" in result && result.error.message).toContain(
      "subscriptionId is a value that looks like a secret (not repeated here)",
    );
    expect("error" in result && result.error.message).not.toContain("CANARY");
  });

  it("should still quote an ordinary bad value, such as a short GUID", () => {
    const result = parse(
      BINDINGS.replace(/^subscriptionId: .*$/m, "subscriptionId: 6f1c2b7e-3a54"),
    );

    expect("error" in result && result.error.message).toContain('"6f1c2b7e-3a54"');
  });
});
