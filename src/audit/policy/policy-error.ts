/** Stable codes for a policy that cannot be used at all. */
export type PolicyErrorCode =
  | "POLICY_NOT_FOUND"
  | "POLICY_DOC_NOT_FOUND"
  | "POLICY_DOC_AMBIGUOUS"
  | "POLICY_BINDINGS_AMBIGUOUS"
  | "POLICY_UNREADABLE"
  | "DOC_NO_MATRIX"
  | "BINDINGS_YAML_SYNTAX"
  | "BINDINGS_SCHEMA"
  | "BINDINGS_REFERENCE";

export interface PolicyErrorInit {
  code: PolicyErrorCode;
  file: string;
  /** 1-based; 0 when the error is about the file as a whole. */
  line: number;
  column: number;
  /** What the file says at that place, when there is a single bad value. */
  value?: string | undefined;
  /** The problem, as a sentence fragment: `cloud is "AzurePublic"`. */
  problem: string;
  /** What to write instead: `write one of AzurePublicCloud, ...`. */
  fix: string;
}

/**
 * The doc or the bindings cannot be used: the run stops before any Azure
 * call. The message reads `file:line:column: problem; fix.` so editors and
 * terminals can jump to it.
 */
export class PolicyError extends Error {
  override readonly name = "PolicyError";
  readonly code: PolicyErrorCode;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly value: string | undefined;
  readonly problem: string;
  readonly fix: string;

  constructor(init: PolicyErrorInit) {
    // Line 0 means the whole file: it is missing, or cannot be told apart.
    const where = init.line > 0 ? `${init.file}:${init.line}:${init.column}` : init.file;

    const end = /[.?!]$/.test(init.fix) ? "" : ".";

    super(`${where}: ${init.problem}; ${init.fix}${end}`);
    this.code = init.code;
    this.file = init.file;
    this.line = init.line;
    this.column = init.column;
    this.value = init.value;
    this.problem = init.problem;
    this.fix = init.fix;
  }
}

export function isPolicyError(error: unknown): error is PolicyError {
  return error instanceof PolicyError;
}
