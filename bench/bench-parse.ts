/**
 * Section 1: `parsePolicy` over seed-format docs of growing matrix length.
 * The 5,000-row / 50-row ratio is ~100x when parsing is linear in rows;
 * below 100x the fixed cost (front matter, bindings schema) still shows.
 */
import { parsePolicy } from "../src/audit/policy/parse-policy.js";
import type { PolicyInput } from "../src/audit/policy/parse-policy.js";
import { formatCount, formatMs, formatRatio, formatTable } from "./format-report.js";
import { measureInterleaved } from "./measure.js";
import type { Timing } from "./measure.js";
import { makeSeedInput } from "./make-seed-doc.js";

const ROW_COUNTS = [50, 500, 5000] as const;

interface ParseResultRow {
  rows: number;
  timing: Timing;
  secrets: number;
  policyFindings: number;
}

/** The input for a doc of `rows` rows, checked to parse into a usable policy. */
function prepare(rows: number) {
  const input = makeSeedInput(rows);
  const result = parsePolicy(input);

  if ("error" in result) {
    throw new Error(`The generated ${rows}-row doc did not parse: ${result.error.message}`);
  }

  return { rows, input, policy: result.policy };
}

function parseLater(input: PolicyInput): () => unknown {
  return () => parsePolicy(input);
}

function timeParses(): ParseResultRow[] {
  const prepared = ROW_COUNTS.map(prepare);
  const timings = measureInterleaved(prepared.map(({ input }) => parseLater(input)));

  return prepared.map(({ rows, policy }, index) => ({
    rows,
    timing: timings[index] ?? { medianMs: Number.NaN, runs: 0 },
    secrets: policy.secrets.length,
    policyFindings: policy.findings.length,
  }));
}

/** Microseconds each added row cost between two sizes. */
function marginalMicros(from: ParseResultRow, to: ParseResultRow): string {
  const micros = ((to.timing.medianMs - from.timing.medianMs) * 1000) / (to.rows - from.rows);

  return `${formatCount(from.rows)}→${formatCount(to.rows)} rows ${micros.toFixed(0)} µs`;
}

/** Runs the parse benchmark and returns the report lines. */
export function benchParse(): string[] {
  const results = timeParses();
  const [first, middle, last] = results;

  if (!first || !middle || !last) {
    return [];
  }

  const ratio = last.timing.medianMs / first.timing.medianMs;
  const table = formatTable([
    ["rows", "median", "rows/s", "runs", "secrets", "policy findings"],
    ...results.map((r) => [
      formatCount(r.rows),
      formatMs(r.timing.medianMs),
      formatCount(r.rows / (r.timing.medianMs / 1000)),
      String(r.timing.runs),
      formatCount(r.secrets),
      formatCount(r.policyFindings),
    ]),
  ]);

  return [
    "1. Policy parse: parsePolicy on a seed-format doc (secret matrix + 3-row identity table)",
    "   with seed-style bindings",
    ...table,
    `   ${formatCount(last.rows)}-row / ${formatCount(first.rows)}-row time: ` +
      `${formatRatio(ratio)} (~100x = linear; less = fixed cost weighs on the small doc)`,
    `   cost per added row: ${marginalMicros(first, middle)}, ${marginalMicros(middle, last)} ` +
      "(equal = linear)",
  ];
}
