import { existsSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { basename, dirname, extname, join, resolve } from "node:path";

import { AuditError } from "../audit/audit-error.js";

/**
 * Refuses an --out that would overwrite what the run reads: the snapshot,
 * the policy doc or its bindings. A report written over its own input
 * loses the input for good.
 */
export function checkOutputPath(out: string | undefined, inputs: string[]): void {
  if (out === undefined) {
    return;
  }

  const target = resolve(out);
  const clash = inputs
    .map((input) => describeClash(resolve(input), target))
    .find((text) => text !== undefined);

  if (clash) {
    throw new AuditError("USAGE", `--out ${out} ${clash}; choose another file`);
  }
}

const POLICY_FILE = /(\.md|^bindings\.(ya?ml|json))$/i;

/**
 * What writing the target would do to an input: overwrite it, or overwrite
 * (or add) a file the policy loader reads from an input directory. The
 * message names the file, not the directory, so the reader sees which.
 */
function describeClash(input: string, target: string): string | undefined {
  if (input === target) {
    return `would overwrite ${target}, which this run reads`;
  }

  if (!isPolicyFileIn(input, target)) {
    return undefined;
  }

  return existsSync(target)
    ? `would overwrite ${target} in the policy directory this run reads`
    : `would add ${target} to the policy directory this run reads, ` +
        "where the next run may take it for the doc or the bindings";
}

function isPolicyFileIn(input: string, target: string): boolean {
  const isDirectory = existsSync(input) && statSync(input).isDirectory();

  return isDirectory && dirname(target) === input && POLICY_FILE.test(basename(target));
}

/**
 * Writes the report to --out. If that fails, the report is not lost: it
 * goes to stdout, and the error names --out and says what to do.
 */
export async function writeReport(report: string, out: string | undefined): Promise<void> {
  if (out === undefined) {
    process.stdout.write(report);
    return;
  }

  try {
    await writeFile(out, report, "utf8");
  } catch (cause) {
    process.stdout.write(report);
    throw new AuditError(
      "OUTPUT_UNWRITABLE",
      `--out ${out} could not be written (${(cause as NodeJS.ErrnoException).code ?? "error"}); ` +
        "the report was printed to stdout instead. Choose a writable file path.",
      { cause },
    );
  }

  process.stderr.write(`Wrote report to ${out}.\n`);
}

/**
 * A markdown file given alone is audited with default bindings. Say so
 * when bindings sit beside it, so nobody wonders where their vault went.
 */
export function noteIgnoredBindings(policyPath: string): void {
  if (extname(policyPath).toLowerCase() !== ".md") {
    return;
  }

  const beside = ["bindings.yaml", "bindings.yml", "bindings.json"]
    .map((name) => join(dirname(policyPath), name))
    .find((file) => existsSync(file));

  if (beside) {
    process.stderr.write(
      `note: ${policyPath} is read alone with default bindings; ${beside} is not used. ` +
        `Pass --policy ${dirname(policyPath)} to use it.\n`,
    );
  }
}
