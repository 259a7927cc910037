import { randomUUID } from "node:crypto";

import type { TokenCredential } from "@azure/identity";

import { AuditError } from "./audit-error.js";
import type { AuditRun, RunEmitter, RunHistory, RunStatus } from "./audit-run.js";
import type { Finding } from "./findings/finding.js";
import { isActionable, UNCHECKED_RULE_IDS } from "./findings/finding.js";
import { loadPolicy } from "./load-policy.js";
import type { Logger } from "./logger.js";
import type { Policy } from "./policy/policy-model.js";
import { missedRunFindings } from "./findings/missed-runs.js";
import { evaluateRules, sortFindings } from "./rules/rule-registry.js";
import { readSnapshotFile } from "./snapshot-file.js";
import type { Snapshot } from "./snapshot/snapshot.js";

export type AuditSource =
  { kind: "live"; credential: TokenCredential } | { kind: "snapshot"; file: string };

export interface RunAuditOptions {
  policyPath: string;
  /** The policy at policyPath, when the caller has loaded it already (the timer, to claim its slot). */
  policy?: Policy;
  source: AuditSource;
  /** The clock the rules judge against; the real clock when absent. */
  now?: Date;
  logger: Logger;
  emitters: RunEmitter[];
  /** Overrides the bindings' ARM endpoint (emulators, test fakes). */
  armEndpoint?: string;
  /** Keeps the run and each finding's lifecycle; none configured, none kept. */
  history?: RunHistory;
  /** The schedule slot of a timer run, carried on the run and its summary event. */
  runKey?: string;
  /** Slots the schedule should have run in and did not (A27): AUDIT_RUN_MISSED each. */
  missedRuns?: { slots: string[]; schedule: string };
}

/**
 * The one audit path shared by the CLI and both Functions: load the policy
 * (failing before any Azure call if it is broken), collect or read a
 * snapshot, judge it, and hand the run to every emitter.
 */
export async function runAudit(options: RunAuditOptions): Promise<AuditRun> {
  const startedAt = new Date();
  const id = randomUUID();
  const policy =
    options.policy ?? (await loadPolicyWithOverrides(options.policyPath, options.armEndpoint));
  const snapshot = await obtainSnapshot(policy, options, id);
  const now = options.now ?? new Date();
  const findings = withMissedRuns(evaluateRules({ policy, snapshot, now }), policy, options);

  options.logger.info("audit judged", { runId: id, findings: findings.length });

  const judged = buildRun({ id, policy, options, now, startedAt, findings, snapshot });
  const { run, historyError } = await recordHistory(judged, options);

  await emitRun(run, options.emitters, options.logger);

  if (historyError) {
    throw historyError;
  }

  return run;
}

function withMissedRuns(findings: Finding[], policy: Policy, options: RunAuditOptions) {
  const missed = options.missedRuns;

  return missed?.slots.length
    ? sortFindings([
        ...findings,
        ...missedRunFindings(missed.slots, policy.subscriptionId, missed.schedule),
      ])
    : findings;
}

/**
 * The lifecycle comes first, so telemetry can say which findings are new.
 * If the history cannot be written, the run is still reported everywhere
 * else, and then fails: alerts on new findings depend on the history.
 */
async function recordHistory(
  run: AuditRun,
  options: RunAuditOptions,
): Promise<{ run: AuditRun; historyError?: AuditError }> {
  if (!options.history) {
    return { run };
  }

  // A saved snapshot is yesterday's estate, or another one: it must not
  // resolve or reopen what the nightly audits keep.
  if (options.source.kind !== "live") {
    options.logger.info("run history is kept for live audits only", { runId: run.id });

    return { run };
  }

  try {
    const lifecycle = await options.history.record(run);

    if (!lifecycle) {
      options.logger.warn(
        "run kept in the history without a lifecycle: its clock is behind the last run's " +
          "or ahead of the real one",
        { runId: run.id, now: run.now },
      );
    }

    return { run: lifecycle ? { ...run, lifecycle } : run };
  } catch (error) {
    const detail = describeStorageError(error);
    options.logger.error("run history failed", { runId: run.id, ...detail });

    return {
      run,
      historyError: new AuditError(
        "RUN_HISTORY_FAILED",
        `Run ${run.id} was reported, but could not be kept in the run history ` +
          `(${detail.statusCode ? `HTTP ${detail.statusCode}, ` : ""}${detail.errorCode}). ` +
          "Check the history settings and that the auditor's identity holds Storage Blob " +
          "Data Contributor on the container; the next run will compare with the last kept one.",
        { cause: error },
      ),
    };
  }
}

/** Status and code only: a storage error message can quote a request URL. */
function describeStorageError(error: unknown): { statusCode?: number; errorCode: string } {
  const { statusCode, code, name } = (error ?? {}) as {
    statusCode?: number;
    code?: string;
    name?: string;
  };

  return {
    ...(statusCode ? { statusCode } : {}),
    errorCode: code ?? name ?? "unknown error",
  };
}

/** Loads the policy and applies command-line overrides of its endpoints. */
export async function loadPolicyWithOverrides(
  policyPath: string,
  armEndpoint: string | undefined,
): Promise<Policy> {
  const policy = await loadPolicy(policyPath);

  return armEndpoint ? { ...policy, endpoints: { ...policy.endpoints, armEndpoint } } : policy;
}

async function obtainSnapshot(
  policy: Policy,
  options: RunAuditOptions,
  runId: string,
): Promise<Snapshot> {
  const started = Date.now();
  const snapshot =
    options.source.kind === "live"
      ? await collectLive(policy, options.source.credential, options.logger)
      : await readSnapshotFile(options.source.file);

  assertSameSubscription(policy, snapshot, options.source);
  options.logger.info("snapshot ready", {
    runId,
    source: options.source.kind,
    sites: snapshot.sites.length,
    vaults: snapshot.vaults.length,
    gaps: snapshot.gaps.length,
    durationMs: Date.now() - started,
  });

  return snapshot;
}

/** A snapshot of another subscription would turn every row into drift. */
function assertSameSubscription(policy: Policy, snapshot: Snapshot, source: AuditSource): void {
  if (snapshot.subscriptionId.toLowerCase() === policy.subscriptionId.toLowerCase()) {
    return;
  }

  if (!policy.subscriptionId) {
    throw new AuditError(
      "POLICY_NO_SUBSCRIPTION",
      `The policy names no subscription; write subscriptionId in bindings.yaml beside ` +
        `${policy.docFile}, and pass the directory as --policy.`,
    );
  }

  const from = source.kind === "snapshot" ? `Snapshot ${source.file}` : "The snapshot";
  const named = describeSubscriptionSource(policy);

  throw new AuditError(
    "SNAPSHOT_SUBSCRIPTION_MISMATCH",
    `${from} was collected from subscription ${snapshot.subscriptionId}, but ` +
      `${named.claim}; collect a snapshot with this policy, or ${named.fix}.`,
  );
}

/**
 * Where the policy's subscription is written: without bindings it comes
 * from the doc's own facts table, and the reader must look there.
 */
function describeSubscriptionSource(policy: Policy): { claim: string; fix: string } {
  const id = policy.subscriptionId;
  const source = policy.subscriptionSource;

  if (source?.kind === "doc") {
    const { file, line } = source.docRef;

    return {
      claim: `the doc ${file} names ${id} in its vault facts (line ${line})`,
      fix:
        `correct the subscription at ${file}:${line}, or write subscriptionId in a ` +
        "bindings.yaml beside the doc and pass the directory as --policy",
    };
  }

  if (source) {
    const { file, line } = source.docRef;

    return {
      claim: `the bindings ${file} name ${id} (line ${line})`,
      fix: `fix subscriptionId in ${file}`,
    };
  }

  return { claim: `the policy names ${id}`, fix: "fix subscriptionId in the bindings" };
}

/**
 * Loads the collectors (and with them the Azure SDKs) only for a live run,
 * so auditing a saved snapshot starts fast and touches no SDK.
 */
async function collectLive(
  policy: Policy,
  credential: TokenCredential,
  logger: Logger,
): Promise<Snapshot> {
  const { collectSnapshot } = await import("./collect/collect-snapshot.js");

  return collectSnapshot(policy, { credential, logger });
}

interface RunParts {
  id: string;
  policy: Policy;
  options: RunAuditOptions;
  now: Date;
  startedAt: Date;
  findings: Finding[];
  snapshot: Snapshot;
}

function buildRun(parts: RunParts): AuditRun {
  const { findings, options } = parts;

  return {
    id: parts.id,
    status: judgeStatus(findings, parts.snapshot),
    now: parts.now.toISOString(),
    startedAt: parts.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    policy: { docFile: parts.policy.docFile, bindingsFile: parts.policy.bindingsFile },
    subscriptionId: parts.policy.subscriptionId,
    ...(options.runKey ? { runKey: options.runKey } : {}),
    source: options.source.kind === "live" ? "live" : options.source.file,
    counts: countFindings(findings),
    findings,
  };
}

/**
 * Anything unseen makes the run incomplete: never clean by omission. Info
 * findings are notes and waived ones are accepted, so neither fails a run.
 */
export function judgeStatus(findings: Finding[], snapshot: Snapshot): RunStatus {
  if (snapshot.gaps.length > 0 || findings.some((f) => UNCHECKED_RULE_IDS.has(f.ruleId))) {
    return "incomplete";
  }

  return findings.some(isActionable) ? "findings" : "clean";
}

/** Severity counts cover findings still open; waived ones are counted apart. */
function countFindings(findings: Finding[]): AuditRun["counts"] {
  const bySeverity: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };

  for (const finding of findings.filter((f) => !f.waiver)) {
    bySeverity[finding.severity] = (bySeverity[finding.severity] ?? 0) + 1;
  }

  return {
    total: findings.length,
    bySeverity,
    waived: findings.filter((finding) => finding.waiver).length,
  };
}

/** An emitter that fails is logged and does not lose the run for the others. */
async function emitRun(run: AuditRun, emitters: RunEmitter[], logger: Logger): Promise<void> {
  const results = await Promise.allSettled(emitters.map((emitter) => emitter.emit(run)));

  results.forEach((result, index) => {
    if (result.status === "rejected") {
      logger.warn("emitter failed", {
        runId: run.id,
        emitter: emitters[index]?.name,
        error: result.reason instanceof Error ? result.reason.message : String(result.reason),
      });
    }
  });
}
