/**
 * People paste keys into docs and bindings: in a setting cell, an access
 * phrase, a scope, a notes column, a waiver. Whatever the auditor quotes
 * from them must come out redacted, in every format, in validate, in the
 * telemetry events and in what the run history stores.
 *
 * The two policies under test/fixtures/canary-policies plant keys whose
 * text contains "Canary"; nothing else the audit prints does.
 */
import { describe, expect, it } from "vitest";

import { buildRunEvents } from "../../src/audit/emit/drift-events.js";
import { advanceLedger, emptyLedger } from "../../src/audit/findings/lifecycle.js";
import { loadPolicy } from "../../src/audit/load-policy.js";
import { silentLogger } from "../../src/audit/logger.js";
import { renderAuditReport } from "../../src/audit/report/render-audit-report.js";
import {
  buildValidationReport,
  renderValidation,
} from "../../src/audit/report/validation-report.js";
import { runAudit } from "../../src/audit/run-audit.js";

const POLICIES = [
  "test/fixtures/canary-policies/pasted-in-cells",
  "test/fixtures/canary-policies/pasted-in-scopes",
];
const NOW = new Date("2026-12-01T00:00:00Z");
const FORMATS = ["table", "json", "sarif", "html"] as const;

function auditDemoWith(policyPath: string) {
  return runAudit({
    policyPath,
    source: { kind: "snapshot", file: "examples/demo-estate.json" },
    now: NOW,
    logger: silentLogger,
    emitters: [],
  });
}

describe.each(POLICIES)("a policy with keys pasted into it (%s)", (policyPath) => {
  it("should plant keys the audit would otherwise quote", async () => {
    const run = await auditDemoWith(policyPath);

    // The planted settings and scopes do turn into findings: the test has teeth.
    expect(run.findings.some((f) => f.message.includes("[redacted: looks like a secret]"))).toBe(
      true,
    );
  });

  it("should repeat none of them in any report, event or history entry", async () => {
    const run = await auditDemoWith(policyPath);
    const outputs = [
      ...FORMATS.map((format) => renderAuditReport(run, format)),
      JSON.stringify(buildRunEvents(run)),
      JSON.stringify(advanceLedger(emptyLedger(), run)),
    ];

    for (const output of outputs) {
      expect(output).not.toContain("Canary");
    }
  });

  it("should repeat none of them in validate, table or json", async () => {
    const report = buildValidationReport(await loadPolicy(policyPath), NOW);

    expect(renderValidation(report, "table")).not.toContain("Canary");
    expect(renderValidation(report, "json")).not.toContain("Canary");
  });
});
