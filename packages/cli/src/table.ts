// Plain-text tables that line up: one header row, columns separated by two spaces, every column padded to
// its widest cell (counted in code points, so non-ASCII names do not shift the columns).

export type Align = 'left' | 'right';

export interface Column {
  header: string;
  align?: Align;
}

const width = (s: string): number => [...s].length;

function pad(s: string, n: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, n - width(s)));
  return align === 'right' ? fill + s : s + fill;
}

/** Formats rows under the column headers; trailing spaces are trimmed, the result ends with a newline. */
export function formatTable(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = columns.map((c, i) => Math.max(width(c.header), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]): string =>
    columns
      .map((c, i) => pad(cells[i] ?? '', widths[i] as number, c.align ?? 'left'))
      .join('  ')
      .trimEnd();
  return `${[line(columns.map((c) => c.header)), ...rows.map(line)].join('\n')}\n`;
}
