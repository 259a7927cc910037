import type { AuditRun } from "../audit-run.js";
import type { Finding } from "../findings/finding.js";
import { UNCHECKED_RULE_IDS } from "../findings/finding.js";
import type { DocRef, Severity } from "../policy/policy-model.js";
import { RULES } from "../rules/rule-registry.js";
import type { RuleMetadata } from "../rules/rule.js";
import { describeRule, isHttpsUrl } from "./describe-rule.js";
import { TOOL_NAME, TOOL_VERSION } from "./tool-info.js";

/** Where editors and validators find the SARIF 2.1.0 schema; never fetched here. */
export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

/** The key code scanning tracks a result by across runs: the finding's stable id. */
export const FINGERPRINT_KEY = "driftAuditorFindingId/v1";

/** Relative doc paths are resolved against the directory the audit ran in. */
const SOURCE_ROOT = "%SRCROOT%";

const LEVELS: Record<Severity, "error" | "warning" | "note"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "warning",
  info: "note",
};

/**
 * GitHub code scanning ranks security results by a CVSS-like score, given
 * as a string: over 9 is critical, 7-8.9 high, 4-6.9 medium, below 4 low.
 */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "0.0",
};

/**
 * The run as a SARIF 2.1.0 log, for GitHub code scanning and Azure DevOps.
 * Each finding is a result located at the doc line it came from and at the
 * Azure resource; waived findings stay, as suppressed results, and an
 * incomplete run says so in its invocation instead of passing for clean.
 */
export function renderSarifReport(run: AuditRun, catalog: readonly RuleMetadata[] = RULES): string {
  const ruleIds = [...new Set(run.findings.map((finding) => finding.ruleId))].sort();
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: toDriver(ruleIds, run.findings, catalog) },
        invocations: [toInvocation(run)],
        originalUriBaseIds: {
          [SOURCE_ROOT]: {
            description: {
              text:
                "The directory drift-audit ran in. Run it from the repository root " +
                "so document paths match the repository.",
            },
          },
        },
        columnKind: "utf16CodeUnits",
        results: run.findings.map((finding) =>
          toResult(finding, ruleIds.indexOf(finding.ruleId), run.policy.docFile),
        ),
        properties: toRunProperties(run),
      },
    ],
  };

  return JSON.stringify(log, null, 2) + "\n";
}

function toDriver(ruleIds: string[], findings: Finding[], catalog: readonly RuleMetadata[]) {
  return {
    name: TOOL_NAME,
    version: TOOL_VERSION,
    semanticVersion: TOOL_VERSION,
    rules: ruleIds.map((id) =>
      toReportingDescriptor(describeRule(id, catalog), highestSeverity(id, findings)),
    ),
  };
}

/**
 * The rule's score is that of its worst result in this run, not its default:
 * the bindings can raise or lower a rule's severity for their estate.
 */
function highestSeverity(ruleId: string, findings: Finding[]): Severity {
  const severities = findings.filter((f) => f.ruleId === ruleId).map((f) => f.severity);

  return severities.reduce<Severity>(
    (worst, severity) => (scoreOf(severity) > scoreOf(worst) ? severity : worst),
    "info",
  );
}

function scoreOf(severity: Severity): number {
  return Number(SECURITY_SEVERITY[severity]);
}

function toReportingDescriptor(rule: RuleMetadata, severity: Severity) {
  const { summary, az, docs } = rule.remediation;

  return {
    id: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    ...(isHttpsUrl(docs) ? { helpUri: docs } : {}),
    help: {
      text: `${summary} (${az})`,
      markdown: `${summary}:\n\n\`\`\`sh\n${az}\n\`\`\``,
    },
    properties: { "security-severity": SECURITY_SEVERITY[severity], tags: ["security"] },
  };
}

function toResult(finding: Finding, ruleIndex: number, docFile: string) {
  return {
    ruleId: finding.ruleId,
    ruleIndex,
    level: LEVELS[finding.severity],
    message: { text: finding.message },
    locations: [toLocation(finding, docFile)],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.id },
    ...(finding.waiver ? { suppressions: [toSuppression(finding.waiver)] } : {}),
    properties: {
      severity: finding.severity,
      subject: finding.subject,
      expected: finding.expected,
      observed: finding.observed,
      resourceId: finding.resourceId,
      remediation: finding.remediation,
      ...(finding.causedBy ? { causedBy: finding.causedBy } : {}),
    },
  };
}

/**
 * The doc line, and always the Azure resource as a logical location. A
 * finding about something the doc never mentions (an undocumented secret)
 * points at the top of the document: code scanning shows only results with
 * a file, and the document is where that drift gets fixed.
 */
function toLocation(finding: Finding, docFile: string) {
  const resource = {
    logicalLocations: [
      {
        name: finding.resourceId.split("/").pop() ?? finding.resourceId,
        fullyQualifiedName: finding.resourceId,
        kind: "resource",
      },
    ],
  };

  if (finding.docRef) {
    return { physicalLocation: toPhysicalLocation(finding.docRef), ...resource };
  }

  return {
    physicalLocation: toPhysicalLocation({ file: docFile, line: 1 }),
    message: { text: "The document does not mention this; line 1 stands for the whole document." },
    ...resource,
  };
}

function toPhysicalLocation(docRef: DocRef) {
  const column = docRef.column !== undefined && docRef.column >= 1 ? docRef.column : undefined;

  return {
    artifactLocation: toArtifactLocation(docRef.file),
    region: {
      startLine: Math.max(1, Math.trunc(docRef.line)),
      ...(column ? { startColumn: column } : {}),
    },
  };
}

/**
 * A relative doc path stays relative to the source root, as code scanning
 * expects; an absolute one (the Functions read the policy by absolute
 * path) becomes a file URI.
 */
export function toArtifactLocation(file: string): { uri: string; uriBaseId?: string } {
  const path = file.replaceAll("\\", "/");
  const encoded = encodeURI(path).replace(/[?#]/g, (c) => encodeURIComponent(c));

  if (path.startsWith("/")) {
    return { uri: `file://${encoded}` };
  }

  if (/^[A-Za-z]:\//.test(path)) {
    return { uri: `file:///${encoded}` };
  }

  return { uri: encoded.replace(/^\.\//, ""), uriBaseId: SOURCE_ROOT };
}

function toSuppression(waiver: NonNullable<Finding["waiver"]>) {
  return {
    kind: "external",
    status: "accepted",
    justification: waiver.reason,
    properties: { owner: waiver.owner, expires: waiver.expires },
  };
}

/**
 * An incomplete run did not see everything: the invocation is marked
 * unsuccessful so no pipeline reads the absence of results as clean.
 */
function toInvocation(run: AuditRun) {
  const incomplete = run.status === "incomplete";

  return {
    executionSuccessful: !incomplete,
    startTimeUtc: run.startedAt,
    endTimeUtc: run.finishedAt,
    toolExecutionNotifications: incomplete ? [incompleteNotification(run.findings)] : [],
    properties: { status: run.status },
  };
}

function incompleteNotification(findings: Finding[]) {
  const unchecked = findings.filter((finding) => UNCHECKED_RULE_IDS.has(finding.ruleId));
  const ruleIds = [...new Set(unchecked.map((finding) => finding.ruleId))];
  const detail = unchecked.length
    ? ` ${unchecked.length} result(s) say what was not checked (${ruleIds.join(", ")}).`
    : " The NOT_EVALUATED results say what was not checked.";

  return {
    level: "error",
    message: {
      text:
        "Incomplete: part of the estate or the document could not be read, " +
        `so this run is not clean.${detail}`,
    },
    properties: { uncheckedFindingIds: unchecked.map((finding) => finding.id) },
  };
}

function toRunProperties(run: AuditRun) {
  return {
    runId: run.id,
    status: run.status,
    now: run.now,
    source: run.source,
    policy: run.policy,
    counts: run.counts,
  };
}
