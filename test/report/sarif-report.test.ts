import { readFile } from "node:fs/promises";

import { describe, expect, it } from "vitest";

import type { AuditRun } from "../../src/audit/audit-run.js";
import type { Finding } from "../../src/audit/findings/finding.js";
import { settingMissing } from "../../src/audit/rules/setting-missing.js";
import {
  FINGERPRINT_KEY,
  renderSarifReport,
  toArtifactLocation,
} from "../../src/audit/report/sarif-report.js";
import { TOOL_VERSION } from "../../src/audit/report/tool-info.js";
import { API_APP_ID, VAULT_ID } from "../builders.js";
import { makeCleanRun, makeDriftRun, makeIncompleteRun } from "./make-audit-run.js";
import { checkSarifEssentials } from "./sarif-essentials.js";

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  locations: Record<string, unknown>[];
  suppressions?: Record<string, unknown>[];
  properties: Record<string, string>;
}

interface SarifRun {
  tool: { driver: { name: string; version: string; rules: Record<string, unknown>[] } };
  invocations: { executionSuccessful: boolean; toolExecutionNotifications: unknown[] }[];
  results: SarifResult[];
  properties: Record<string, unknown>;
}

function renderRun(run: AuditRun): SarifRun {
  const log = JSON.parse(renderSarifReport(run)) as { runs: SarifRun[] };

  return log.runs[0]!;
}

function resultFor(run: SarifRun, ruleId: string): SarifResult {
  return run.results.find((result) => result.ruleId === ruleId)!;
}

describe("the SARIF report", () => {
  it.each([
    ["clean", makeCleanRun()],
    ["drift", makeDriftRun()],
    ["incomplete", makeIncompleteRun()],
  ])("should hold the SARIF 2.1.0 essentials for a %s run", (_, run) => {
    const log = JSON.parse(renderSarifReport(run)) as unknown;

    expect(checkSarifEssentials(log)).toEqual([]);
    expect(log).toMatchObject({ runs: [{ tool: { driver: { name: "drift-auditor" } } }] });
  });

  it("should be caught by the essentials check when a result is malformed", () => {
    const log = JSON.parse(renderSarifReport(makeDriftRun())) as { runs: SarifRun[] };
    const [result] = log.runs[0]!.results as [SarifResult & Record<string, unknown>];

    result.ruleIndex = 7;
    result.level = "fatal";
    log.runs[0]!.tool.driver.rules[0]!["properties"] = { "security-severity": 8 };
    (result.locations[0]!["physicalLocation"] as { region: { startLine: number } }).region = {
      startLine: 0,
    };

    expect(checkSarifEssentials(log)).toEqual([
      'runs[0].tool.driver.rules[0].properties.security-severity is not a score from "0.0" to "10.0"',
      "runs[0].results[0].ruleIndex 7 does not point at SETTING_MISSING",
      "runs[0].results[0].level fatal is not a SARIF level",
      "runs[0].results[0].locations[0].physicalLocation.region.startLine is not an integer of at least 1",
    ]);
  });

  it("should place a finding at its doc line and resource, tracked by its stable id", () => {
    const run = makeDriftRun();
    const finding = run.findings.find((f) => f.ruleId === "SETTING_MISSING")!;

    expect(resultFor(renderRun(run), "SETTING_MISSING")).toEqual({
      ruleId: "SETTING_MISSING",
      ruleIndex: 1,
      level: "error",
      message: {
        text: "App ai-trader-api has no app setting ALPACA_API_KEY, which the doc maps to secret ALPACA-KEY-ID.",
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: "policy/secrets.md", uriBaseId: "%SRCROOT%" },
            region: { startLine: 19 },
          },
          logicalLocations: [
            { name: "ai-trader-api", fullyQualifiedName: API_APP_ID, kind: "resource" },
          ],
        },
      ],
      partialFingerprints: { "driftAuditorFindingId/v1": finding.id },
      properties: {
        severity: "high",
        subject: "ALPACA_API_KEY",
        expected: "app setting ALPACA_API_KEY referencing ALPACA-KEY-ID",
        observed: "no app setting of that name",
        resourceId: API_APP_ID,
        remediation: finding.remediation,
      },
    });
  });

  it("should point a finding the doc never mentions at the doc, still naming the resource", () => {
    const [location] = resultFor(renderRun(makeDriftRun()), "SECRET_NOT_DOCUMENTED").locations;

    expect(location).toEqual({
      physicalLocation: {
        artifactLocation: { uri: "policy/secrets.md", uriBaseId: "%SRCROOT%" },
        region: { startLine: 1 },
      },
      message: {
        text: "The document does not mention this; line 1 stands for the whole document.",
      },
      logicalLocations: [
        { name: "kv-ai-trader-prod", fullyQualifiedName: VAULT_ID, kind: "resource" },
      ],
    });
  });

  it("should keep a waived finding as an external suppression with owner, reason, expiry", () => {
    const run = renderRun(makeDriftRun());

    expect(resultFor(run, "SECRET_NOT_DOCUMENTED").suppressions).toEqual([
      {
        kind: "external",
        status: "accepted",
        justification: "Kept until the old broker is switched off",
        properties: { owner: "platform-team", expires: "2027-01-31" },
      },
    ]);
    expect(resultFor(run, "SETTING_MISSING")).not.toHaveProperty("suppressions");
  });

  it("should map critical and high to error, medium and low to warning, info to note", () => {
    const base = makeDriftRun();
    const [template] = base.findings as [Finding];
    const severities = ["critical", "high", "medium", "low", "info"] as const;
    const run = renderRun({
      ...base,
      findings: severities.map((severity) => ({ ...template, severity, id: severity })),
    });

    expect(run.results.map((result) => result.level)).toEqual([
      "error",
      "error",
      "warning",
      "warning",
      "note",
    ]);
  });

  it("should give each rule a code scanning score for its severity, tagged security", () => {
    const base = makeDriftRun();
    const [template] = base.findings as [Finding];
    const severities = ["critical", "high", "medium", "low", "info"] as const;
    const run = renderRun({
      ...base,
      findings: severities.map((severity) => ({
        ...template,
        ruleId: `RULE_${severity.toUpperCase()}`,
        severity,
        id: severity,
      })),
    });

    expect(run.tool.driver.rules.map((rule) => [rule["id"], rule["properties"]])).toEqual([
      ["RULE_CRITICAL", { "security-severity": "9.5", tags: ["security"] }],
      ["RULE_HIGH", { "security-severity": "8.0", tags: ["security"] }],
      ["RULE_INFO", { "security-severity": "0.0", tags: ["security"] }],
      ["RULE_LOW", { "security-severity": "3.0", tags: ["security"] }],
      ["RULE_MEDIUM", { "security-severity": "5.5", tags: ["security"] }],
    ]);
  });

  it("should score a rule by its worst result in this run, as the bindings set severities", () => {
    const base = makeDriftRun();
    const [template] = base.findings as [Finding];
    // SETTING_MISSING is high by default; these bindings lowered it.
    const lowered = { ...template, ruleId: "SETTING_MISSING", severity: "low" as const };
    const scoreOf = (findings: Finding[]) =>
      renderRun({ ...base, findings }).tool.driver.rules[0]!["properties"];

    expect(scoreOf([{ ...lowered, id: "a" }])).toEqual({
      "security-severity": "3.0",
      tags: ["security"],
    });
    expect(
      scoreOf([
        { ...lowered, id: "a" },
        { ...lowered, id: "b", severity: "medium" },
        { ...lowered, id: "c", severity: "info" },
      ]),
    ).toEqual({ "security-severity": "5.5", tags: ["security"] });
  });

  it("should describe each rule that produced a finding once, from the rule's own metadata", () => {
    const { summary, az } = settingMissing.remediation;
    const base = makeDriftRun();
    const [template] = base.findings as [Finding];
    const run = renderRun({
      ...base,
      findings: [...base.findings, { ...template, ruleId: "WAIVER_UNMATCHED", id: "w" }],
    });

    expect(run.tool.driver.rules.map((rule) => rule["id"])).toEqual([
      "SECRET_NOT_DOCUMENTED",
      "SETTING_MISSING",
      "WAIVER_UNMATCHED",
    ]);
    expect(run.tool.driver.rules[1]).toEqual({
      id: "SETTING_MISSING",
      shortDescription: { text: settingMissing.title },
      fullDescription: { text: settingMissing.rationale },
      helpUri: settingMissing.remediation.docs,
      help: { text: `${summary} (${az})`, markdown: `${summary}:\n\n\`\`\`sh\n${az}\n\`\`\`` },
      properties: { "security-severity": "8.0", tags: ["security"] },
    });
    // Policy-layer ids have no rule of their own: they read as doc problems.
    expect(run.tool.driver.rules[2]).toMatchObject({
      shortDescription: { text: "The policy document has a problem" },
    });
  });

  it("should mark an incomplete run unsuccessful and say what it could not read", () => {
    const incomplete = makeIncompleteRun();
    const [gap] = incomplete.findings;
    const [invocation] = renderRun(incomplete).invocations;

    expect(invocation).toMatchObject({
      executionSuccessful: false,
      toolExecutionNotifications: [
        {
          level: "error",
          message: {
            text:
              "Incomplete: part of the estate or the document could not be read, so this " +
              "run is not clean. 1 result(s) say what was not checked (NOT_EVALUATED).",
          },
          properties: { uncheckedFindingIds: [gap!.id] },
        },
      ],
    });
    expect(renderRun(incomplete).properties).toMatchObject({ status: "incomplete" });
  });

  it.each([
    ["clean", makeCleanRun()],
    ["findings", makeDriftRun()],
  ])("should mark a %s run successful with no notification", (status, run) => {
    const sarif = renderRun(run);

    expect(sarif.invocations).toEqual([
      expect.objectContaining({ executionSuccessful: true, toolExecutionNotifications: [] }),
    ]);
    expect(sarif.properties).toMatchObject({ runId: "run-1", status });
  });

  it("should keep relative doc paths relative to the root, absolute ones as file URIs", () => {
    expect(toArtifactLocation("policy/secrets.md")).toEqual({
      uri: "policy/secrets.md",
      uriBaseId: "%SRCROOT%",
    });
    expect(toArtifactLocation("./team docs/secrets#1.md")).toEqual({
      uri: "team%20docs/secrets%231.md",
      uriBaseId: "%SRCROOT%",
    });
    expect(toArtifactLocation("/home/site/wwwroot/policy/secrets.md")).toEqual({
      uri: "file:///home/site/wwwroot/policy/secrets.md",
    });
    expect(toArtifactLocation("C:\\repo\\policy\\secrets.md")).toEqual({
      uri: "file:///C:/repo/policy/secrets.md",
    });
  });

  it("should fingerprint by finding id and carry package.json's version", async () => {
    const pkg = JSON.parse(await readFile("package.json", "utf8")) as { version: string };
    const run = renderRun(makeDriftRun());

    expect(FINGERPRINT_KEY).toBe("driftAuditorFindingId/v1");
    // Bumping package.json? Bump TOOL_VERSION in src/audit/report/tool-info.ts too.
    expect(TOOL_VERSION).toBe(pkg.version);
    expect(run.tool.driver.version).toBe(pkg.version);
  });
});
