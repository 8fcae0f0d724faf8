/** A plain text table, columns padded to their widest cell. */
export function dataTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  return rows.length === 0 ? [] : [line(header), ...rows.map(line)];
}
