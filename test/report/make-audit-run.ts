import type { AuditRun } from "../../src/audit/audit-run.js";
import type { Finding } from "../../src/audit/findings/finding.js";
import type { Policy } from "../../src/audit/policy/policy-model.js";
import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import { judgeStatus } from "../../src/audit/run-audit.js";
import type { Snapshot } from "../../src/audit/snapshot/snapshot.js";
import {
  makePolicy,
  makeSecretProperties,
  makeSite,
  makeSnapshot,
  NOW,
  VAULT_ID,
} from "../builders.js";

/** A run as runAudit builds it, from real rules over a built policy and snapshot. */
export function makeAuditRun(policy: Policy, snapshot: Snapshot): AuditRun {
  const findings = evaluateRules({ policy, snapshot, now: NOW });

  return {
    id: "run-1",
    status: judgeStatus(findings, snapshot),
    now: NOW.toISOString(),
    startedAt: "2026-12-01T00:00:01.000Z",
    finishedAt: "2026-12-01T00:00:02.000Z",
    policy: { docFile: policy.docFile, bindingsFile: policy.bindingsFile },
    subscriptionId: policy.subscriptionId,
    source: "snapshot.json",
    counts: countFindings(findings),
    findings,
  };
}

function countFindings(findings: Finding[]): AuditRun["counts"] {
  const open = findings.filter((finding) => !finding.waiver);
  const bySeverity: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };

  for (const finding of open) {
    bySeverity[finding.severity] = (bySeverity[finding.severity] ?? 0) + 1;
  }

  return { total: findings.length, bySeverity, waived: findings.length - open.length };
}

/** Nothing drifted: the documented setting references the documented secret. */
export function makeCleanRun(): AuditRun {
  return makeAuditRun(makePolicy(), makeSnapshot());
}

/**
 * A setting is missing (found at a doc line), an undocumented secret sits
 * in the vault (no doc line) and is waived until the end of January.
 */
export function makeDriftRun(): AuditRun {
  const policy = makePolicy({
    waivers: [
      {
        ruleId: "SECRET_NOT_DOCUMENTED",
        subject: "OLD-BROKER-KEY",
        owner: "platform-team",
        reason: "Kept until the old broker is switched off",
        expires: "2027-01-31",
        docRef: { file: "policy/bindings.yaml", line: 40 },
      },
    ],
  });
  const snapshot = makeSnapshot({ sites: [makeSite({ settings: [] })] });

  snapshot.vaults[0]!.secrets.push(makeSecretProperties({ name: "OLD-BROKER-KEY" }));

  return makeAuditRun(policy, snapshot);
}

/** Key Vault refused to list secrets: the run cannot be clean. */
export function makeIncompleteRun(): AuditRun {
  const snapshot = makeSnapshot({
    gaps: [
      {
        resourceId: VAULT_ID,
        what: "secrets",
        reason: "Forbidden",
        statusCode: 403,
        errorCode: "Forbidden",
      },
    ],
  });

  return makeAuditRun(makePolicy(), snapshot);
}
