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

/**
 * A figure against its target: `{ figure, adapter, value, min?, max?, unit?, rounds?, ok, note? }`. `value`
 * undefined (not measured) is neither ok nor a miss: the note says why.
 */
export function target(figure, adapter, value, { min, max, unit = '', rounds, note } = {}) {
  const measured = value !== undefined && !Number.isNaN(value);
  const ok = !measured
    ? undefined
    : (min === undefined || value >= min) && (max === undefined || value <= max);
  return { figure, adapter, value: measured ? value : undefined, min, max, unit, rounds, ok, note };
}

/** `value ok (≥ min)` or `value MISS (≤ max)`, or the note of a figure not measured. */
export function verdictOf(entry) {
  if (entry.value === undefined) return `not measured: ${entry.note ?? 'no value'}`;
  const digits = Math.abs(entry.value) >= 100 ? 0 : entry.min !== undefined ? 3 : 2;
  const value = `${entry.value.toFixed(digits)}${entry.unit}`;
  if (entry.min === undefined && entry.max === undefined)
    return entry.note ? `${value}, ${entry.note}` : `${value} (info)`;
  const bound =
    entry.min !== undefined ? `≥ ${entry.min}${entry.unit}` : `≤ ${entry.max}${entry.unit}`;
  return `${value} ${entry.ok ? 'ok' : 'MISS'} (${bound})`;
}

/**
 * The targets as a table, the per-round values under it, and one `CHECK <json>` line each: `bench/run.mjs` gathers
 * those of every section into the closing summary.
 */
export function logTargets(title, entries) {
  log(title);
  logTable(
    ['figure', 'adapter', 'value (target)'],
    entries.map((entry) => [entry.figure, entry.adapter, verdictOf(entry)]),
    [52, 8, 40],
  );
  for (const entry of entries.filter((each) => (each.rounds?.length ?? 0) > 1))
    log(
      `  ${entry.figure} (${entry.adapter}) per round: ${entry.rounds.map((v) => v.toFixed(2)).join(', ')}`,
    );
  for (const entry of entries) log(`CHECK ${JSON.stringify(entry)}`);
}
