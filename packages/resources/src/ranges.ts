// Range math on canonical range lists. A canonical list is a flat array
// [begin0, end0, begin1, end1, …] of inclusive bounds, sorted by begin, with no overlapping or
// adjacent intervals ([1-2] and [3-4] coalesce into [1-4]), as Mesos coalesces Value.Ranges.
// Bounds are safe non-negative integers (Mesos' uint64 limited to 2^53-1 here).

export type RangeList = readonly number[];

/** Canonicalizes arbitrary [begin, end] pairs (each begin <= end). */
export function canonicalRanges(pairs: ReadonlyArray<readonly [number, number]>): number[] {
  const sorted = [...pairs].sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [b, e] of sorted) {
    const last = out.length - 1;
    if (last > 0 && b <= out[last]! + 1) {
      if (e > out[last]!) out[last] = e;
    } else {
      out.push(b, e);
    }
  }
  return out;
}

/** Appends [b, e] to a canonical list being built in begin order, coalescing with its tail. */
function pushCoalesced(out: number[], b: number, e: number): void {
  const last = out.length - 1;
  if (last > 0 && b <= out[last]! + 1) {
    if (e > out[last]!) out[last] = e;
  } else {
    out.push(b, e);
  }
}

/** Union of two canonical lists (linear merge). */
export function unionRanges(a: RangeList, b: RangeList): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! <= b[j]!)) {
      pushCoalesced(out, a[i]!, a[i + 1]!);
      i += 2;
    } else {
      pushCoalesced(out, b[j]!, b[j + 1]!);
      j += 2;
    }
  }
  return out;
}

/** True when every interval of `b` lies inside one interval of `a` (both canonical). */
export function rangesContain(a: RangeList, b: RangeList): boolean {
  let i = 0;
  for (let j = 0; j < b.length; j += 2) {
    const bb = b[j]!;
    const be = b[j + 1]!;
    // Canonical lists are disjoint, so an interval of b fits in at most one interval of a.
    while (i < a.length && a[i + 1]! < bb) i += 2;
    if (i >= a.length || a[i]! > bb || a[i + 1]! < be) return false;
  }
  return true;
}

/** `a` minus `b` (both canonical); the result is canonical. */
export function subtractRanges(a: RangeList, b: RangeList): number[] {
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let cur = a[i]!;
    const end = a[i + 1]!;
    while (j < b.length && b[j + 1]! < cur) j += 2;
    let k = j;
    while (cur <= end && k < b.length && b[k]! <= end) {
      if (b[k]! > cur) out.push(cur, b[k]! - 1);
      cur = Math.max(cur, b[k + 1]! + 1);
      k += 2;
    }
    if (cur <= end) out.push(cur, end);
  }
  return out;
}

export function rangesEqual(a: RangeList, b: RangeList): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Number of values covered, e.g. [31000-32000] → 1001. */
export function rangesSize(a: RangeList): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 2) n += a[i + 1]! - a[i]! + 1;
  return n;
}

/** Pairs view of a canonical list. */
export function rangePairs(a: RangeList): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < a.length; i += 2) out.push([a[i]!, a[i + 1]!]);
  return out;
}

/** Mesos' text form: '[31000-32000, 40000-40005]'. */
export function formatRanges(a: RangeList): string {
  const parts: string[] = [];
  for (let i = 0; i < a.length; i += 2) parts.push(`${a[i]}-${a[i + 1]}`);
  return `[${parts.join(', ')}]`;
}
