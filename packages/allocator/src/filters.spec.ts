import { describe, it, expect } from 'vitest';
import { RefusalFilters, refusalTimeoutMs } from './filters.js';

describe('refusalTimeoutMs', () => {
  it.each([
    { seconds: undefined, interval: 1000, want: 5000 },
    { seconds: 0, interval: 1000, want: 0 },
    { seconds: -3, interval: 1000, want: 5000 },
    { seconds: Number.NaN, interval: 1000, want: 5000 },
    { seconds: 0.2, interval: 1000, want: 1000 },
    { seconds: 120, interval: 1000, want: 120_000 },
    { seconds: 5, interval: 10_000, want: 10_000 },
    { seconds: 1e12, interval: 1000, want: 365 * 24 * 3600 * 1000 },
    { seconds: Infinity, interval: 1000, want: 365 * 24 * 3600 * 1000 },
  ])('refuse_seconds=$seconds, interval=$interval ms → $want ms', ({ seconds, interval, want }) => {
    expect(refusalTimeoutMs(seconds, interval)).toBe(want);
  });
});

describe('RefusalFilters', () => {
  it('hides subsets of the refused scalars until expiry', () => {
    const f = new RefusalFilters();
    f.add('fw', 'a1', 'r', [1000, 512_000], 5000);
    expect(f.isFiltered('fw', 'a1', 'r', [1000, 512_000], 4999)).toBe(true);
    expect(f.isFiltered('fw', 'a1', 'r', [500], 4999)).toBe(true);
    expect(f.isFiltered('fw', 'a1', 'r', [2000, 512_000], 4999)).toBe(false); // more to offer now
    expect(f.isFiltered('fw', 'a1', 'other', [1000], 4999)).toBe(false);
    expect(f.isFiltered('fw', 'a2', 'r', [1000], 4999)).toBe(false);
    expect(f.isFiltered('fw', 'a1', 'r', [1000], 5000)).toBe(false);
    expect(f.size).toBe(0); // the expired filter was dropped on lookup
  });

  it('clears by role, by agent, by framework and by sweep', () => {
    const f = new RefusalFilters();
    f.add('fw', 'a1', 'r1', [1], 10);
    f.add('fw', 'a1', 'r2', [1], 10);
    f.add('fw', 'a2', 'r1', [1], 20);
    f.add('fw2', 'a1', 'r1', [1], 10);
    f.clear('fw', new Set(['r2']));
    expect(f.size).toBe(3);
    f.clearAgent('a2');
    expect(f.size).toBe(2);
    f.clear('fw2');
    expect(f.size).toBe(1);
    f.sweep(10);
    expect(f.size).toBe(0);
  });

  it('keeps one filter per role on the same framework and agent; a new decline replaces that role only', () => {
    const f = new RefusalFilters();
    f.add('fw', 'a1', 'r1', [1000], 10);
    f.add('fw', 'a1', 'r2', [2000], 20);
    f.add('fw', 'a1', 'r1', [3000], 30); // replaces r1's filter
    expect(f.size).toBe(2);
    expect(f.isFiltered('fw', 'a1', 'r1', [3000], 15)).toBe(true);
    expect(f.isFiltered('fw', 'a1', 'r2', [3000], 15)).toBe(false);
    expect(f.isFiltered('fw', 'a1', 'r2', [2000], 25)).toBe(false); // r2 expired and dropped, r1 stays
    expect(f.size).toBe(1);
    expect(f.isFiltered('fw', 'a1', 'r1', [3000], 25)).toBe(true);
    f.sweep(30);
    expect(f.size).toBe(0);
    expect(f.isFiltered('fw', 'a1', 'r1', [1], 0)).toBe(false);
  });
});
