import type { Finding } from "./findings/finding.js";
import type { RunLifecycle } from "./findings/lifecycle.js";

/** clean: nothing to report; findings: drift found; incomplete: something was not seen. */
export type RunStatus = "clean" | "findings" | "incomplete";

/** One audit run, as the CLI prints it and the Functions return and emit it. */
export interface AuditRun {
  id: string;
  status: RunStatus;
  /** The clock the rules judged against (ISO-8601). */
  now: string;
  startedAt: string;
  finishedAt: string;
  policy: { docFile: string; bindingsFile: string | undefined };
  /** The subscription audited; the run history keeps one ledger per subscription. */
  subscriptionId: string;
  /** The schedule slot a timer run was for (`2026-12-01T02:00Z`), so a slot counts once. */
  runKey?: string;
  /** `live` or the snapshot file name. */
  source: string;
  counts: { total: number; bySeverity: Record<string, number>; waived: number };
  findings: Finding[];
  /**
   * What changed since the previous run, when a run history is configured
   * and could be written; absent otherwise, never guessed.
   */
  lifecycle?: RunLifecycle;
}

/** Something that receives every finished run: App Insights, run history, alerts. */
export interface RunEmitter {
  readonly name: string;
  emit(run: AuditRun): Promise<void>;
}

/**
 * Where runs are kept, and each finding's lifecycle with them. Recorded
 * before the emitters run, so telemetry can say which findings are new.
 */
export interface RunHistory {
  readonly name: string;
  /** Undefined when the run was kept but could not advance the ledger (it is out of order). */
  record(run: AuditRun): Promise<RunLifecycle | undefined>;
  /**
   * Takes a schedule slot for this invocation: false when another one has
   * it already (a timer that fired twice), so the second does not run.
   */
  claim(scope: string, runKey: string): Promise<boolean>;
  /** The latest slot `scope` claimed before `runKey`, to tell which scheduled runs never happened. */
  previousClaim(scope: string, runKey: string): Promise<string | undefined>;
}
