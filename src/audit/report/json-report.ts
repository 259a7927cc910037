import type { AuditRun } from "../audit-run.js";

/**
 * The CLI's JSON contract. Other tools parse it: add fields, never rename.
 * `run.status` is clean, findings or incomplete.
 */
export function renderJsonReport(run: AuditRun): string {
  const report = {
    run: {
      id: run.id,
      status: run.status,
      now: run.now,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      source: run.source,
      policy: run.policy,
      counts: run.counts,
    },
    findings: run.findings,
    // Only when a run history was kept: new, persisting, reopened, resolved.
    ...(run.lifecycle ? { lifecycle: run.lifecycle } : {}),
  };

  return JSON.stringify(report, null, 2) + "\n";
}
