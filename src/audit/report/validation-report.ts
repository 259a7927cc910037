import { redactSecrets } from "../findings/redact-secrets.js";
import type { Policy } from "../policy/policy-model.js";
import type { ValidationReport } from "../policy/validation-report.js";
import { judgePolicyAge } from "../policy/judge-policy-age.js";
import { toValidationReport } from "../policy/validation-report.js";

/** The validation view of a policy, with the clock-dependent findings included. */
export function buildValidationReport(policy: Policy, now: Date): ValidationReport {
  return toValidationReport(policy, judgePolicyAge(policy, now));
}

/**
 * Renders what `drift-audit validate` prints: the model the auditor will
 * use. It lists the doc's names as read, so a key pasted where a name
 * belongs is redacted here rather than printed back.
 */
export function renderValidation(report: ValidationReport, format: "table" | "json"): string {
  // JSON is redacted value by value, so a redaction never cuts through an escape.
  return format === "json"
    ? JSON.stringify(
        report,
        (_, value: unknown) => (typeof value === "string" ? redactSecrets(value) : value),
        2,
      ) + "\n"
    : renderTable(report).split("\n").map(redactSecrets).join("\n");
}

function renderTable(report: ValidationReport): string {
  const secrets = report.secrets.map(
    (s) =>
      `  ${s.name} -> ${s.settings.join(", ") || "(no setting)"}` +
      `${s.maxAgeDays ? `, rotate every ${s.maxAgeDays} days` : ""} (line ${s.line})`,
  );
  const settings = report.settings.map(
    (s) => `  ${s.name}: ${s.apps.join(", ") || "no app bound"} (line ${s.line})`,
  );
  const identities = report.identities.flatMap((identity) => [
    `  ${identity.name}: ${identity.principal ?? "unbound"} (line ${identity.line})`,
    ...identity.roles.map(
      (r) => `    ${r.role} at ${r.scope}${r.scopeResolved ? "" : " (unbound)"}`,
    ),
  ]);
  const findings = report.findings.map(
    (f) =>
      `  ${f.severity} ${f.ruleId} ${f.file}:${f.line}${f.column ? `:${f.column}` : ""}: ${f.message}`,
  );

  return [
    `Policy ${report.docFile}${report.bindingsFile ? ` with ${report.bindingsFile}` : ""}`,
    `Secrets (${report.secrets.length}):`,
    ...secrets,
    `Settings (${report.settings.length}):`,
    ...settings,
    `Identities (${report.identities.length}):`,
    ...identities,
    `Findings (${report.findings.length}):`,
    ...(findings.length ? findings : ["  none"]),
    "",
  ].join("\n");
}
