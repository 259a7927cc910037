import type { AuditRun } from "../audit-run.js";
import type { Finding } from "../findings/finding.js";
import type { Severity } from "../policy/policy-model.js";

/** customEvents name of one finding. Queries and alerts key on it: never rename. */
export const FINDING_EVENT_NAME = "DriftFinding";

/** customEvents name of the one summary event per run. */
export const RUN_EVENT_NAME = "DriftAuditRun";

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

/** Every event a run produces: one per finding, then the summary. */
export function buildRunEvents(run: AuditRun): DriftEvent[] {
  return [...run.findings.map((finding) => buildFindingEvent(run, finding)), buildRunEvent(run)];
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
  };

  for (const severity of SEVERITIES) {
    dimensions[`${severity}Count`] = String(run.counts.bySeverity[severity] ?? 0);
  }

  return { name: RUN_EVENT_NAME, dimensions };
}
