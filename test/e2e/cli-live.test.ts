import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { escapeHtml } from "../../src/audit/report/html-markup.js";
import { startFakeAzure } from "../fake-azure/fake-azure.js";
import type { FakeAzure } from "../fake-azure/fake-azure.js";
import { DRIFT_NOW, makeDriftedEstate, plantedCanaries } from "./drifted-estate.js";
import { EXPECTED_DRIFT, summarise } from "./expected-drift.js";
import { makePolicyDirForFake } from "./policy-for-fake-dir.js";

const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["bin/drift-audit.js", ...args], {
      env,
    });

    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };

    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("drift-audit audit --live against the fake estate", () => {
  const estate = makeDriftedEstate();
  let fake: FakeAzure;
  let policy: { dir: string; remove: () => Promise<void> };
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    fake = await startFakeAzure(estate, { latencyMs: 0 });
    policy = await makePolicyDirForFake(fake);
    env = {
      ...process.env,
      IDENTITY_ENDPOINT: fake.identityEndpoint,
      IDENTITY_HEADER: fake.identityHeader,
      AZURE_TOKEN_CREDENTIALS: "ManagedIdentityCredential",
    };
  });

  afterAll(async () => {
    await policy.remove();
    await fake.close();
  });

  it("should report exactly the planted drift, through the real SDKs", async () => {
    const result = await runCli(
      ["audit", "--policy", policy.dir, "--live", "--format", "json", "--now", DRIFT_NOW],
      env,
    );
    const report = JSON.parse(result.stdout) as {
      run: { status: string; now: string };
      findings: { ruleId: string; subject: string; severity: string; resourceId: string }[];
    };

    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    expect(report.run).toMatchObject({ status: "findings", now: "2026-12-01T00:00:00.000Z" });
    expect(summarise(report.findings, policy.dir)).toEqual(EXPECTED_DRIFT);
  });

  it("should never ask Key Vault for a value, write anything, or print a planted value", async () => {
    const table = await runCli(
      ["audit", "--policy", policy.dir, "--live", "--now", DRIFT_NOW, "--verbose"],
      env,
    );
    const output = table.stdout + table.stderr;

    expect(fake.secretValueRequests()).toEqual([]);
    expect(fake.writeRequests()).toEqual([]);
    for (const canary of plantedCanaries(estate)) {
      expect(output).not.toContain(canary);
    }
  });

  it.each(["json", "sarif", "html"])(
    "should print no planted value in the %s report, raw or escaped",
    async (format) => {
      const result = await runCli(
        ["audit", "--policy", policy.dir, "--live", "--format", format, "--now", DRIFT_NOW],
        env,
      );
      const output = result.stdout + result.stderr;

      expect(result.code).toBe(1);
      for (const canary of plantedCanaries(estate)) {
        // Escaping would hide a leak from a plain search: look for each form.
        for (const form of [canary, escapeHtml(canary), JSON.stringify(canary).slice(1, -1)]) {
          expect(output).not.toContain(form);
        }
      }
    },
  );

  it("should save a snapshot without values and audit it offline to the same findings", async () => {
    const file = `${policy.dir}/snapshot.json`;
    const collected = await runCli(["collect", "--policy", policy.dir, "--out", file], env);
    const offline = await runCli(
      ["audit", "--policy", policy.dir, "--snapshot", file, "--format", "json", "--now", DRIFT_NOW],
      {},
    );
    const { readFile } = await import("node:fs/promises");
    const saved = await readFile(file, "utf8");

    expect(collected.code).toBe(0);
    for (const canary of plantedCanaries(estate)) {
      expect(saved).not.toContain(canary);
    }
    const findings = (
      JSON.parse(offline.stdout) as {
        findings: { ruleId: string; subject: string; severity: string }[];
      }
    ).findings;
    expect(summarise(findings, policy.dir)).toEqual(EXPECTED_DRIFT);
  });
});
