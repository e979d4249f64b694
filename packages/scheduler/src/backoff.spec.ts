import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it.each([
    [0, 0, 250],
    [0, 0.999999, 500],
    [1, 0, 500],
    [3, 0, 2_000],
    [5, 0, 7_500],
    [6, 0, 7_500],
    [100, 0.999999, 15_000],
  ])('attempt %d, random %d -> %d ms', (attempt, r, ms) => {
    expect(backoffDelay(attempt, () => r)).toBe(ms);
  });

  it('stays within [base/2, base] and never exceeds the cap', () => {
    fc.assert(
      fc.property(fc.nat({ max: 200 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const d = backoffDelay(attempt, () => r, { initialMs: 100, maxMs: 15_000 });
        const base = Math.min(15_000, 100 * 2 ** Math.min(attempt, 40));
        return d >= base / 2 - 1 && d <= base && d <= 15_000;
      }),
    );
  });
});
