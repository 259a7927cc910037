import { DEFAULT_VOCABULARY } from "./access-vocabulary.js";
import { bindPolicy } from "./bind-policy.js";
import type { ResolvedBindings } from "./parse-bindings.js";
import { parseBindings } from "./parse-bindings.js";
import type { PolicyDoc } from "./policy-doc.js";
import { PolicyError } from "./policy-error.js";
import type { Policy } from "./policy-model.js";
import { readPolicyDoc } from "./read-policy-doc.js";

export interface PolicyInput {
  docFile: string;
  docText: string;
  bindingsFile?: string | undefined;
  bindingsText?: string | undefined;
  /** The rule ids findings can carry, to check `severity:` and `waivers:` against. */
  knownRuleIds?: readonly string[] | undefined;
}

/** Either a usable policy (with the doc as read, for validation), or why not. */
export type ParseResult = { policy: Policy; doc: PolicyDoc } | { error: PolicyError };

/**
 * Reads the doc and the bindings into a policy. Pure and total: any
 * markdown gives a result; a doc or bindings that cannot be used gives a
 * PolicyError instead of a policy, and never throws.
 */
export function parsePolicy(input: PolicyInput): ParseResult {
  try {
    const bindings = readBindings(input);
    const doc = readPolicyDoc({
      file: input.docFile,
      text: input.docText,
      vocabulary: bindings?.vocabulary ?? DEFAULT_VOCABULARY,
    });

    requireMatrix(doc);

    return { policy: bindPolicy(doc, bindings), doc };
  } catch (error) {
    if (error instanceof PolicyError) {
      return { error };
    }

    throw error;
  }
}

function readBindings(input: PolicyInput): ResolvedBindings | undefined {
  if (input.bindingsText === undefined) {
    return undefined;
  }

  return parseBindings(input.bindingsFile ?? "bindings.yaml", input.bindingsText, {
    knownRuleIds: input.knownRuleIds,
  });
}

/** A doc with no table the auditor can read gives nothing to audit. */
function requireMatrix(doc: PolicyDoc): void {
  if (doc.secrets.length || doc.settings.length || doc.identities.length) {
    return;
  }

  const recognised = doc.tables.some((table) => table.kind !== "other");

  throw new PolicyError({
    code: "DOC_NO_MATRIX",
    file: doc.file,
    line: doc.tables[0]?.line ?? 1,
    column: 1,
    problem: recognised
      ? "the doc's tables list no secret, setting or identity"
      : "the doc has no table with a secret, setting or identity column",
    fix: "add a table headed `| Key Vault secret | App Setting / env | Purpose |`, or `| Identity | Role | Scope |`",
  });
}
