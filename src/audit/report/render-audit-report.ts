import type { AuditRun } from "../audit-run.js";
import { renderHtmlReport } from "./html-report.js";
import { renderJsonReport } from "./json-report.js";
import { renderSarifReport } from "./sarif-report.js";
import { renderTableReport } from "./table-report.js";

/** The formats `drift-audit audit --format` writes. */
export const AUDIT_FORMATS = ["table", "json", "sarif", "html"] as const;

export type AuditFormat = (typeof AUDIT_FORMATS)[number];

const RENDERERS: Record<AuditFormat, (run: AuditRun) => string> = {
  table: renderTableReport,
  json: renderJsonReport,
  sarif: (run) => renderSarifReport(run),
  html: (run) => renderHtmlReport(run),
};

/** Renders a run in any format; the exit code never depends on which. */
export function renderAuditReport(run: AuditRun, format: AuditFormat): string {
  return RENDERERS[format](run);
}
