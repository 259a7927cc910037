import type { TokenCredential } from "@azure/identity";

import { AuditError } from "../audit/audit-error.js";
import type { AuditRun, RunHistory } from "../audit/audit-run.js";
import { readHistorySettings } from "../audit/emit/history-settings.js";
import { loadPolicy } from "../audit/load-policy.js";
import { renderAuditReport } from "../audit/report/render-audit-report.js";
import { buildValidationReport, renderValidation } from "../audit/report/validation-report.js";
import { loadPolicyWithOverrides, runAudit } from "../audit/run-audit.js";
import { writeSnapshotFile } from "../audit/snapshot-file.js";
import { createCliLogger } from "./cli-logger.js";
import { checkOutputPath, noteIgnoredBindings, writeReport } from "./output-file.js";
import type { Command } from "./parse-command-line.js";
import { parseCommandLine, USAGE } from "./parse-command-line.js";

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_INCOMPLETE = 2;

/** Runs one CLI invocation and returns its exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    return await dispatch(parseCommandLine(argv));
  } catch (error) {
    return reportError(error);
  }
}

async function dispatch(command: Command): Promise<number> {
  switch (command.name) {
    case "help":
      process.stdout.write(USAGE + "\n");
      return EXIT_CLEAN;
    case "validate":
      return validate(command.policy, command.format);
    case "collect":
      return collect(command.policy, command.out, command.armEndpoint, command.verbose);
    case "audit":
      return audit(command);
  }
}

async function audit(command: Extract<Command, { name: "audit" }>): Promise<number> {
  const logger = createCliLogger(command.verbose);
  const inputs = [
    command.policy,
    ...(command.source.kind === "snapshot" ? [command.source.file] : []),
  ];

  checkOutputPath(command.out, inputs);
  noteIgnoredBindings(command.policy);

  const run = await runAudit({
    policyPath: command.policy,
    source:
      command.source.kind === "live"
        ? { kind: "live", credential: await createCredential() }
        : command.source,
    logger,
    emitters: [],
    ...(await openHistory()),
    ...(command.now ? { now: command.now } : {}),
    ...(command.armEndpoint ? { armEndpoint: command.armEndpoint } : {}),
  });
  const report = renderAuditReport(run, command.format);

  await writeReport(report, command.out);

  return exitCodeFor(run);
}

async function collect(
  policyPath: string,
  out: string,
  armEndpoint: string | undefined,
  verbose: boolean,
): Promise<number> {
  checkOutputPath(out, [policyPath]);

  const logger = createCliLogger(verbose);
  const policy = await loadPolicyWithOverrides(policyPath, armEndpoint);
  const { collectSnapshot } = await import("../audit/collect/collect-snapshot.js");
  const snapshot = await collectSnapshot(policy, {
    credential: await createCredential(),
    logger,
  });

  await writeSnapshotFile(out, snapshot);
  process.stderr.write(
    `Wrote snapshot of ${snapshot.sites.length} site(s) and ${snapshot.vaults.length} vault(s) ` +
      `to ${out}` +
      (snapshot.gaps.length ? `; ${snapshot.gaps.length} part(s) could not be read.\n` : ".\n"),
  );

  return snapshot.gaps.length ? EXIT_INCOMPLETE : EXIT_CLEAN;
}

async function validate(policyPath: string, format: "table" | "json"): Promise<number> {
  noteIgnoredBindings(policyPath);

  const report = buildValidationReport(await loadPolicy(policyPath), new Date());

  process.stdout.write(renderValidation(report, format));

  // Info findings are notes; anything else means the doc needs attention.
  return report.findings.some((f) => f.severity !== "info") ? EXIT_FINDINGS : EXIT_CLEAN;
}

/**
 * The same run history the Functions keep, when the environment names one
 * (DRIFT_AUDIT_HISTORY_*), so a laptop or CI run joins the lifecycle.
 */
async function openHistory(): Promise<{ history?: RunHistory }> {
  const settings = readHistorySettings(process.env);

  if (!settings) {
    return {};
  }

  const { openBlobRunHistory } = await import("../audit/emit/blob-run-history.js");
  const credential = settings.kind === "accountUrl" ? await createCredential() : undefined;

  return { history: openBlobRunHistory(settings, credential) };
}

/** DefaultAzureCredential, loaded only when Azure is actually called. */
async function createCredential(): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import("@azure/identity");

  return new DefaultAzureCredential();
}

export function exitCodeFor(run: AuditRun): number {
  return { clean: EXIT_CLEAN, findings: EXIT_FINDINGS, incomplete: EXIT_INCOMPLETE }[run.status];
}

/** One line naming what went wrong; usage mistakes also get the usage. */
function reportError(error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);

  process.stderr.write(`drift-audit: ${message}\n`);

  if (error instanceof AuditError && error.code === "USAGE") {
    process.stderr.write(USAGE + "\n");
  }

  return EXIT_INCOMPLETE;
}
