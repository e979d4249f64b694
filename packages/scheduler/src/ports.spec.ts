import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocatePorts, toRanges } from './ports.js';

describe('allocatePorts', () => {
  const ranges: Array<[number, number]> = [[31005, 31006], [31000, 31001]];
  it.each([
    [0, []],
    [1, [31000]],
    [3, [31000, 31001, 31005]],
    [4, [31000, 31001, 31005, 31006]],
    [5, undefined],
    [[31006], [31006]],
    [[31006, 31000], [31006, 31000]],
    [[31002], undefined],
    [[31000, 31000], undefined],
    [[], []],
  ] as const)('%j -> %j', (request, ports) => {
    expect(allocatePorts(ranges, request)).toEqual(ports);
  });

  it('never hands out a port outside the ranges or twice', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 500 }), fc.nat({ max: 20 })), { maxLength: 5 }),
        fc.nat({ max: 60 }),
        (pairs, n) => {
          const rs = pairs.map(([b, len]) => [b, b + len] as [number, number]);
          const got = allocatePorts(rs, n);
          const free = new Set(rs.flatMap(([b, e]) => Array.from({ length: e - b + 1 }, (_, i) => b + i)));
          if (got === undefined) return free.size < n;
          return got.length === n && new Set(got).size === n && got.every((p) => free.has(p));
        },
      ),
    );
  });
});

describe('toRanges', () => {
  it.each([
    [[], []],
    [[5], [[5, 5]]],
    [[3, 1, 2, 7], [[1, 3], [7, 7]]],
  ])('%j -> %j', (ports, ranges) => {
    expect(toRanges(ports)).toEqual(ranges);
  });
});
