import { createHash } from "node:crypto";

import type { DocRef, Severity } from "../policy/policy-model.js";

/** A finding: one place where the estate and the document disagree. */
export interface Finding {
  /** Stable across runs: a hash of rule, resource and subject. */
  id: string;
  ruleId: string;
  severity: Severity;
  /** ARM id of the resource judged, or the doc file for policy findings. */
  resourceId: string;
  /** The secret, setting or principal the finding is about. */
  subject: string;
  message: string;
  /** Redacted: names, kinds and dates only, never a value. */
  expected: string;
  observed: string;
  docRef: DocRef | undefined;
  remediation: string;
  /** The chain this was judged on: vault, secret version, app, slot... */
  evidence: Record<string, string>;
  waiver?: { owner: string; reason: string; expires: string };
  /** The finding of the same run this one follows from (a recreated identity, say). */
  causedBy?: { id: string; ruleId: string; subject: string };
}

export type FindingInput = Omit<Finding, "id" | "evidence" | "remediation"> & {
  evidence?: Record<string, string>;
  remediation?: string;
};

/** Computes the stable id: the same drift gets the same id every night. */
export function computeFindingId(ruleId: string, resourceId: string, subject: string): string {
  const key = [ruleId, resourceId.toLowerCase(), subject.toLowerCase()].join("\n");

  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

/**
 * Findings that mean part of the estate or the doc could not be checked.
 * Any of them makes a run incomplete, and no waiver can hide one: a
 * waived blind spot would read as "clean".
 */
export const UNCHECKED_RULE_IDS: ReadonlySet<string> = new Set([
  "NOT_EVALUATED",
  // A listing Resource Graph contradicted: the role checks on it were not made.
  "SCAN_INCONSISTENT",
  "MATRIX_PARSE_WARNING",
  "MATRIX_ROLE_AMBIGUOUS",
  "SCOPE_UNBOUND",
  "IDENTITY_UNBOUND",
  "SECRET_VAULT_UNBOUND",
  "SECRET_VAULT_AMBIGUOUS",
]);

/** Info findings are notes: they are reported but do not make a run fail. */
export function isActionable(finding: Finding): boolean {
  return !finding.waiver && finding.severity !== "info";
}
