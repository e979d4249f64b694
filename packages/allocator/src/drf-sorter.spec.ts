import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DrfSorter, dominantShare, type ShareContext } from './drf-sorter.js';

const ctx = (total: number[], excluded: boolean[] = []): ShareContext => ({ total, excluded });

describe('dominantShare', () => {
  it.each([
    { alloc: [3000, 12000], total: [9000, 18000], weight: 1, want: 2 / 3 },
    { alloc: [6000, 2000], total: [9000, 18000], weight: 1, want: 2 / 3 },
    { alloc: [6000, 2000], total: [9000, 18000], weight: 2, want: 1 / 3 },
    { alloc: [0, 0], total: [9000, 18000], weight: 1, want: 0 },
    { alloc: [1000], total: [0], weight: 1, want: 0 },
  ])('$alloc of $total with weight $weight → $want', ({ alloc, total, weight, want }) => {
    expect(dominantShare(alloc, ctx(total), weight)).toBeCloseTo(want, 9);
  });

  it('skips excluded kinds', () => {
    expect(dominantShare([1000, 9000], ctx([10000, 10000], [false, true]), 1)).toBeCloseTo(0.1, 9);
  });
});

describe('DrfSorter', () => {
  it('orders by share, then allocation count, then name', () => {
    const s = new DrfSorter(ctx([10000]));
    for (const n of ['c', 'b', 'a']) s.add(n);
    expect(s.sorted().map((c) => c.name)).toEqual(['a', 'b', 'c']);
    s.allocated('a', [1000]);
    expect(s.sorted().map((c) => c.name)).toEqual(['b', 'c', 'a']);
    s.unallocated('a', [1000]); // share 0 again but count 1
    expect(s.sorted().map((c) => c.name)).toEqual(['b', 'c', 'a']);
    s.allocated('b', [500]);
    expect(s.sorted().map((c) => c.name)).toEqual(['c', 'a', 'b']);
  });

  it('recomputes every share after the totals change', () => {
    const total = [10000, 10000];
    const s = new DrfSorter({ total, excluded: [] });
    s.add('x');
    s.add('y');
    s.allocated('x', [2000, 0]);
    s.allocated('y', [0, 3000]);
    expect(s.sorted().map((c) => c.name)).toEqual(['x', 'y']);
    total[0] = 1000; // x now dominates cpus
    s.invalidate();
    expect(s.sorted().map((c) => c.name)).toEqual(['y', 'x']);
  });

  it('incremental order equals a brute-force sort (property)', () => {
    const op = fc.record({ client: fc.integer({ min: 0, max: 7 }), amount: fc.integer({ min: 0, max: 5000 }), kind: fc.integer({ min: 0, max: 2 }), free: fc.boolean() });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const c = ctx([20000, 30000, 40000]);
        const s = new DrfSorter(c);
        for (let i = 0; i < 8; i++) s.add(`f${i}`);
        for (const o of ops) {
          const vec = [0, 0, 0];
          vec[o.kind] = o.amount;
          const client = s.get(`f${o.client}`);
          if (o.free && client && (client.alloc[o.kind] ?? 0) >= o.amount) s.unallocated(`f${o.client}`, vec);
          else s.allocated(`f${o.client}`, vec);
          s.sorted(); // interleave reads so the incremental path is exercised
        }
        const got = s.sorted().map((x) => x.name);
        const brute = [...got]
          .map((name) => {
            const cl = s.get(name)!;
            return { name, share: Math.max(...cl.alloc.map((v, i) => v / (c.total[i] ?? 1)), 0), count: cl.count };
          })
          .sort((a, b) => a.share - b.share || a.count - b.count || (a.name < b.name ? -1 : 1))
          .map((x) => x.name);
        expect(got).toEqual(brute);
      }),
      { numRuns: 200 },
    );
  });
});
