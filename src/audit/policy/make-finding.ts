import type { PolicyFinding, Severity } from "./policy-model.js";

export interface FindingInit {
  ruleId: string;
  severity: Severity;
  file: string;
  line: number;
  column?: number | undefined;
  message: string;
  remediation: string;
  subject?: string | undefined;
}

/** Builds a policy finding, leaving out the position parts that are unknown. */
export function makeFinding(init: FindingInit): PolicyFinding {
  // Redacted where they leave: evaluateRules for audits, renderValidation for validate.
  return {
    ruleId: init.ruleId,
    severity: init.severity,
    message: init.message,
    remediation: init.remediation,
    docRef: {
      file: init.file,
      line: init.line,
      ...(init.column === undefined ? {} : { column: init.column }),
    },
    ...(init.subject === undefined ? {} : { subject: init.subject }),
  };
}

/** Findings in reading order: file, then line, then column. */
export function sortFindings(findings: PolicyFinding[]): PolicyFinding[] {
  return [...findings].sort(
    (a, b) =>
      a.docRef.file.localeCompare(b.docRef.file) ||
      a.docRef.line - b.docRef.line ||
      (a.docRef.column ?? 0) - (b.docRef.column ?? 0),
  );
}
