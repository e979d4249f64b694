// `mesos state frameworks.0.name`: a dotted path into a JSON document. Segments are object keys or array
// indexes; a key that itself contains dots can be quoted with brackets: `flags["work_dir"]`.
import { usage } from './errors.js';

/** Splits `a.b[0]["c.d"]` into ['a', 'b', '0', 'c.d']. */
export function parsePath(path: string): string[] {
  const out: string[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["([^"]*)"\]|(\.)/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while (last < path.length && (m = re.exec(path)) !== null) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(m[2]);
    else if (m[3] !== undefined) out.push(m[3]);
    last = re.lastIndex;
  }
  if (path === '' || last !== path.length || path.startsWith('.') || path.endsWith('.') || path.includes('..')) {
    throw usage(`cannot parse the path '${path}'; write it like frameworks.0.name or flags["work_dir"]`);
  }
  return out;
}

export type Lookup = { found: true; value: unknown } | { found: false; at: string; keys: string[] };

/** Follows the path; on a miss, says which prefix was missing and which keys were there. */
export function lookupPath(doc: unknown, path: string): Lookup {
  let cur: unknown = doc;
  const seen: string[] = [];
  for (const seg of parsePath(path)) {
    if (Array.isArray(cur)) {
      const i = /^\d+$/.test(seg) ? Number(seg) : NaN;
      if (!(i < cur.length)) return { found: false, at: [...seen, seg].join('.'), keys: cur.length === 0 ? [] : [`0..${cur.length - 1}`] };
      cur = cur[i];
    } else if (cur !== null && typeof cur === 'object' && Object.hasOwn(cur, seg)) {
      cur = (cur as Record<string, unknown>)[seg];
    } else {
      const keys = cur !== null && typeof cur === 'object' ? Object.keys(cur) : [];
      return { found: false, at: [...seen, seg].join('.'), keys };
    }
    seen.push(seg);
  }
  return { found: true, value: cur };
}
