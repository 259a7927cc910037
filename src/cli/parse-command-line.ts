import { parseArgs } from "node:util";

import { AuditError } from "../audit/audit-error.js";
import type { AuditFormat } from "../audit/report/render-audit-report.js";
import { AUDIT_FORMATS } from "../audit/report/render-audit-report.js";

export const USAGE = `Usage:
  drift-audit audit --policy PATH [--live | --snapshot FILE]
                    [--format table|json|sarif|html] [--out FILE]
                    [--now ISO-8601] [--arm-endpoint URL] [--verbose]
  drift-audit collect --policy PATH --out FILE [--arm-endpoint URL] [--verbose]
  drift-audit validate --policy PATH [--format table|json]

Exit codes: 0 clean, 1 findings, 2 incomplete or error.`;

export type Format = "table" | "json";

const VALIDATE_FORMATS = ["table", "json"] as const;

export type Command =
  | {
      name: "audit";
      policy: string;
      source: { kind: "live" } | { kind: "snapshot"; file: string };
      format: AuditFormat;
      out: string | undefined;
      now: Date | undefined;
      armEndpoint: string | undefined;
      verbose: boolean;
    }
  | {
      name: "collect";
      policy: string;
      out: string;
      armEndpoint: string | undefined;
      verbose: boolean;
    }
  | { name: "validate"; policy: string; format: Format }
  | { name: "help" };

const OPTIONS = {
  policy: { type: "string" },
  live: { type: "boolean" },
  snapshot: { type: "string" },
  format: { type: "string" },
  out: { type: "string" },
  now: { type: "string" },
  "arm-endpoint": { type: "string" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>["values"];

/** Turns argv into a command, or throws a one-line AuditError naming the problem. */
export function parseCommandLine(argv: string[]): Command {
  const { values, positionals } = parseStrict(argv);
  const [name, ...extra] = positionals;

  if (values.help || name === "help") {
    return { name: "help" };
  }

  if (name === undefined) {
    throw usageError("a command is required: audit, collect or validate");
  }

  if (extra.length > 0) {
    throw usageError(`unexpected argument '${extra[0]}'`);
  }

  rejectOptionsNotFor(name, values);

  switch (name) {
    case "audit":
      return parseAudit(values);
    case "collect":
      return parseCollect(values);
    case "validate":
      return {
        name: "validate",
        policy: requirePolicy(values),
        format: parseFormat(values.format, VALIDATE_FORMATS),
      };
    default:
      throw usageError(`unknown command '${name}'; expected audit, collect or validate`);
  }
}

/** Options each command accepts; any other is a mistake worth saying out loud. */
const ACCEPTED: Record<string, readonly string[]> = {
  audit: ["policy", "live", "snapshot", "format", "out", "now", "arm-endpoint", "verbose"],
  collect: ["policy", "out", "arm-endpoint", "verbose"],
  validate: ["policy", "format"],
};

function rejectOptionsNotFor(name: string, values: Values): void {
  const accepted = ACCEPTED[name];
  const stray = Object.keys(values).find((option) => accepted && !accepted.includes(option));

  if (stray) {
    throw usageError(`--${stray} does not apply to ${name}`);
  }
}

function parseStrict(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (cause) {
    throw usageError(cause instanceof Error ? firstSentence(cause.message) : String(cause));
  }
}

function parseAudit(values: Values): Command {
  if (values.live && values.snapshot !== undefined) {
    throw usageError("--live and --snapshot cannot be combined; choose one source");
  }

  if (!values.live && values.snapshot === undefined) {
    throw usageError("audit needs a source: --live or --snapshot FILE");
  }

  return {
    name: "audit",
    policy: requirePolicy(values),
    source:
      values.snapshot !== undefined
        ? { kind: "snapshot", file: values.snapshot }
        : { kind: "live" },
    format: parseFormat(values.format, AUDIT_FORMATS),
    out: values.out,
    now: parseNow(values.now),
    armEndpoint: parseEndpoint(values["arm-endpoint"]),
    verbose: values.verbose ?? false,
  };
}

function parseCollect(values: Values): Command {
  if (values.out === undefined) {
    throw usageError("collect needs --out FILE for the snapshot");
  }

  return {
    name: "collect",
    policy: requirePolicy(values),
    out: values.out,
    armEndpoint: parseEndpoint(values["arm-endpoint"]),
    verbose: values.verbose ?? false,
  };
}

function requirePolicy(values: Values): string {
  if (!values.policy) {
    throw usageError("--policy PATH is required (a policy directory or a markdown file)");
  }

  return values.policy;
}

function parseFormat<F extends string>(format: string | undefined, allowed: readonly F[]): F {
  const chosen = allowed.find((name) => name === (format ?? "table"));

  if (chosen) {
    return chosen;
  }

  throw usageError(`--format must be ${listChoices(allowed)}, not '${format}'`);
}

/** "table or json", "table, json, sarif or html". */
function listChoices(choices: readonly string[]): string {
  return choices.length > 1
    ? `${choices.slice(0, -1).join(", ")} or ${choices.at(-1)}`
    : choices.join("");
}

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * A date, or a date and time with Z or an offset: a time without a zone
 * would be read in the machine's time zone and make CI runs differ.
 */
function parseNow(now: string | undefined): Date | undefined {
  if (now === undefined) {
    return undefined;
  }

  const match = ISO_TIME.exec(now);
  const date = new Date(now);

  if (!match || Number.isNaN(date.getTime()) || !isRealDay(match)) {
    throw usageError(
      `--now must be an ISO-8601 date or time with a zone, such as 2026-12-01 or ` +
        `2026-12-01T00:00:00Z, not '${now}'`,
    );
  }

  return date;
}

/** Rejects days JavaScript would roll over, such as February 30th. */
function isRealDay([, year, month, day]: RegExpExecArray): boolean {
  const utc = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));

  return utc.getUTCMonth() === Number(month) - 1 && utc.getUTCDate() === Number(day);
}

function parseEndpoint(endpoint: string | undefined): string | undefined {
  if (endpoint === undefined) {
    return undefined;
  }

  if (!URL.canParse(endpoint) || !endpoint.startsWith("https://")) {
    throw usageError(`--arm-endpoint must be an https URL, not '${endpoint}'`);
  }

  return endpoint.replace(/\/+$/, "");
}

function usageError(message: string): AuditError {
  return new AuditError("USAGE", message);
}

/** Node's parser messages, cut to the part a user needs. */
function firstSentence(text: string): string {
  const ambiguous = /^Option '(--[\w-]+)[^']*' argument is ambiguous/.exec(text);

  if (ambiguous) {
    return `${ambiguous[1]} needs a value`;
  }

  return text.split("\n")[0]?.split(". ")[0] ?? text;
}
