import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { loadPolicy } from "../../src/audit/load-policy.js";
import { BINDINGS_SCHEMA } from "../../src/audit/policy/bindings-schema.js";
import { judgePolicyAge } from "../../src/audit/policy/judge-policy-age.js";
import { PolicyError } from "../../src/audit/policy/policy-error.js";
import { makeBindings, makeDoc } from "./builders.js";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "policy-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

async function loadError(path: string): Promise<PolicyError> {
  const error: unknown = await loadPolicy(path).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );

  expect(error).toBeInstanceOf(PolicyError);

  return error as PolicyError;
}

describe("the team's policy in policy/", () => {
  it("loads with no findings", async () => {
    const policy = await loadPolicy("policy");

    expect(policy.findings).toEqual([]);
    expect(policy.secrets).toHaveLength(9);
    expect(
      policy.identities.flatMap((identity) => identity.roles).every((role) => role.scope !== ""),
    ).toBe(true);
  });

  it("binds the broker and vendor keys to 90 days and nothing else", async () => {
    const policy = await loadPolicy("policy");
    const limited = policy.secrets
      .filter((secret) => secret.maxAgeDays === 90)
      .map((secret) => secret.name);

    expect(limited).toEqual([
      "ALPACA-KEY-ID",
      "ALPACA-SECRET-KEY",
      "ALPHAVANTAGE-API-KEY",
      "FINNHUB-API-KEY",
      "TWELVEDATA-API-KEY",
      "YAHOO-REFRESH-TOKEN",
    ]);
  });

  it("is stale by the demo's clock, as its last_verified says", async () => {
    const policy = await loadPolicy("policy");

    expect(
      judgePolicyAge(policy, new Date("2026-12-01T00:00:00Z")).map((finding) => finding.ruleId),
    ).toEqual(["DOC_STALE"]);
  });

  it("publishes the schema the loader validates with", () => {
    expect(JSON.parse(readFileSync("policy/bindings.schema.json", "utf8"))).toEqual(
      BINDINGS_SCHEMA,
    );
  });
});

describe("loading a policy path", () => {
  it("reads secrets.md and bindings.yaml from a directory, naming both files", async () => {
    write("secrets.md", makeDoc());
    write("bindings.yaml", makeBindings());

    const policy = await loadPolicy(dir);

    expect([policy.docFile, policy.bindingsFile]).toEqual([
      join(dir, "secrets.md"),
      join(dir, "bindings.yaml"),
    ]);
  });

  it("reads the one markdown doc of a directory, beside bindings.json", async () => {
    write("matrix.md", makeDoc());
    write("README.md", "# About this folder\n");
    write(
      "bindings.json",
      JSON.stringify({ subscriptionId: "6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d" }),
    );

    const policy = await loadPolicy(dir);

    expect([policy.docFile, policy.subscriptionId]).toEqual([
      join(dir, "matrix.md"),
      "6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d",
    ]);
  });

  it("reads a markdown file alone, with default bindings", async () => {
    const policy = await loadPolicy(write("doc.md", makeDoc()));

    expect([policy.bindingsFile, policy.subscriptionId, policy.docMaxAgeDays]).toEqual([
      undefined,
      "",
      180,
    ]);
  });

  it("says what to pass when the path does not exist", async () => {
    const missing = join(dir, "nope");

    expect((await loadError(missing)).message).toBe(
      `${missing}: no such file or directory; pass the policy directory (with secrets.md and bindings.yaml) or a markdown doc.`,
    );
  });

  it("says what to write when a directory has no doc", async () => {
    write("bindings.yaml", makeBindings());

    expect(await loadError(dir)).toMatchObject({
      code: "POLICY_DOC_NOT_FOUND",
      file: join(dir, "secrets.md"),
    });
  });

  it("refuses to guess between two docs or two bindings files", async () => {
    write("a.md", makeDoc());
    write("b.md", makeDoc());

    expect((await loadError(dir)).code).toBe("POLICY_DOC_AMBIGUOUS");

    write("secrets.md", makeDoc());
    write("bindings.yaml", makeBindings());
    write("bindings.yml", makeBindings());

    expect((await loadError(dir)).message).toBe(
      `${dir}: both bindings.yaml and bindings.yml; keep one bindings file.`,
    );
  });

  it("stops on broken bindings, naming the file inside the directory", async () => {
    write("secrets.md", makeDoc());
    write("bindings.yaml", "subscriptionId: nope\n");

    expect(await loadError(dir)).toMatchObject({
      code: "BINDINGS_SCHEMA",
      file: join(dir, "bindings.yaml"),
      line: 1,
      column: 17,
    });
  });
});
