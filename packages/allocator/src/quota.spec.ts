import { describe, it, expect } from 'vitest';
import { QuotaRound, type Quota } from './quota.js';

// Kinds: 0 = cpus, 1 = mem (milli-units).
const quota = (guarantees: number[], limits: [number, number][] = []): Quota => ({ guarantees, limits: new Map(limits) });

describe('QuotaRound', () => {
  it('computes required headroom from unmet guarantees', () => {
    const q = new QuotaRound(
      new Map([['a', quota([4000, 1000])], ['b', quota([2000])]]),
      (r) => (r === 'a' ? [1000, 2000] : []),
      [10000, 10000],
    );
    expect(q.requiredHeadroom).toEqual([5000, 0]);
    expect(q.hasUnmetGuarantee('a')).toBe(true);
    expect(q.hasUnmetGuarantee('a/child')).toBe(true);
    expect(q.hasUnmetGuarantee('c')).toBe(false);
  });

  it.each([
    // stage 1: guaranteed kinds up to the unmet amount, others only from the surplus
    { name: 'stage 1 fills the guarantee', stage: 1 as const, role: 'a', cand: [8000, 8000], want: [3000, 8000] },
    // stage 2: a role without quota only gets the surplus (10 free − 5 required cpus)
    { name: 'stage 2 keeps headroom', stage: 2 as const, role: 'c', cand: [8000, 8000], want: [5000, 8000] },
    // stage 2: the role may use its own unmet guarantee on top of the surplus
    { name: 'stage 2 own guarantee', stage: 2 as const, role: 'a', cand: [9000, 8000], want: [8000, 8000] },
    // limits: b is capped at 3 cpus and has consumed 0
    { name: 'limits cap', stage: 2 as const, role: 'b', cand: [9000, 0], want: [3000, 0] },
  ])('$name', ({ stage, role, cand, want }) => {
    const q = new QuotaRound(
      new Map([['a', quota([3000])], ['b', quota([2000], [[0, 3000]])]]),
      () => [],
      [10000, 10000],
    );
    expect(q.clip(role, cand, stage)).toEqual(want);
  });

  it('stage 1 gives nothing when no guaranteed kind is offered', () => {
    const q = new QuotaRound(new Map([['a', quota([3000])]]), () => [], [10000, 10000]);
    expect(q.clip('a', [0, 5000], 1)).toEqual([0, 0]);
  });

  it('commit lowers the unmet guarantee and the headroom', () => {
    const q = new QuotaRound(new Map([['a', quota([3000])]]), () => [], [10000]);
    q.commit('a', [2000]);
    expect(q.requiredHeadroom).toEqual([1000]);
    expect(q.clip('a', [5000], 1)).toEqual([1000]);
    q.commit('a', [1000]);
    expect(q.hasUnmetGuarantee('a')).toBe(false);
    expect(q.clip('z', [9000], 2)).toEqual([7000]);
  });
});
