import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { parsePolicy } from "../../src/audit/policy/parse-policy.js";

const SEED = readFileSync("policy/secrets.md", "utf8");
const BINDINGS = readFileSync("policy/bindings.yaml", "utf8");

function findingsFor(docText: string) {
  const result = parsePolicy({
    docFile: "policy/secrets.md",
    docText,
    bindingsFile: "policy/bindings.yaml",
    bindingsText: BINDINGS,
  });

  if ("error" in result) {
    throw result.error;
  }

  return result.policy.findings.filter((f) => f.ruleId === "VAULT_NAME_CONFLICT");
}

describe("the doc's vault and the bindings' vault", () => {
  it("should say so when the doc names a vault the bindings do not audit", () => {
    const doc = SEED.replace(
      "All production secrets flow",
      "Secrets live in Key Vault `kv-other-prod`. All production secrets flow",
    );

    expect(findingsFor(doc).map((f) => f.message)).toEqual([
      "The doc names vault kv-other-prod at line 14, but the bindings audit kv-ai-trader-prod; secrets are checked in the bindings' vault only.",
    ]);
  });

  it("should stay quiet when they agree, whatever the case", () => {
    const doc = SEED.replace(
      "All production secrets flow",
      "Secrets live in Key Vault `KV-AI-TRADER-PROD`. All production secrets flow",
    );

    expect(findingsFor(doc)).toEqual([]);
  });
});
