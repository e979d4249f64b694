import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalRanges, rangesContain, subtractRanges, unionRanges, formatRanges, rangesSize } from './ranges.js';

/** Model: the explicit set of covered integers. */
function cover(list: readonly number[]): Set<number> {
  const s = new Set<number>();
  for (let i = 0; i < list.length; i += 2) for (let v = list[i]!; v <= list[i + 1]!; v++) s.add(v);
  return s;
}

function isCanonical(list: readonly number[]): boolean {
  for (let i = 0; i < list.length; i += 2) {
    if (list[i]! > list[i + 1]!) return false;
    if (i > 0 && list[i]! <= list[i - 1]! + 1) return false; // overlapping or adjacent
  }
  return true;
}

const pairs = fc.array(
  fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 8 })).map(([b, len]) => [b, b + len] as [number, number]),
  { maxLength: 6 },
);

describe('ranges', () => {
  it.each([
    { input: [[3, 4], [1, 2]] as Array<[number, number]>, want: [1, 4] },
    { input: [[1, 5], [2, 3]] as Array<[number, number]>, want: [1, 5] },
    { input: [[10, 20], [1, 2]] as Array<[number, number]>, want: [1, 2, 10, 20] },
    { input: [] as Array<[number, number]>, want: [] },
  ])('canonicalRanges($input) = $want', ({ input, want }) => {
    expect(canonicalRanges(input)).toEqual(want);
  });

  it.each([
    { a: [1, 10, 20, 30], b: [5, 22], want: [1, 4, 23, 30] },
    { a: [1, 10], b: [1, 10], want: [] },
    { a: [1, 10], b: [3, 3, 5, 5], want: [1, 2, 4, 4, 6, 10] },
    { a: [31000, 32000], b: [], want: [31000, 32000] },
  ])('subtractRanges($a, $b) = $want', ({ a, b, want }) => {
    expect(subtractRanges(a, b)).toEqual(want);
  });

  it('formats like Mesos and counts values', () => {
    expect(formatRanges([31000, 32000, 40000, 40005])).toBe('[31000-32000, 40000-40005]');
    expect(rangesSize([31000, 32000])).toBe(1001);
  });

  it('union/subtract/contains agree with the set model and stay canonical', () => {
    fc.assert(
      fc.property(pairs, pairs, (pa, pb) => {
        const a = canonicalRanges(pa);
        const b = canonicalRanges(pb);
        const sa = cover(a);
        const sb = cover(b);
        expect(isCanonical(a)).toBe(true);
        const u = unionRanges(a, b);
        expect(isCanonical(u)).toBe(true);
        expect(cover(u)).toEqual(new Set([...sa, ...sb]));
        const d = subtractRanges(a, b);
        expect(isCanonical(d)).toBe(true);
        expect(cover(d)).toEqual(new Set([...sa].filter((v) => !sb.has(v))));
        expect(rangesContain(a, b)).toBe([...sb].every((v) => sa.has(v)));
      }),
      { numRuns: 300 },
    );
  });
});
