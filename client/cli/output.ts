/** Prints rows as an aligned table for people, or as JSON for scripts (`--json`). */
export function printRows<T extends object>(
  rows: T[],
  columns: (keyof T & string)[],
  json: boolean,
): void {
  if (json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return;
  }
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const cell = (v: unknown) =>
    v === null || v === undefined ? '' : Array.isArray(v) ? v.join(',') : String(v);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  process.stdout.write(
    [
      line(columns),
      line(widths.map((w) => '-'.repeat(w))),
      ...rows.map((r) => line(columns.map((c) => cell(r[c])))),
    ].join('\n') + '\n',
  );
}

/** One record: `key: value` lines for people, JSON for scripts. */
export function printRecord(record: object, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(record, null, 2) + '\n');
    return;
  }
  const width = Math.max(...Object.keys(record).map((k) => k.length));
  for (const [k, v] of Object.entries(record))
    process.stdout.write(`${k.padEnd(width)}  ${Array.isArray(v) ? v.join(',') : String(v)}\n`);
}
