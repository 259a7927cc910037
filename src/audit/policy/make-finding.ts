import { redactSecrets } from "../findings/redact-secrets.js";
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
  // Policy findings quote the doc and the bindings, where people paste keys.
  return {
    ruleId: init.ruleId,
    severity: init.severity,
    message: redactSecrets(init.message),
    remediation: redactSecrets(init.remediation),
    docRef: {
      file: init.file,
      line: init.line,
      ...(init.column === undefined ? {} : { column: init.column }),
    },
    ...(init.subject === undefined ? {} : { subject: redactSecrets(init.subject) }),
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
