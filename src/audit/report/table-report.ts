import type { AuditRun } from "../audit-run.js";
import type { Finding } from "../findings/finding.js";

const SUMMARY: Record<AuditRun["status"], string> = {
  clean: "Clean: the estate matches the document.",
  findings: "Drift found: the estate and the document disagree.",
  incomplete: "Incomplete: part of the estate could not be read, so this run is not clean.",
};

/** A readable table for a terminal: one block per finding, most severe first. */
export function renderTableReport(run: AuditRun): string {
  const header = [
    `drift-audit run ${run.id}`,
    `policy ${run.policy.docFile}, source ${run.source}, now ${run.now}`,
    "",
  ];
  const body = run.findings.length ? [renderRows(run.findings), ""] : [];
  const footer = [summaryLine(run), SUMMARY[run.status]];

  return [...header, ...body, ...footer].join("\n") + "\n";
}

function renderRows(findings: Finding[]): string {
  const rows = findings.map((f) => [
    f.waiver ? `${f.severity} (waived)` : f.severity,
    f.ruleId,
    f.subject,
    f.docRef ? `${f.docRef.file}:${f.docRef.line}` : "-",
    f.message,
  ]);
  const headings = ["SEVERITY", "RULE", "SUBJECT", "DOC", "MESSAGE"];

  return alignColumns([headings, ...rows]).join("\n");
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
