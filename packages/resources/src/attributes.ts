// `--attributes` parsing and formatting: 'rack:abc;zone:west;os:centos5;level:10;keys:[1000-1500]'.
// Each value is a scalar when numeric, ranges when '[..]', a set when '{..}', else text.
// Text values may contain ':' (only the first ':' separates name and value).
import type { v1 } from '@mesos-ts/proto';
import { ResourcesError } from './errors.js';
import { canonicalRanges, formatRanges, rangePairs } from './ranges.js';
import { parseValueText } from './value-text.js';

export function parseAttributes(text: string): v1.Attribute[] {
  const out: v1.Attribute[] = [];
  for (const token of text.split(';')) {
    const t = token.trim();
    if (t.length === 0) continue;
    const fail = (why: string): never => {
      throw new ResourcesError('PARSE', `invalid attribute '${t}': ${why} (expected e.g. rack:abc, level:10 or keys:[1000-1500])`);
    };
    const colon = t.indexOf(':');
    if (colon < 0) fail("missing ':' between name and value");
    const name = t.slice(0, colon).trim();
    if (name.length === 0) fail('name is empty');
    const value = parseValueText(t.slice(colon + 1));
    switch (value.kind) {
      case 'SCALAR':
        out.push({ name, type: 'SCALAR', scalar: { value: value.value } });
        break;
      case 'RANGES':
        out.push({ name, type: 'RANGES', ranges: { range: toRanges(value.pairs) } });
        break;
      case 'SET':
        out.push({ name, type: 'SET', set: { item: value.items } });
        break;
      case 'TEXT':
        if (value.text.length === 0) fail('value is empty');
        out.push({ name, type: 'TEXT', text: { value: value.text } });
        break;
      case 'ERROR':
        fail(value.why);
    }
  }
  return out;
}

/** Inverse of parseAttributes: 'rack:abc;level:10;keys:[1000-1500];tags:{a,b}'. */
export function formatAttributes(attributes: readonly v1.Attribute[]): string {
  return attributes.map((a) => `${a.name}:${formatAttributeValue(a)}`).join(';');
}

function formatAttributeValue(a: v1.Attribute): string {
  switch (a.type) {
    case 'SCALAR':
      return String(a.scalar?.value ?? 0);
    case 'RANGES': {
      const pairs = (a.ranges?.range ?? []).map((r) => [Number(r.begin), Number(r.end)] as [number, number]);
      return formatRanges(canonicalRanges(pairs)).replaceAll(' ', '');
    }
    case 'SET':
      return `{${(a.set?.item ?? []).join(',')}}`;
    case 'TEXT':
      // A numeric-looking text (possible only from protobuf) reads back as a scalar, as in Mesos.
      return a.text?.value ?? '';
  }
}

function toRanges(pairs: Array<[number, number]>): v1.Value.Range[] {
  return rangePairs(canonicalRanges(pairs)).map(([b, e]) => ({ begin: BigInt(b), end: BigInt(e) }));
}
