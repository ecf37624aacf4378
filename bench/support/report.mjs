// Output of the benchmarks: progress lines and markdown tables on stdout.

export function log(line) {
  process.stdout.write(`${line}\n`);
}

/** A number as a table shows it: integers as they are, others with two decimals. */
export const cell = (value) =>
  typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(2) : String(value);

/**
 * A markdown table, aligned for reading as plain text: the first column padded to `widths[0]` on the right, the
 * others on the left (numbers line up).
 */
export function logTable(header, rows, widths) {
  const line = (cells) =>
    `| ${cells
      .map((value, k) =>
        k === 0 ? cell(value).padEnd(widths[k]) : cell(value).padStart(widths[k]),
      )
      .join(' | ')} |`;
  log(line(header));
  log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of rows) log(line(row));
}
