import type { AuditRun } from "../audit-run.js";
import type { Finding } from "../findings/finding.js";

/** One plain sentence per run status; incomplete never reads as clean. */
export const RUN_STATUS_SUMMARY: Record<AuditRun["status"], string> = {
  clean: "Clean: the estate matches the document.",
  findings: "Drift found: the estate and the document disagree.",
  incomplete: "Incomplete: part of the estate could not be read, so this run is not clean.",
};

const INDENT = "    ";

/**
 * A readable report for a terminal: one block per finding, most severe
 * first. The heading line is aligned across findings; the message and the
 * fix follow on their own lines so nothing needs a wide terminal.
 */
export function renderTableReport(run: AuditRun): string {
  const header = [
    `drift-audit run ${run.id}`,
    `policy ${run.policy.docFile}, source ${run.source}, now ${run.now}`,
    "",
  ];
  const footer = [summaryLine(run), ...causesLine(run.findings), RUN_STATUS_SUMMARY[run.status]];

  return [...header, ...renderBlocks(run.findings), ...footer].join("\n") + "\n";
}

function renderBlocks(findings: Finding[]): string[] {
  const headings = alignColumns(findings.map(headingCells));

  return findings.flatMap((finding, index) => [
    headings[index] ?? "",
    `${INDENT}${finding.message}`,
    `${INDENT}where: ${finding.resourceId}`,
    ...(finding.docRef ? [`${INDENT}doc: ${finding.docRef.file}:${finding.docRef.line}`] : []),
    ...(finding.causedBy
      ? [`${INDENT}follows from: ${finding.causedBy.ruleId} ${finding.causedBy.subject}`]
      : []),
    ...(finding.waiver
      ? [
          `${INDENT}waived by ${finding.waiver.owner} until ${finding.waiver.expires}: ` +
            // A reason written over several YAML lines stays inside its block.
            finding.waiver.reason.replace(/\s*\n\s*/g, " "),
        ]
      : []),
    `${INDENT}fix: ${finding.remediation}`,
    "",
  ]);
}

/** How many findings one fix may clear: those that follow from another, and how many causes. */
function causesLine(findings: Finding[]): string[] {
  const effects = findings.filter((finding) => finding.causedBy);
  const causes = new Set(effects.map((finding) => finding.causedBy?.id));

  return effects.length
    ? [`${effects.length} of them follow from ${causes.size} root cause(s); start there.`]
    : [];
}

function headingCells(finding: Finding): string[] {
  const severity = finding.severity.toUpperCase() + (finding.waiver ? " (waived)" : "");

  return [severity, finding.ruleId, finding.subject];
}

/** Pads every column but the last to its widest cell. */
function alignColumns(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? "").length)),
  );

  return rows.map((row) =>
    row
      .map((cell, column) =>
        column === row.length - 1 ? cell : cell.padEnd(widths?.[column] ?? 0),
      )
      .join("  ")
      .trimEnd(),
  );
}

function summaryLine(run: AuditRun): string {
  const parts = Object.entries(run.counts.bySeverity)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`);
  const waived = run.counts.waived ? `, ${run.counts.waived} waived` : "";

  return `${run.counts.total} finding(s)${parts.length ? ": " + parts.join(", ") : ""}${waived}`;
}
