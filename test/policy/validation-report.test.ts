import { describe, expect, it } from "vitest";

import { judgePolicyAge } from "../../src/audit/policy/judge-policy-age.js";
import { toValidationReport } from "../../src/audit/policy/validation-report.js";
import { renderValidation } from "../../src/audit/report/validation-report.js";
import { makeBindings, makeDoc, parseOk, readFixture } from "./builders.js";

const rows = [
  "| `api-mi` (OID ending `…85df`) | API | Key Vault (read secrets), Reader (`rg-other`) | |",
];
const bindings = makeBindings({
  resourceGroup: "rg-app",
  vaults: { main: { name: "kv-app" } },
  apps: { api: { name: "app-api" } },
  identities: { "api-mi": { app: "api" } },
  rotationClasses: { vendor: { secrets: ["API-KEY"], maxAgeDays: 90 } },
});

describe("the validation report", () => {
  const { policy } = parseOk(makeDoc({ identityRows: rows }), bindings);
  const report = toValidationReport(policy);

  it("lists each secret with its settings, apps, class, limit and doc line", () => {
    expect(report.secrets).toEqual([
      {
        name: "API-KEY",
        vault: "main",
        vaultName: "kv-app",
        settings: ["API_KEY"],
        apps: { API_KEY: ["api"] },
        rotationClasses: ["vendor"],
        maxAgeDays: 90,
        file: "secrets.md",
        line: 12,
      },
    ]);
  });

  it("lists each identity with its principal and roles, showing the doc's words for an unbound scope", () => {
    expect(report.identities).toEqual([
      {
        name: "api-mi",
        principal: "system-assigned identity of app api",
        objectIdSuffix: "85df",
        file: "secrets.md",
        line: 18,
        roles: [
          {
            role: "Key Vault Secrets User",
            roleDefinitionId: "4633458b-17de-408a-b874-0445c86b69e6",
            scope:
              "/subscriptions/6f1c2b7e-3a54-4c1e-9d2a-5b8e7f0a1c3d/resourceGroups/rg-app/providers/Microsoft.KeyVault/vaults/kv-app",
            scopeResolved: true,
            scopeLabel: "Key Vault",
            line: 18,
          },
          {
            role: "Reader",
            roleDefinitionId: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
            scope: "rg-other",
            scopeResolved: false,
            scopeLabel: "rg-other",
            line: 18,
          },
        ],
      },
    ]);
  });

  it("lists every policy finding with its place, and the clock's findings when given", () => {
    const withClock = toValidationReport(
      policy,
      judgePolicyAge(policy, new Date("2026-12-01T00:00:00Z")),
    );

    expect(
      report.findings.map((finding) => [
        finding.ruleId,
        finding.severity,
        finding.file,
        finding.line,
      ]),
    ).toEqual([["SCOPE_UNBOUND", "medium", "secrets.md", 18]]);
    expect(withClock.findings.map((finding) => finding.ruleId)).toEqual([
      "SCOPE_UNBOUND",
      "DOC_STALE",
    ]);
  });

  it("is plain JSON", () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});

describe("the validation table", () => {
  function tableOf(name: string): string {
    return renderValidation(toValidationReport(readFixture(name).policy), "table");
  }

  it("lists settings documented without a secret, as the JSON does", () => {
    expect(tableOf("shape-07-deploy-guide-two-tables.md")).toContain(
      [
        "Secrets (0):",
        "Settings (5):",
        "  OUTPUT_BLOB_URL: no app bound (line 71)",
        "  OUTPUT_CONTAINER_NAME: no app bound (line 72)",
        "  WORKER_IMAGE: no app bound (line 73)",
        "  JOBS_QUEUE_NAMESPACE: no app bound (line 74)",
        "  WORKER_UAMI_RESOURCE_ID: no app bound (line 75)",
        "Identities (2):",
      ].join("\n"),
    );
    expect(tableOf("shape-05-config-keys-blank-header.md")).toContain("Settings (29):\n");
  });

  it("names the apps that must carry each setting", () => {
    const settingsTable = [
      "",
      "| Environment variable | Notes |",
      "|---|---|",
      "| `LOG_LEVEL` | |",
    ];
    const { policy } = parseOk(
      makeDoc({ after: settingsTable }),
      makeBindings({ apps: { api: { name: "app-api" }, ui: { name: "app-ui" } } }),
    );

    expect(renderValidation(toValidationReport(policy), "table")).toContain(
      "Settings (1):\n  LOG_LEVEL: api, ui (line 16)\n",
    );
  });
});
