import type { ErrorObject } from "ajv";

import { PolicyError } from "./policy-error.js";
import type { PolicyProblem } from "./policy-error.js";
import { looksSecret, showValue as show } from "./show-value.js";
import { suggestClosest } from "./suggest-closest.js";
import type { Position, YamlPath } from "./yaml-positions.js";
import { formatPath, pointerToPath } from "./yaml-positions.js";

interface SchemaHints {
  description?: string;
  examples?: unknown[];
  properties?: Record<string, SchemaHints>;
  oneOf?: { required?: string[] }[];
  enum?: unknown[];
}

export interface ErrorSite {
  file: string;
  data: unknown;
  locate(path: YamlPath, part: "key" | "value"): Position;
  /** Rule ids to suggest for a mistyped key under `severity:`. */
  knownRuleIds?: readonly string[] | undefined;
}

interface Wording {
  problem: string;
  fix: string;
  part: "key" | "value";
  path: YamlPath;
  value?: string;
}

/**
 * Turns every schema error into one PolicyError that says, in file order,
 * where each is, what is there, and what to write instead. Errors inside
 * the branches of a `oneOf` are noise next to the `oneOf` error itself, as
 * are those ajv raises about a key name beside its `propertyNames` error;
 * two errors worded alike at one place are one problem.
 */
export function toSchemaError(errors: readonly ErrorObject[], site: ErrorSite): PolicyError {
  const useful = errors.filter(
    (error) => !/\/oneOf\/\d+\//.test(error.schemaPath) && error.propertyName === undefined,
  );
  const problems = (useful.length ? useful : errors).map((error) => toProblem(error, site));
  const [first, ...more] = dedupe(problems).sort((a, b) => a.line - b.line || a.column - b.column);

  if (!first) {
    return new PolicyError({
      code: "BINDINGS_SCHEMA",
      file: site.file,
      line: 1,
      column: 1,
      problem: "the bindings do not match the schema",
      fix: "compare the file with policy/bindings.schema.json",
    });
  }

  return new PolicyError({ code: "BINDINGS_SCHEMA", file: site.file, ...first }, more);
}

function toProblem(error: ErrorObject, site: ErrorSite): PolicyProblem {
  const { path, part, ...wording } =
    error.keyword === "propertyNames" ? wordKeyName(error, site) : wordError(error, site.data);

  return { ...site.locate(path, part), ...wording };
}

function dedupe(problems: PolicyProblem[]): PolicyProblem[] {
  const byText = new Map(problems.map((p) => [`${p.line}:${p.column}:${p.problem}`, p]));

  return [...byText.values()];
}

function wordError(error: ErrorObject, data: unknown): Wording {
  const path = pointerToPath(error.instancePath, data);
  const where = formatPath(path) || "the file";
  const schema = (error.parentSchema ?? {}) as SchemaHints;
  const shown = show(error.data);

  switch (error.keyword) {
    case "required":
      return wordRequired(path, where, String(error.params["missingProperty"]), schema);
    case "additionalProperties":
      return wordUnknownKey(path, where, String(error.params["additionalProperty"]), schema);
    case "enum":
      return wordEnum(path, where, error.data, schema);
    case "oneOf":
      return wordOneOf(path, where, schema);
    case "minItems":
      return wordTooFewItems(path, where, Number(error.params["limit"]), schema);
    case "type":
      return {
        path,
        part: "value",
        value: shown,
        problem: `${where} is ${shown}, not ${article(String(error.params["type"]))}`,
        fix:
          path.length === 0
            ? "write keys such as `subscriptionId:`, `vaults:` and `apps:`, as in policy/bindings.yaml"
            : `write ${hint(schema, String(error.params["type"]))}`,
      };
    default:
      return {
        path,
        part: "value",
        value: shown,
        problem: `${where} is ${shown}, which is not ${schema.description ?? "allowed here"}`,
        fix: `write ${hint(schema, "a valid value")}`,
      };
  }
}

/**
 * Only `severity:` constrains its key names: they must be rule ids, written
 * as reports print them. A near rule id is suggested when the caller gave them.
 */
function wordKeyName(error: ErrorObject, site: ErrorSite): Wording {
  const path = pointerToPath(error.instancePath, site.data);
  const key = String(error.params["propertyName"]);
  const nearest = suggestClosest(key, site.knownRuleIds ?? []);

  return {
    path: [...path, key],
    part: "key",
    ...(looksSecret(key) ? {} : { value: key }),
    problem: `${formatPath(path)} names ${show(key)}, which is not written as a rule id`,
    fix: nearest
      ? `did you mean ${nearest}?`
      : "write the rule id in capitals, as reports print it, e.g. SECRET_NO_EXPIRY",
  };
}

function wordRequired(
  path: YamlPath,
  where: string,
  missing: string,
  schema: SchemaHints,
): Wording {
  const example = schema.properties?.[missing]?.examples?.[0];
  const sample = example === undefined ? "" : ` ${yamlValue(example)}`;

  return {
    path,
    part: "key",
    problem: `${where} has no ${missing}`,
    fix: `add \`${missing}:${sample}\``,
  };
}

function wordUnknownKey(path: YamlPath, where: string, key: string, schema: SchemaHints): Wording {
  const known = Object.keys(schema.properties ?? {}).filter((name) => name !== "$schema");
  const nearest = suggestClosest(key, known);
  const fix = nearest
    ? `did you mean ${nearest}?`
    : `remove it; the known keys are ${known.join(", ")}`;

  return {
    path: [...path, key],
    part: "key",
    value: key,
    problem: `${where} has an unknown key ${key}`,
    fix,
  };
}

function wordEnum(path: YamlPath, where: string, value: unknown, schema: SchemaHints): Wording {
  const allowed = (schema.enum ?? []).map(String);
  const nearest = suggestClosest(String(value), allowed);
  const fix = `write one of ${allowed.join(", ")}` + (nearest ? ` (did you mean ${nearest}?)` : "");

  return {
    path,
    part: "value",
    value: show(value),
    problem: `${where} is ${show(value)}, which is not ${schema.description ?? "allowed"}`,
    fix,
  };
}

/** An empty list would quietly switch a check off; say it must not be empty. */
function wordTooFewItems(
  path: YamlPath,
  where: string,
  limit: number,
  schema: SchemaHints,
): Wording {
  const needed = limit === 1 ? "at least one entry" : `at least ${limit} entries`;

  return {
    path,
    part: "value",
    problem: limit === 1 ? `${where} must not be empty` : `${where} needs ${needed}`,
    fix: `write ${hint(schema, needed)}`,
  };
}

function wordOneOf(path: YamlPath, where: string, schema: SchemaHints): Wording {
  const choices = (schema.oneOf ?? []).flatMap((branch) => branch.required ?? []);

  if (choices.length === 0) {
    return {
      path,
      part: "value",
      problem: `${where} is not ${schema.description ?? "valid"}`,
      fix: `write ${schema.description ?? "a valid value"}`,
    };
  }

  return {
    path,
    part: "key",
    problem: `${where} must say exactly one of ${choices.join(", ")}`,
    fix: `keep one of ${choices.map((choice) => `\`${choice}:\``).join(", ")}`,
  };
}

function hint(schema: SchemaHints, fallback: string): string {
  const example = schema.examples?.[0];
  const text = schema.description ?? fallback;

  return example === undefined ? text : `${text}, e.g. ${yamlValue(example)}`;
}

function yamlValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function article(type: string): string {
  const words: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    integer: "a whole number",
    number: "a number",
    string: "text",
    boolean: "true or false",
  };

  return words[type] ?? type;
}
