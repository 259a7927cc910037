import { describe, expect, it } from "vitest";

import type { AuditRun } from "../../src/audit/audit-run.js";
import { renderJsonReport } from "../../src/audit/report/json-report.js";
import { renderTableReport } from "../../src/audit/report/table-report.js";
import { evaluateRules } from "../../src/audit/rules/rule-registry.js";
import { makePolicy, makeSite, makeSnapshot, NOW } from "../builders.js";

function makeRun(overrides: Partial<AuditRun> = {}): AuditRun {
  const snapshot = makeSnapshot({ sites: [makeSite({ settings: [] })] });
  const findings = evaluateRules({ policy: makePolicy(), snapshot, now: NOW });

  return {
    id: "run-1",
    status: "findings",
    now: NOW.toISOString(),
    startedAt: NOW.toISOString(),
    finishedAt: NOW.toISOString(),
    policy: { docFile: "policy/secrets.md", bindingsFile: "policy/bindings.yaml" },
    subscriptionId: "6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d",
    source: "snapshot.json",
    counts: { total: findings.length, bySeverity: { high: findings.length }, waived: 0 },
    findings,
    ...overrides,
  };
}

describe("reports", () => {
  it("should render a finding as a block a terminal can show without wrapping columns", () => {
    expect(renderTableReport(makeRun())).toBe(
      [
        "drift-audit run run-1",
        "policy policy/secrets.md, source snapshot.json, now 2026-12-01T00:00:00.000Z",
        "",
        "HIGH  SETTING_MISSING  ALPACA_API_KEY",
        "    App ai-trader-api has no app setting ALPACA_API_KEY, which the doc maps to secret ALPACA-KEY-ID.",
        "    where: /subscriptions/6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d/resourceGroups/rg-ai-trader-prod/providers/Microsoft.Web/sites/ai-trader-api",
        "    doc: policy/secrets.md:19",
        '    fix: Add the setting as a Key Vault reference (az webapp config appsettings set -g rg-ai-trader-prod -n ai-trader-api --settings "ALPACA_API_KEY=@Microsoft.KeyVault(VaultName=kv-ai-trader-prod;SecretName=ALPACA-KEY-ID)")',
        "",
        "1 finding(s): 1 high",
        "Drift found: the estate and the document disagree.",
        "",
      ].join("\n"),
    );
  });

  it("should show what a finding follows from, and count the findings one fix may clear", () => {
    const [finding] = makeRun().findings;
    const effect = {
      ...finding!,
      id: "effect0000000001",
      causedBy: { id: "cause00000000001", ruleId: "IDENTITY_OBJECT_ID_MISMATCH", subject: "ui-mi" },
    };
    const report = renderTableReport(makeRun({ findings: [finding!, effect] }));

    expect(report).toContain("    follows from: IDENTITY_OBJECT_ID_MISMATCH ui-mi\n");
    expect(report).toContain("1 of them follow from 1 root cause(s); start there.\n");
  });

  it("should say a clean run is clean and an incomplete one is not", () => {
    const clean = makeRun({
      status: "clean",
      findings: [],
      counts: { total: 0, bySeverity: {}, waived: 0 },
    });
    const incomplete = makeRun({ status: "incomplete" });

    expect(renderTableReport(clean)).toContain(
      "0 finding(s)\nClean: the estate matches the document.\n",
    );
    expect(renderTableReport(incomplete)).toContain(
      "Incomplete: part of the estate could not be read, so this run is not clean.",
    );
  });

  it("should keep the JSON contract other tools read", () => {
    const report = JSON.parse(renderJsonReport(makeRun())) as Record<
      string,
      Record<string, unknown>
    >;

    expect(report["run"]).toMatchObject({
      id: "run-1",
      status: "findings",
      now: "2026-12-01T00:00:00.000Z",
    });
    expect(report["findings"]).toEqual([
      expect.objectContaining({
        id: expect.stringMatching(/^[0-9a-f]{16}$/),
        ruleId: "SETTING_MISSING",
        severity: "high",
        resourceId: expect.stringContaining("/sites/ai-trader-api"),
        subject: "ALPACA_API_KEY",
        message: expect.any(String),
        docRef: { file: "policy/secrets.md", line: 19 },
      }),
    ]);
  });
});
