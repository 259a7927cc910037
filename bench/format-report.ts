/** Small formatters for the benchmark's plain-text report. */

/** `0.42 ms`, `12.3 ms`, `840 ms`, `12.4 s`, `6.6 min`. */
export function formatMs(ms: number): string {
  if (ms >= 120_000) {
    return `${(ms / 60_000).toFixed(1)} min`;
  }

  if (ms >= 1000) {
    return `${(ms / 1000).toFixed(1)} s`;
  }

  if (ms >= 100) {
    return `${ms.toFixed(0)} ms`;
  }

  return ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
}

/** `12,345`. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** `44.1x`. */
export function formatRatio(ratio: number): string {
  return `${ratio >= 100 ? ratio.toFixed(0) : ratio.toFixed(1)}x`;
}

/**
 * How fast time grows with size, as the exponent k in time ∝ size^k,
 * from two sizes and their times: 1 is linear, 2 quadratic.
 */
export function growthExponent(sizeRatio: number, timeRatio: number): number {
  return Math.log(timeRatio) / Math.log(sizeRatio);
}

/** Rows as aligned columns; the first column is left-aligned, the rest right-aligned. */
export function formatTable(rows: readonly (readonly string[])[], indent = "   "): string[] {
  const widths: number[] = [];

  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, cell.length);
    });
  }

  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, column) =>
          column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
        )
        .join("  ")
        .trimEnd(),
  );
}
