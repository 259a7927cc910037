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

/** One place in a file that is wrong, and what to write instead. */
export interface PolicyProblem {
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

export interface PolicyErrorInit extends PolicyProblem {
  code: PolicyErrorCode;
  file: string;
}

/**
 * The doc or the bindings cannot be used: the run stops before any Azure
 * call. The message reads `file:line:column: problem; fix.` so editors and
 * terminals can jump to it. When one file has several problems of one kind
 * (schema errors, unknown rule ids), all are reported at once, one line
 * each in file order, so a fix-and-rerun loop does not reveal them one by
 * one; the error's own fields are the first problem's.
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
  /** Every problem, this error's own first; most errors have just the one. */
  readonly problems: readonly PolicyProblem[];

  constructor(init: PolicyErrorInit, more: readonly PolicyProblem[] = []) {
    const problems = [init, ...more].map(toProblem);

    super(problems.map((problem) => formatProblem(init.file, problem)).join("\n"));
    this.problems = problems;
    this.code = init.code;
    this.file = init.file;
    this.line = init.line;
    this.column = init.column;
    this.value = init.value;
    this.problem = init.problem;
    this.fix = init.fix;
  }
}

function toProblem({ line, column, value, problem, fix }: PolicyProblem): PolicyProblem {
  return { line, column, value, problem, fix };
}

function formatProblem(file: string, { line, column, problem, fix }: PolicyProblem): string {
  // Line 0 means the whole file: it is missing, or cannot be told apart.
  const where = line > 0 ? `${file}:${line}:${column}` : file;
  const end = /[.?!]$/.test(fix) ? "" : ".";

  return `${where}: ${problem}; ${fix}${end}`;
}

export function isPolicyError(error: unknown): error is PolicyError {
  return error instanceof PolicyError;
}
