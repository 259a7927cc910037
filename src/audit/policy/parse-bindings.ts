import { Ajv } from "ajv";
import type { ValidateFunction } from "ajv";
import type { Document } from "yaml";
import { LineCounter, parseDocument } from "yaml";

import type { AccessVocabulary } from "./access-vocabulary.js";
import { extendVocabulary } from "./access-vocabulary.js";
import { toSchemaError } from "./to-schema-error.js";
import type { BindingsFile } from "./bindings-schema.js";
import { BINDINGS_SCHEMA } from "./bindings-schema.js";
import { checkBindingReferences } from "./check-binding-references.js";
import { PolicyError } from "./policy-error.js";
import type { DocRef } from "./policy-model.js";
import type { YamlPath } from "./yaml-positions.js";
import { locate } from "./yaml-positions.js";

/** A bindings file that passed the schema and whose cross-references hold. */
export interface ResolvedBindings {
  file: string;
  data: BindingsFile;
  vocabulary: AccessVocabulary;
  /** Where a key is written, for findings about the bindings. */
  refOf(path: YamlPath): DocRef;
}

let validator: ValidateFunction | undefined;

function validate(data: unknown): ValidateFunction {
  validator ??= new Ajv({ allErrors: true, verbose: true }).compile(BINDINGS_SCHEMA);
  validator(data);

  return validator;
}

const SYNTAX_FIXES: Record<string, string> = {
  DUPLICATE_KEY: "keep one of the two keys",
  BAD_INDENT: "indent nested keys by two spaces under their parent",
  MISSING_CHAR: "close the quote or bracket that is left open",
  BLOCK_AS_IMPLICIT_KEY: "put a space after the colon and keep the key on one line",
  MULTILINE_IMPLICIT_KEY: "put a space after the colon and keep the key on one line",
  TAB_AS_INDENT: "indent with spaces, not tabs",
};

export interface ParseBindingsOptions {
  /**
   * The rule ids findings can carry, which `severity:` and `waivers:` may
   * name. The policy layer cannot see the rules, so the caller passes them
   * (loadPolicy does); without them rule ids are not checked.
   */
  knownRuleIds?: readonly string[] | undefined;
}

/**
 * Parses and validates a bindings file (YAML, or JSON, which YAML reads
 * too). Throws PolicyError naming file, line and column for anything
 * that stops the bindings being used: every schema error at once, then
 * (once the shape holds) what the bindings refer to.
 */
export function parseBindings(
  file: string,
  text: string,
  { knownRuleIds }: ParseBindingsOptions = {},
): ResolvedBindings {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ""), { lineCounter, prettyErrors: false });

  throwSyntaxError(doc, file, lineCounter);

  const data: unknown = doc.toJS();
  const site = {
    file,
    data,
    locate: (path: YamlPath, part: "key" | "value") => locate(doc, lineCounter, path, part),
    knownRuleIds,
  };
  const check = validate(data ?? {});

  if (data === null || data === undefined) {
    throw new PolicyError({
      code: "BINDINGS_SCHEMA",
      file,
      line: 1,
      column: 1,
      problem: "the bindings file is empty",
      fix: "write at least `subscriptionId: <subscription GUID>`",
    });
  }

  if (check.errors?.length) {
    throw toSchemaError(check.errors, site);
  }

  const bindings = data as BindingsFile;
  const refOf = (path: YamlPath): DocRef => ({ file, ...site.locate(path, "key") });
  const vocabulary = checkBindingReferences(bindings, { file, refOf, knownRuleIds });

  return {
    file,
    data: bindings,
    vocabulary: extendVocabulary(vocabulary.phrases, vocabulary.customRoles),
    refOf,
  };
}

function throwSyntaxError(doc: Document, file: string, lineCounter: LineCounter): void {
  const error = doc.errors[0];

  if (!error) {
    return;
  }

  const { line, col } = lineCounter.linePos(error.pos[0]);
  const reason = error.message.split(" at line ")[0]?.split("\n")[0] ?? error.message;

  throw new PolicyError({
    code: "BINDINGS_YAML_SYNTAX",
    file,
    line,
    column: col,
    problem: `the YAML cannot be read: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`,
    fix: SYNTAX_FIXES[error.code] ?? "fix the YAML syntax at that place",
  });
}
