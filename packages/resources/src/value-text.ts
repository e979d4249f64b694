// The value part of `--resources` / `--attributes` entries, as Mesos' values parser reads it:
//   '[a-b, c-d]' → ranges, '{x, y}' → set, a decimal number → scalar, anything else → text.

export type ValueText =
  | { kind: 'SCALAR'; value: number }
  | { kind: 'RANGES'; pairs: Array<[number, number]> }
  | { kind: 'SET'; items: string[] }
  | { kind: 'TEXT'; text: string }
  | { kind: 'ERROR'; why: string };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^\d+$/;

export function parseValueText(raw: string): ValueText {
  const text = raw.trim();
  if (text.startsWith('[')) return parseRanges(text);
  if (text.startsWith('{')) return parseSet(text);
  if (NUMBER.test(text)) return { kind: 'SCALAR', value: Number(text) };
  return { kind: 'TEXT', text };
}

function parseRanges(text: string): ValueText {
  if (!text.endsWith(']')) return { kind: 'ERROR', why: `ranges value '${text}' is missing its closing ']'` };
  const inner = text.slice(1, -1).trim();
  const pairs: Array<[number, number]> = [];
  if (inner.length === 0) return { kind: 'RANGES', pairs };
  for (const part of inner.split(',')) {
    const bounds = part.split('-').map((s) => s.trim());
    if (bounds.length !== 2 || !INTEGER.test(bounds[0]!) || !INTEGER.test(bounds[1]!)) {
      return { kind: 'ERROR', why: `range '${part.trim()}' is not of the form begin-end with non-negative integers` };
    }
    const b = Number(bounds[0]);
    const e = Number(bounds[1]);
    if (!Number.isSafeInteger(b) || !Number.isSafeInteger(e)) {
      return { kind: 'ERROR', why: `range '${part.trim()}' exceeds ${Number.MAX_SAFE_INTEGER}` };
    }
    if (b > e) return { kind: 'ERROR', why: `range '${part.trim()}' has begin > end (write ${e}-${b})` };
    pairs.push([b, e]);
  }
  return { kind: 'RANGES', pairs };
}

function parseSet(text: string): ValueText {
  if (!text.endsWith('}')) return { kind: 'ERROR', why: `set value '${text}' is missing its closing '}'` };
  const inner = text.slice(1, -1).trim();
  if (inner.length === 0) return { kind: 'SET', items: [] };
  const items = inner.split(',').map((s) => s.trim());
  if (items.some((s) => s.length === 0)) return { kind: 'ERROR', why: `set '${text}' has an empty item` };
  return { kind: 'SET', items };
}
