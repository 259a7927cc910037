import type { ClassifiedTable, ColumnMeaning } from "./column-meaning.js";
import type { MdCell, MdRow } from "./markdown-blocks.js";
import { makeFinding } from "./make-finding.js";
import { quoteText } from "./show-value.js";
import type { PolicyFinding } from "./policy-model.js";

/** A table row as the readers see it: cells by meaning, or why it cannot be read. */
export interface ReadableRow {
  row: MdRow;
  cell(meaning: ColumnMeaning): MdCell | undefined;
  text(meaning: ColumnMeaning): string;
}

const SEPARATORS = /^(?:[\s,;/+&]|\band\b|\bor\b)*$/i;

/**
 * Checks each row's width and code spans, reports what cannot be read with
 * certainty, and yields the rows that can. Missing trailing cells are
 * empty (ragged rows are normal); extra cells are only a problem when they
 * hold something.
 */
export function readRows(
  classified: ClassifiedTable,
  keyMeanings: readonly ColumnMeaning[],
  file: string,
  findings: PolicyFinding[],
): ReadableRow[] {
  const { table, columns } = classified;
  const width = table.header.cells.length;
  // A cut code span shifts every cell after it; the row is still safe to
  // read when the cut comes after the columns that carry its meaning.
  const lastKey = Math.max(0, ...keyMeanings.map((meaning) => columns[meaning] ?? 0));
  const readable: ReadableRow[] = [];

  for (const row of table.rows) {
    if (row.cells.every((cell) => cell.text === "")) {
      continue;
    }

    const split = findSplitCodeSpan(row);

    reportExtraCells(row, width, split, file, findings);

    if (split !== undefined) {
      findings.push(splitCodeFinding(row, split, split > lastKey, file));

      if (split <= lastKey) {
        continue;
      }
    }

    readable.push(toReadable(row, columns));
  }

  return readable;
}

function toReadable(row: MdRow, columns: ClassifiedTable["columns"]): ReadableRow {
  const cell = (meaning: ColumnMeaning) => {
    const index = columns[meaning];

    return index === undefined ? undefined : row.cells[index];
  };

  return { row, cell, text: (meaning) => cell(meaning)?.text ?? "" };
}

/** Index of the first cell of a code span that a `|` cut in two. */
function findSplitCodeSpan(row: MdRow): number | undefined {
  const index = row.cells.findIndex(
    (cell, i) => cell.strayBacktick && row.cells[i + 1]?.strayBacktick === true,
  );

  return index < 0 ? undefined : index;
}

function reportExtraCells(
  row: MdRow,
  width: number,
  split: number | undefined,
  file: string,
  findings: PolicyFinding[],
): void {
  const extra = row.cells.slice(width).find((cell) => cell.text !== "");

  if (!extra || split !== undefined) {
    return;
  }

  findings.push(
    makeFinding({
      ruleId: "MATRIX_PARSE_WARNING",
      severity: "medium",
      file,
      line: row.line,
      column: extra.column,
      message: `The row at line ${row.line} has ${row.cells.length} cells but the table header has ${width}; the extra cell ${quoteText(extra.text)} belongs to no column, so the row is read from its first ${width} cells only.`,
      remediation:
        "Write a `|` that is part of a value as `\\|` (inside backticks too), or add a header for the extra column.",
    }),
  );
}

function splitCodeFinding(row: MdRow, split: number, used: boolean, file: string): PolicyFinding {
  const first = row.cells[split];
  const second = row.cells[split + 1];
  const outcome = used
    ? "the cells before it are still read"
    : "the row is left out of the policy rather than read into the wrong columns";

  return makeFinding({
    ruleId: "MATRIX_PARSE_WARNING",
    severity: "medium",
    file,
    line: row.line,
    column: first?.column,
    message: `The row at line ${row.line} has a code span cut in two by a \`|\` (${quoteText(first?.text ?? "")} | ${quoteText(second?.text ?? "")}); GitHub splits table cells before it reads backticks, so ${outcome}.`,
    remediation: "Escape the pipe inside the backticks as `\\|`.",
  });
}

/** A row the readers could not take as written, reported where the row starts. */
export function rowWarning(
  row: MdRow,
  file: string,
  message: string,
  remediation: string,
): PolicyFinding {
  return makeFinding({
    ruleId: "MATRIX_PARSE_WARNING",
    severity: "medium",
    file,
    line: row.line,
    column: row.column,
    message,
    remediation,
  });
}

/** Reports a row whose key cell is empty; it cannot become part of the policy. */
export function emptyKeyFinding(row: MdRow, header: string, file: string): PolicyFinding {
  return rowWarning(
    row,
    file,
    `The row at line ${row.line} has nothing in its "${header}" column, so it is left out of the policy.`,
    `Write the ${header.toLowerCase() || "name"} in that row, or delete the row.`,
  );
}

/**
 * The names a cell holds. Several code spans joined only by commas or
 * `and` are several names; one code span beside prose is the name and a
 * note; otherwise the cell's text is the name.
 */
export function namesInCell(cell: MdCell | undefined): string[] {
  if (!cell || cell.text === "") {
    return [];
  }

  if (cell.codes.length === 0) {
    return [cell.text];
  }

  const rest = cell.codes.reduce((text, code) => text.replace(code, " "), cell.text);

  if (cell.codes.length === 1 && !SEPARATORS.test(rest) && !startsWithCode(cell)) {
    return [cell.text];
  }

  return cell.codes.map((code) => code.trim()).filter((code) => code !== "");
}

function startsWithCode(cell: MdCell): boolean {
  return cell.codes[0] !== undefined && cell.text.startsWith(cell.codes[0].trim());
}

/** `✅ Yes` → true, `⚠️ Optional` → false, anything else → unknown. */
export function parseRequired(text: string): boolean | undefined {
  if (/✅|✔|☑|\b(yes|required|mandatory|true|y)\b/i.test(text)) {
    return true;
  }

  return /⚠|❌|✖|\b(no|optional|false|n)\b/i.test(text) ? false : undefined;
}
