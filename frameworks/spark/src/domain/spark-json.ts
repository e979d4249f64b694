// The JSON Spark's REST submission server writes: Jackson with INDENT_OUTPUT and nulls left out, which gives
// `{`, two-space indents, `"key" : value`, arrays on one line as `[ "a", "b" ]`, empty ones as `[ ]` / `{ }`.
// Message fields come out in alphabetical order (as Spark's messages serialise), so keys are sorted here.
// Pure.

/** Serialises like Spark's SubmitRestProtocolMessage.toJson: undefined fields are omitted. */
export function sparkJson(value: unknown): string {
  return write(value, '');
}

function write(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return `[ ${value.map((v) => write(v, indent)).join(', ')} ]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{ }';
  const inner = `${indent}  `;
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)} : ${write(v, inner)}`).join(',\n')}\n${indent}}`;
}
