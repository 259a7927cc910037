import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { describe, expect, it } from "vitest";

const run = promisify(execFile);

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["bin/drift-audit.js", ...args]);

    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };

    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const DEMO = ["--policy", "policy", "--snapshot", "examples/demo-estate.json"];

describe("the CLI contract", () => {
  it.each([
    [["audit", "--policy", "policy", "--bogus"], "drift-audit: Unknown option '--bogus'"],
    [
      ["audit", "--snapshot", "examples/demo-estate.json"],
      "drift-audit: --policy PATH is required (a policy directory or a markdown file)",
    ],
    [
      ["audit", "--policy", "policy"],
      "drift-audit: audit needs a source: --live or --snapshot FILE",
    ],
    [
      ["audit", ...DEMO, "--format", "xml"],
      "drift-audit: --format must be table or json, not 'xml'",
    ],
    [
      ["audit", ...DEMO, "--now", "yesterday"],
      "drift-audit: --now must be an ISO-8601 time such as 2026-12-01T00:00:00Z, not 'yesterday'",
    ],
    [
      ["frobnicate"],
      "drift-audit: unknown command 'frobnicate'; expected audit, collect or validate",
    ],
  ])("should answer %j with one line and the usage, exit 2", async (args, line) => {
    const result = await cli(...args);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")[0]).toBe(line);
    expect(result.stderr).toContain("Usage:\n  drift-audit audit --policy PATH");
  });

  it("should name a missing snapshot file and say how to make one", async () => {
    const result = await cli("audit", "--policy", "policy", "--snapshot", "nope.json");

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^drift-audit: Cannot read snapshot nope\.json: .*drift-audit collect/,
    );
  });

  it("should exit 1 with findings and print JSON other tools can read", async () => {
    const result = await cli("audit", ...DEMO, "--now", "2026-12-01T00:00:00Z", "--format", "json");
    const report = JSON.parse(result.stdout) as { run: { status: string }; findings: unknown[] };

    expect(result.code).toBe(1);
    expect(report.run.status).toBe("findings");
    expect(report.findings.length).toBeGreaterThan(0);
  });

  it("should print the policy model on validate, exit 1 when the policy has findings", async () => {
    const result = await cli("validate", "--policy", "policy", "--format", "json");
    const report = JSON.parse(result.stdout) as {
      secrets: { name: string; settings: string[]; maxAgeDays: number | null; line: number }[];
      identities: { name: string; roles: { role: string; scope: string }[]; line: number }[];
      findings: { ruleId: string }[];
    };

    expect(report.secrets[0]).toMatchObject({
      name: "ALPACA-KEY-ID",
      settings: ["ALPACA_API_KEY"],
      maxAgeDays: 90,
    });
    expect(report.identities.map((identity) => identity.name)).toEqual([
      "ai-trader-api-mi",
      "ai-trader-ui-mi",
      "gh-ai-trader-ci",
    ]);
    expect(result.code).toBe(report.findings.length ? 1 : 0);
  });
});
