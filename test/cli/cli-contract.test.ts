import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { describe, expect, it } from "vitest";

import { checkSarifEssentials } from "../report/sarif-essentials.js";

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

/** The demo estate as loose JSON, for hand edits. */
type DemoSnapshot = Record<string, unknown> & {
  sites: Record<string, unknown>[];
  vaults: Record<string, unknown>[];
};

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
      "drift-audit: --format must be table, json, sarif or html, not 'xml'",
    ],
    [
      ["validate", "--policy", "policy", "--format", "sarif"],
      "drift-audit: --format must be table or json, not 'sarif'",
    ],
    [
      ["audit", ...DEMO, "--now", "yesterday"],
      "drift-audit: --now must be an ISO-8601 date or time with a zone, such as 2026-12-01 or 2026-12-01T00:00:00Z, not 'yesterday'",
    ],
    [
      ["frobnicate"],
      "drift-audit: unknown command 'frobnicate'; expected audit, collect or validate",
    ],
    [[], "drift-audit: a command is required: audit, collect or validate"],
    [
      ["audit", ...DEMO, "--now", "2026-02-30"],
      "drift-audit: --now must be an ISO-8601 date or time with a zone, such as 2026-12-01 or 2026-12-01T00:00:00Z, not '2026-02-30'",
    ],
    [
      ["audit", ...DEMO, "--now", "2026-12-01T00:00:00"],
      "drift-audit: --now must be an ISO-8601 date or time with a zone, such as 2026-12-01 or 2026-12-01T00:00:00Z, not '2026-12-01T00:00:00'",
    ],
    [
      ["validate", "--policy", "policy", "--live"],
      "drift-audit: --live does not apply to validate",
    ],
    [["audit", "--policy", "--snapshot", "x.json"], "drift-audit: --policy needs a value"],
    [
      ["audit", ...DEMO, "--out", "examples/demo-estate.json"],
      "drift-audit: --out examples/demo-estate.json would overwrite",
    ],
    [
      ["audit", ...DEMO, "--out", "policy/secrets.md"],
      `drift-audit: --out policy/secrets.md would overwrite ${process.cwd()}/policy/secrets.md in`,
    ],
  ])("should answer %j with one line and the usage, exit 2", async (args, line) => {
    const result = await cli(...args);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")[0]).toContain(line);
    expect(result.stderr).toContain("Usage:\n  drift-audit audit --policy PATH");
  });

  it("should print the report anyway when --out cannot be written", async () => {
    const result = await cli(
      "audit",
      ...DEMO,
      "--format",
      "json",
      "--out",
      "/proc/nope/report.json",
    );

    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toHaveProperty("run");
    expect(result.stderr).toMatch(
      /^drift-audit: --out \/proc\/nope\/report\.json could not be written \(ENOENT\); the report was printed to stdout instead/,
    );
  });

  it("should refuse a snapshot of another subscription", async () => {
    const { mkdtemp, readFile, writeFile } = await import("node:fs/promises");
    const dir = await mkdtemp("/tmp/drift-cli-");
    const snapshot = JSON.parse(await readFile("examples/demo-estate.json", "utf8")) as Record<
      string,
      unknown
    >;
    await writeFile(
      `${dir}/other.json`,
      JSON.stringify({ ...snapshot, subscriptionId: "00000000-0000-0000-0000-000000000000" }),
    );

    const result = await cli("audit", "--policy", "policy", "--snapshot", `${dir}/other.json`);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "was collected from subscription 00000000-0000-0000-0000-000000000000, but the bindings policy/bindings.yaml name 6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d",
    );
  });

  it("should name the field of a broken snapshot", async () => {
    const { mkdtemp, readFile, writeFile } = await import("node:fs/promises");
    const dir = await mkdtemp("/tmp/drift-cli-");
    const snapshot = JSON.parse(await readFile("examples/demo-estate.json", "utf8")) as {
      vaults: { secrets: { createdOn: string }[] }[];
    };
    snapshot.vaults[0]!.secrets[0]!.createdOn = "last spring";
    await writeFile(`${dir}/broken.json`, JSON.stringify(snapshot));

    const result = await cli("audit", "--policy", "policy", "--snapshot", `${dir}/broken.json`);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `drift-audit: Snapshot ${dir}/broken.json is not a usable drift-audit snapshot: vaults[0].secrets[0].createdOn is not a date. Collect a new one with \`drift-audit collect --policy <dir> --out <file>\`.\n`,
    );
  });

  it.each([
    ["scopesQueried is not a list", (s: DemoSnapshot) => (s.scopesQueried = "all")],
    [
      "vaults[0].accessPolicies[0].secrets is not a list",
      (s: DemoSnapshot) => {
        s.vaults[0]!["enableRbacAuthorization"] = false;
        s.vaults[0]!["accessPolicies"] = [{ tenantId: "t", objectId: "o" }];
      },
    ],
    [
      "sites[0].identity is not an object",
      (s: DemoSnapshot) => (s.sites[0]!["identity"] = "SystemAssigned"),
    ],
  ])("should refuse a snapshot where %s, not crash on it", async (problem, edit) => {
    const { mkdtemp, readFile, writeFile } = await import("node:fs/promises");
    const dir = await mkdtemp("/tmp/drift-cli-");
    const snapshot = JSON.parse(
      await readFile("examples/demo-estate.json", "utf8"),
    ) as DemoSnapshot;
    edit(snapshot);
    await writeFile(`${dir}/edited.json`, JSON.stringify(snapshot));

    const result = await cli("audit", "--policy", "policy", "--snapshot", `${dir}/edited.json`);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `drift-audit: Snapshot ${dir}/edited.json is not a usable drift-audit snapshot: ${problem}. Collect a new one with \`drift-audit collect --policy <dir> --out <file>\`.\n`,
    );
  });

  it("should refuse a value shape the collector never writes, without printing it", async () => {
    const { mkdtemp, readFile, writeFile } = await import("node:fs/promises");
    const dir = await mkdtemp("/tmp/drift-cli-");
    const snapshot = JSON.parse(await readFile("examples/demo-estate.json", "utf8")) as {
      sites: { settings: { valueShape?: string }[] }[];
    };
    snapshot.sites[0]!.settings[0]!.valueShape = "CANARYSHAPE";
    await writeFile(`${dir}/shaped.json`, JSON.stringify(snapshot));

    const result = await cli("audit", "--policy", "policy", "--snapshot", `${dir}/shaped.json`);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "sites[0].settings[0].valueShape is not a shape the collector writes",
    );
    expect(result.stdout + result.stderr).not.toContain("CANARYSHAPE");
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

  it.each(["table", "json", "sarif", "html"])(
    "should exit 1 on the demo's drift whatever the format (%s)",
    async (format) => {
      const result = await cli(
        "audit",
        ...DEMO,
        "--now",
        "2026-12-01T00:00:00Z",
        "--format",
        format,
      );

      expect(result.code).toBe(1);
      expect(result.stderr).toBe("");
      expect(result.stdout.length).toBeGreaterThan(0);
    },
  );

  it("should print SARIF with one result per finding, ready for code scanning", async () => {
    const args = ["audit", ...DEMO, "--now", "2026-12-01T00:00:00Z"];
    const sarif = await cli(...args, "--format", "sarif");
    const json = await cli(...args, "--format", "json");
    const log = JSON.parse(sarif.stdout) as {
      runs: { results: { partialFingerprints: Record<string, string> }[] }[];
    };
    const report = JSON.parse(json.stdout) as { findings: { id: string }[] };

    expect(checkSarifEssentials(log)).toEqual([]);
    expect(
      log.runs[0]!.results.map((result) => result.partialFingerprints["driftAuditorFindingId/v1"]),
    ).toEqual(report.findings.map((finding) => finding.id));
  });

  it("should write the HTML report to --out and say where", async () => {
    const { mkdtemp, readFile } = await import("node:fs/promises");
    const dir = await mkdtemp("/tmp/drift-cli-");
    const out = `${dir}/report.html`;

    const result = await cli(
      "audit",
      ...DEMO,
      "--now",
      "2026-12-01T00:00:00Z",
      "--format",
      "html",
      "--out",
      out,
    );
    const page = await readFile(out, "utf8");

    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`Wrote report to ${out}.\n`);
    expect(page.startsWith("<!doctype html>")).toBe(true);
    expect(page).toContain("<strong>DRIFT FOUND</strong>");
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
