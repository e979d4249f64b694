// Aligned text tables for CLIs: columns padded to their widest cell, separated by `gap` spaces, trailing
// spaces trimmed. The `Option / Description` help table of kafka-mesos-style CLIs is one of these, with
// `------ -----------` underlines.

export interface TableOptions {
  /** Spaces between columns. Default 2. */
  gap?: number;
  /** Underline each header cell with dashes of its own length. Default false. */
  underline?: boolean;
}

/** `rows[0]` is printed as the header when given via `header`. Cells may not contain newlines. */
export function formatTable(rows: ReadonlyArray<readonly string[]>, header?: readonly string[], options: TableOptions = {}): string {
  const all: string[][] = [];
  if (header !== undefined) {
    all.push([...header]);
    if (options.underline) all.push(header.map((h) => '-'.repeat(h.length)));
  }
  for (const row of rows) all.push([...row]);
  const columns = Math.max(0, ...all.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(0, ...all.map((r) => (r[i] ?? '').length)));
  const gap = ' '.repeat(options.gap ?? 2);
  return all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join(gap).trimEnd()).join('\n');
}

export interface OptionHelp {
  /** `--cpus`; */
  name: string;
  /** Argument placeholder, e.g. `Double` prints `--cpus <Double>`. */
  arg?: string;
  description: string;
}

/** The `Option / Description` table: option names (with `<Arg>`) left, descriptions right. */
export function formatOptionTable(options: readonly OptionHelp[]): string {
  const rows = options.map((o) => [o.arg === undefined ? o.name : `${o.name} <${o.arg}>`, o.description]);
  return formatTable(rows, ['Option', 'Description'], { underline: true });
}
