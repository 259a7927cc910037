/**
 * The bindings report every schema error at once, and refuse a rule id
 * under `severity:` or in a waiver that no finding can carry, with the
 * likely one; a value that looks like a secret is never repeated.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { loadPolicy } from "../../src/audit/load-policy.js";
import { parsePolicy } from "../../src/audit/policy/parse-policy.js";
import { POLICY_RULE_IDS } from "../../src/audit/policy/policy-rule-ids.js";
import { listKnownRuleIds, RULES } from "../../src/audit/rules/rule-registry.js";
import { makeBindings, makeDoc, parseError } from "./builders.js";

const SUB = "subscriptionId: 6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d";
const WAIVER = "subject: x, owner: me, reason: r, expires: 2026-06-30";
const doc = makeDoc();

/** Parses with the rule ids loadPolicy passes, and returns the PolicyError. */
function errorFor(...lines: string[]) {
  const result = parsePolicy({
    docFile: "secrets.md",
    docText: doc,
    bindingsFile: "bindings.yaml",
    bindingsText: lines.join("\n") + "\n",
    knownRuleIds: listKnownRuleIds(),
  });

  if (!("error" in result)) {
    throw new Error("expected a PolicyError, got a usable policy");
  }

  return result.error;
}

function parses(...lines: string[]): boolean {
  const result = parsePolicy({
    docFile: "secrets.md",
    docText: doc,
    bindingsFile: "bindings.yaml",
    bindingsText: lines.join("\n") + "\n",
    knownRuleIds: listKnownRuleIds(),
  });

  return "policy" in result;
}

describe("bindings with several schema errors", () => {
  it("should report every one, in file order, each with its place and fix", () => {
    const error = parseError(
      doc,
      [
        "subscriptionId: 6f1c2b7e",
        "cloud: AzurePublic",
        "vault:",
        "  main: { name: kv-app }",
        "docMaxAgeDays: 0",
      ].join("\n") + "\n",
    );

    expect(error.message.split("\n")).toEqual([
      "bindings.yaml:1:17: subscriptionId is \"6f1c2b7e\", which is not the subscription's GUID; write the subscription's GUID, e.g. 6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d.",
      'bindings.yaml:2:8: cloud is "AzurePublic", which is not a cloud the auditor knows; write one of AzurePublicCloud, AzureUSGovernment, AzureChinaCloud (did you mean AzurePublicCloud?).',
      "bindings.yaml:3:1: the file has an unknown key vault; did you mean vaults?",
      "bindings.yaml:5:16: docMaxAgeDays is 0, which is not a whole number of days; write a whole number of days, e.g. 180.",
    ]);
    expect(error).toMatchObject({ code: "BINDINGS_SCHEMA", line: 1, column: 17 });
    expect(error.problems.map((p) => `${p.line}:${p.column}`)).toEqual([
      "1:17",
      "2:8",
      "3:1",
      "5:16",
    ]);
  });

  it("should keep one error as one line, as before", () => {
    const error = parseError(doc, `${SUB}\ncloud: AzurePublic\n`);

    expect(error.problems).toHaveLength(1);
    expect(error.message).not.toContain("\n");
  });

  it("should not repeat a secret-looking value, whichever error it is in", () => {
    const pasted = "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=CANARYkeyZZ9abc==";
    const error = parseError(
      doc,
      ["subscriptionId: 6f1c2b7e", `armEndpoint: "${pasted}"`].join("\n") + "\n",
    );

    expect(error.problems).toHaveLength(2);
    expect(error.message).toContain(
      "armEndpoint is a value that looks like a secret (not repeated here)",
    );
    expect(error.message).not.toContain("CANARY");
    expect(JSON.stringify(error.problems)).not.toContain("CANARY");
  });

  it("should say a severity key is not written as a rule id, once, with the rule meant", () => {
    const error = errorFor(SUB, "severity:", "  secret_no_expiry: info");

    expect(error.message).toBe(
      'bindings.yaml:3:3: severity names "secret_no_expiry", which is not written as a rule id; did you mean SECRET_NO_EXPIRY?',
    );
  });
});

describe("rule ids the bindings name", () => {
  it("should refuse a mistyped rule id under severity:, with the rule meant", () => {
    const error = errorFor(SUB, "severity:", "  SECRET_NO_EXPIR: info");

    expect(error).toMatchObject({
      code: "BINDINGS_REFERENCE",
      line: 3,
      column: 3,
      value: "SECRET_NO_EXPIR",
    });
    expect(error.message).toBe(
      'bindings.yaml:3:3: severity names "SECRET_NO_EXPIR", which is not a rule id the auditor has; did you mean SECRET_NO_EXPIRY?',
    );
  });

  it("should report every unknown id under severity: and in waivers at once, in file order", () => {
    const error = errorFor(
      SUB,
      "waivers:",
      `  - { rule: ROTATION_OVERDEU, ${WAIVER} }`,
      "severity:",
      "  SECRET_NO_EXPIRY: info",
      "  NOT_A_RULE_AT_ALL: low",
    );

    expect(error.message.split("\n")).toEqual([
      'bindings.yaml:3:7: waivers[0].rule is "ROTATION_OVERDEU", which is not a rule id the auditor has; did you mean ROTATION_OVERDUE?',
      'bindings.yaml:6:3: severity names "NOT_A_RULE_AT_ALL", which is not a rule id the auditor has; write the rule id as reports print it, or remove the entry.',
    ]);
  });

  it("should accept the ids of rules, of policy findings and of unmatched waivers", () => {
    expect(
      parses(
        SUB,
        "severity:",
        "  SECRET_NO_EXPIRY: info",
        "  DOC_STALE: low",
        "  WAIVER_UNMATCHED: low",
        "waivers:",
        `  - { rule: ROTATION_OVERDUE, ${WAIVER} }`,
        `  - { rule: MATRIX_PARSE_WARNING, ${WAIVER} }`,
      ),
    ).toBe(true);
  });

  it("should not repeat a rule id that looks like a secret", () => {
    const key = "ABCDEFGHIJ0123456789ABCDEFGHIJ0123";
    const error = errorFor(SUB, "severity:", `  ${key}: info`);

    expect(error.message).toContain(
      "severity names a value that looks like a secret (not repeated here)",
    );
    expect(error.message).not.toContain(key);
    expect(error.value).toBeUndefined();
  });

  it("should check rule ids when a policy directory is loaded", async () => {
    const dir = mkdtempSync(join(tmpdir(), "policy-"));

    try {
      writeFileSync(join(dir, "secrets.md"), doc);
      writeFileSync(
        join(dir, "bindings.yaml"),
        makeBindings({ severity: { ROTATION_DUEE: "low" } }),
      );

      await expect(loadPolicy(dir)).rejects.toThrow(
        /severity names "ROTATION_DUEE", which is not a rule id the auditor has; did you mean ROTATION_DUE\?$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the known rule ids", () => {
  /** Every rule id the source writes as `ruleId: "..."` (ternaries included). */
  function ruleIdsInSource(dir: string): string[] {
    return readdirSync(dir, { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .flatMap((file) =>
        readFileSync(join(dir, file), "utf8")
          .split("\n")
          .filter((line) => /\bruleId: /.test(line))
          .flatMap((line) => [...line.matchAll(/"([A-Z][A-Z0-9_]+)"/g)].map((m) => m[1]!)),
      );
  }

  it("should hold every id a finding can carry", () => {
    const known = listKnownRuleIds();
    const written = [...ruleIdsInSource("src/audit"), ...RULES.map((rule) => rule.id)];

    expect(written.filter((id) => id !== "POLICY_PROBLEM" && !known.includes(id))).toEqual([]);
  });

  it("should list no policy id the policy layer no longer writes", () => {
    const written = new Set(ruleIdsInSource("src/audit/policy"));

    expect(POLICY_RULE_IDS.filter((id) => !written.has(id))).toEqual([]);
  });
});
