import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { stringify } from "yaml";

import type { PolicyDoc } from "../../src/audit/policy/policy-doc.js";
import type { PolicyError } from "../../src/audit/policy/policy-error.js";
import type { Policy, PolicyFinding } from "../../src/audit/policy/policy-model.js";
import { parsePolicy } from "../../src/audit/policy/parse-policy.js";

export const FIXTURES = fileURLToPath(new URL("../fixtures/matrix-shapes/", import.meta.url));

/** The seed's secret matrix header and a row in its style. */
export const SEED_HEADER = [
  "| Key Vault secret | App Setting / env | Purpose |",
  "|------------------|-------------------|---------|",
];

export function secretRow(secret: string, setting: string, purpose = "Vendor key"): string {
  return `| \`${secret}\` | \`${setting}\` | ${purpose} |`;
}

export interface DocParts {
  frontMatter?: string[];
  before?: string[];
  secretRows?: string[];
  identityRows?: string[];
  after?: string[];
}

/** A doc in the seed's layout; every part can be replaced. Line 1 is the first line. */
export function makeDoc(overrides: DocParts = {}): string {
  const parts: Required<DocParts> = {
    frontMatter: ["---", "title: Secrets", "last_verified: 2025-11-06", "---"],
    before: ["", "# Secrets", "", "## Secret matrix", ""],
    secretRows: [secretRow("API-KEY", "API_KEY", "Vendor key")],
    identityRows: [],
    after: [],
    ...overrides,
  };
  const identityTable = parts.identityRows.length
    ? [
        "",
        "## Identities",
        "",
        "| Identity | Scope | Key Vault / resource access | Notes |",
        "|---|---|---|---|",
        ...parts.identityRows,
      ]
    : [];

  return [
    ...parts.frontMatter,
    ...parts.before,
    ...SEED_HEADER,
    ...parts.secretRows,
    ...identityTable,
    ...parts.after,
    "",
  ].join("\n");
}

/** Bindings YAML from a plain object, with a valid subscription unless overridden. */
export function makeBindings(overrides: Record<string, unknown> = {}): string {
  return stringify({ subscriptionId: "6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d", ...overrides });
}

export interface Parsed {
  policy: Policy;
  doc: PolicyDoc;
}

/** Parses a doc (and bindings), failing the test if the policy is unusable. */
export function parseOk(docText: string, bindingsText?: string): Parsed {
  const result = parsePolicy({
    docFile: "secrets.md",
    docText,
    ...(bindingsText === undefined ? {} : { bindingsFile: "bindings.yaml", bindingsText }),
  });

  if ("error" in result) {
    throw new Error(`expected a usable policy, got: ${result.error.message}`);
  }

  return result;
}

/** Parses and returns the PolicyError, failing the test if the policy was usable. */
export function parseError(docText: string, bindingsText?: string): PolicyError {
  const result = parsePolicy({
    docFile: "secrets.md",
    docText,
    ...(bindingsText === undefined ? {} : { bindingsFile: "bindings.yaml", bindingsText }),
  });

  if (!("error" in result)) {
    throw new Error("expected a PolicyError, got a usable policy");
  }

  return result.error;
}

export function readFixture(name: string): Parsed {
  const text = readFileSync(`${FIXTURES}${name}`, "utf8");
  const result = parsePolicy({ docFile: name, docText: text });

  if ("error" in result) {
    throw new Error(result.error.message);
  }

  return result;
}

/** Findings the answer keys call warnings: anything above info. */
export function warnings(findings: readonly PolicyFinding[]): [string, number][] {
  return findings
    .filter((finding) => finding.severity !== "info")
    .map((finding) => [finding.ruleId, finding.docRef.line]);
}

export function ruleIds(findings: readonly PolicyFinding[]): string[] {
  return findings.map((finding) => finding.ruleId);
}
