/**
 * The parts of the SARIF 2.1.0 schema (OASIS) and of GitHub code scanning's
 * subset that a consumer relies on, checked by hand: the tests never fetch
 * the schema. Returns one line per problem, so a failure names them all.
 */
export function checkSarifEssentials(log: unknown): string[] {
  const problems: string[] = [];
  const root = asRecord(log);

  expectEqual(problems, "version", root["version"], "2.1.0");
  expectEqual(
    problems,
    "$schema",
    root["$schema"],
    "https://json.schemastore.org/sarif-2.1.0.json",
  );

  const runs = asArray(root["runs"]);

  if (runs.length !== 1) {
    problems.push(`runs has ${runs.length} entries, expected 1`);
  }

  runs.forEach((run, index) => problems.push(...checkRun(asRecord(run), `runs[${index}]`)));

  return problems;
}

function checkRun(run: Record<string, unknown>, at: string): string[] {
  const problems: string[] = [];
  const driver = asRecord(asRecord(run["tool"])["driver"]);
  const ruleIds = asArray(driver["rules"]).map((rule) => asRecord(rule)["id"]);

  if (typeof driver["name"] !== "string" || driver["name"] === "") {
    problems.push(`${at}.tool.driver.name is missing`);
  }

  if (new Set(ruleIds).size !== ruleIds.length) {
    problems.push(`${at}.tool.driver.rules has duplicate ids`);
  }

  asArray(driver["rules"]).forEach((rule, index) =>
    problems.push(...checkRule(asRecord(rule), `${at}.tool.driver.rules[${index}]`)),
  );
  asArray(run["results"]).forEach((result, index) =>
    problems.push(...checkResult(asRecord(result), ruleIds, `${at}.results[${index}]`)),
  );
  asArray(run["invocations"]).forEach((invocation, index) => {
    if (typeof asRecord(invocation)["executionSuccessful"] !== "boolean") {
      problems.push(`${at}.invocations[${index}].executionSuccessful is not a boolean`);
    }
  });

  return problems;
}

function checkRule(rule: Record<string, unknown>, at: string): string[] {
  const problems: string[] = [];

  if (typeof rule["id"] !== "string" || rule["id"] === "") {
    problems.push(`${at}.id is missing`);
  }

  if (typeof asRecord(rule["shortDescription"])["text"] !== "string") {
    problems.push(`${at}.shortDescription.text is missing`);
  }

  if (rule["helpUri"] !== undefined && !isAbsoluteUri(rule["helpUri"])) {
    problems.push(`${at}.helpUri is not an absolute URI`);
  }

  // GitHub ignores a score that is not a string holding a number from 0 to 10.
  const score = asRecord(rule["properties"])["security-severity"];

  if (score !== undefined && !isScore(score)) {
    problems.push(`${at}.properties.security-severity is not a score from "0.0" to "10.0"`);
  }

  return problems;
}

const LEVELS = ["none", "note", "warning", "error"];
const SUPPRESSION_KINDS = ["inSource", "external"];

function checkResult(result: Record<string, unknown>, ruleIds: unknown[], at: string): string[] {
  const problems: string[] = [];
  const ruleId = result["ruleId"];
  const ruleIndex = result["ruleIndex"];

  if (!ruleIds.includes(ruleId)) {
    problems.push(`${at}.ruleId ${String(ruleId)} is not among tool.driver.rules`);
  }

  if (ruleIndex !== undefined && ruleIds[ruleIndex as number] !== ruleId) {
    problems.push(`${at}.ruleIndex ${String(ruleIndex)} does not point at ${String(ruleId)}`);
  }

  if (!LEVELS.includes(result["level"] as string)) {
    problems.push(`${at}.level ${String(result["level"])} is not a SARIF level`);
  }

  if (typeof asRecord(result["message"])["text"] !== "string") {
    problems.push(`${at}.message.text is missing`);
  }

  asArray(result["locations"]).forEach((location, index) =>
    problems.push(...checkLocation(asRecord(location), `${at}.locations[${index}]`)),
  );
  asArray(result["suppressions"]).forEach((suppression, index) => {
    if (!SUPPRESSION_KINDS.includes(asRecord(suppression)["kind"] as string)) {
      problems.push(`${at}.suppressions[${index}].kind is not inSource or external`);
    }
  });

  return problems;
}

/** Code scanning shows a result only with a file; SARIF lines count from 1. */
function checkLocation(location: Record<string, unknown>, at: string): string[] {
  const problems: string[] = [];
  const physical = asRecord(location["physicalLocation"]);
  const uri = asRecord(physical["artifactLocation"])["uri"];
  const region = asRecord(physical["region"]);

  if (typeof uri !== "string" || uri === "" || !URL.canParse(uri, "file:///repo/")) {
    problems.push(`${at}.physicalLocation.artifactLocation.uri is not a URI reference`);
  }

  if (!Number.isInteger(region["startLine"]) || (region["startLine"] as number) < 1) {
    problems.push(`${at}.physicalLocation.region.startLine is not an integer of at least 1`);
  }

  if (region["startColumn"] !== undefined && !((region["startColumn"] as number) >= 1)) {
    problems.push(`${at}.physicalLocation.region.startColumn is below 1`);
  }

  return problems;
}

function expectEqual(problems: string[], name: string, actual: unknown, expected: string): void {
  if (actual !== expected) {
    problems.push(`${name} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
}

function isScore(value: unknown): boolean {
  return typeof value === "string" && /^\d+(\.\d+)?$/.test(value) && Number(value) <= 10;
}

function isAbsoluteUri(value: unknown): boolean {
  return typeof value === "string" && URL.canParse(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
