import type { AuditRun } from "../audit-run.js";
import type { Finding } from "../findings/finding.js";
import type { Severity } from "../policy/policy-model.js";

/** customEvents name of one finding. Queries and alerts key on it: never rename. */
export const FINDING_EVENT_NAME = "DriftFinding";

/** customEvents name of the one summary event per run. */
export const RUN_EVENT_NAME = "DriftAuditRun";

/** customEvents name of a finding the run history closed: open before, gone now. */
export const RESOLVED_EVENT_NAME = "DriftFindingResolved";

/**
 * One App Insights custom event: a name and its customDimensions.
 * Dimensions are an allow-list of names, ids, kinds and counts; never a
 * message, an expected/observed text, evidence or any value from Azure.
 */
export interface DriftEvent {
  name: string;
  dimensions: Record<string, string>;
}

const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

/** Every event a run produces: one per finding, one per resolved finding, then the summary. */
export function buildRunEvents(run: AuditRun): DriftEvent[] {
  return [
    ...run.findings.map((finding) => buildFindingEvent(run, finding)),
    ...buildResolvedEvents(run),
    buildRunEvent(run),
  ];
}

/**
 * `lifecycle` is new, persisting or reopened when a run history is kept,
 * so an alert can fire once, on the night a rotation goes stale, instead
 * of every night it stays stale. Without a history it is left out.
 */
function lifecycleOf(run: AuditRun, finding: Finding): Record<string, string> {
  const state = run.lifecycle?.states[finding.id];

  return state ? { lifecycle: state } : {};
}

function buildResolvedEvents(run: AuditRun): DriftEvent[] {
  return (run.lifecycle?.resolved ?? []).map((entry) => ({
    name: RESOLVED_EVENT_NAME,
    dimensions: {
      runId: run.id,
      findingId: entry.id,
      ruleId: entry.ruleId,
      severity: entry.severity,
      resourceId: entry.resourceId,
      subject: entry.subject,
      firstSeen: entry.firstSeen,
      lastSeen: entry.lastSeen,
    },
  }));
}

/**
 * `docFile` and `docLine` are left out when the finding has no doc
 * reference, so a query can tell "no reference" from an empty one.
 */
export function buildFindingEvent(run: AuditRun, finding: Finding): DriftEvent {
  const dimensions: Record<string, string> = {
    runId: run.id,
    findingId: finding.id,
    ruleId: finding.ruleId,
    severity: finding.severity,
    resourceId: finding.resourceId,
    subject: finding.subject,
    waived: String(finding.waiver !== undefined),
    ...lifecycleOf(run, finding),
    ...(finding.causedBy ? { causedBy: finding.causedBy.id } : {}),
  };

  if (finding.docRef) {
    dimensions["docFile"] = finding.docRef.file;
    dimensions["docLine"] = String(finding.docRef.line);
  }

  return { name: FINDING_EVENT_NAME, dimensions };
}

/** Every severity gets a count, zero included, so dashboards need no coalesce. */
export function buildRunEvent(run: AuditRun): DriftEvent {
  const dimensions: Record<string, string> = {
    runId: run.id,
    status: run.status,
    source: run.source,
    now: run.now,
    totalCount: String(run.counts.total),
    waivedCount: String(run.counts.waived),
    ...(run.runKey ? { runKey: run.runKey } : {}),
    ...(run.lifecycle ? lifecycleCounts(run) : {}),
  };

  for (const severity of SEVERITIES) {
    dimensions[`${severity}Count`] = String(run.counts.bySeverity[severity] ?? 0);
  }

  return { name: RUN_EVENT_NAME, dimensions };
}

function lifecycleCounts(run: AuditRun): Record<string, string> {
  const states = Object.values(run.lifecycle?.states ?? {});

  return {
    newCount: String(states.filter((state) => state === "new").length),
    reopenedCount: String(states.filter((state) => state === "reopened").length),
    resolvedCount: String(run.lifecycle?.resolved.length ?? 0),
    unconfirmedCount: String(run.lifecycle?.unconfirmed.length ?? 0),
  };
}
