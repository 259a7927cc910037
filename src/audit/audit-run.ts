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
  record(run: AuditRun): Promise<RunLifecycle>;
}
