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

const CANARY = ["Canary"];
/** A review's second round: SAS tokens, spaced keys, a private key, a webhook. */
const SHAPES = [
  "Zx9%2Fabc",
  "hunter2hunter2",
  "S3cretPass",
  "MIIEvQ",
  "abc123XYZshort",
  "XXXXXXXXXXXX",
];
const POLICIES: [string, string[]][] = [
  ["test/fixtures/canary-policies/pasted-in-cells", CANARY],
  ["test/fixtures/canary-policies/pasted-in-scopes", CANARY],
  ["test/fixtures/canary-policies/pasted-in-shapes", SHAPES],
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

function expectNone(output: string, planted: string[]): void {
  for (const marker of planted) {
    expect(output).not.toContain(marker);
  }
}

describe.each(POLICIES)("a policy with keys pasted into it (%s)", (policyPath, planted) => {
  it("should plant keys the audit would otherwise quote", async () => {
    const run = await auditDemoWith(policyPath);

    // The planted values do turn into findings, redacted or reported as pasted: the test has teeth.
    expect(
      run.findings.some(
        (f) =>
          f.message.includes("[redacted: looks like a secret]") ||
          f.ruleId === "MATRIX_PASTED_SECRET",
      ),
    ).toBe(true);
  });

  it("should repeat none of them in any report, event or history entry", async () => {
    const run = await auditDemoWith(policyPath);
    const outputs = [
      ...FORMATS.map((format) => renderAuditReport(run, format)),
      JSON.stringify(buildRunEvents(run)),
      JSON.stringify(advanceLedger(emptyLedger(), run)),
    ];

    for (const output of outputs) {
      expectNone(output, planted);
    }
  });

  it("should repeat none of them in validate, table or json", async () => {
    const report = buildValidationReport(await loadPolicy(policyPath), NOW);

    expectNone(renderValidation(report, "table"), planted);
    expectNone(renderValidation(report, "json"), planted);
    expect(() => JSON.parse(renderValidation(report, "json")) as unknown).not.toThrow();
  });
});

describe("names that only look long", () => {
  it("should keep a long setting name as written, so its waiver still matches", async () => {
    const run = await auditDemoWith("test/fixtures/canary-policies/pasted-in-shapes");
    const subjects = run.findings.map((finding) => `${finding.ruleId} ${finding.subject}`);

    expect(subjects).not.toContain(expect.stringMatching(/^WAIVER_UNMATCHED SETTING_MISSING/));
    expect(
      run.findings.find(
        (f) => f.subject === "AZURE_STORAGE_CONNECTION_STRING_FOR_WESTEUROPE_REGION2",
      )?.waiver?.owner,
    ).toBe("carol");
  });
});
