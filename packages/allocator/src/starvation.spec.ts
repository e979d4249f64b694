// Offer starvation (upstream users' most common complaint, §1.6): many frameworks that decline everything must
// not keep the others from ever seeing an offer.
//
// Bound: with A agents, F frameworks in one role that decline every offer with the default 5 s filter, and a
// 1 s interval, every framework gets an offer within K = ceil(F / A) cycles. Why: a declined offer returns the
// framework's share to 0 but its allocation count (the DRF tie-breaker) keeps growing, so among equal shares the
// frameworks offered least come first; each agent goes to one framework per cycle, so each cycle serves A
// frameworks that were never (or least recently) served. Refusal filters never block this: a framework is only
// filtered on agents it declined, and while F/A <= 5 it is not due again before its filters expire.
import { describe, it, expect } from 'vitest';
import { HierarchicalAllocator } from './index.js';
import { res } from '../test/support.js';

function run(frameworks: number, agents: number, cycles: number) {
  const alloc = new HierarchicalAllocator({ seed: 7 });
  for (let f = 0; f < frameworks; f++) alloc.addFramework(`fw${String(f).padStart(3, '0')}`, { roles: ['shared'] });
  for (let a = 0; a < agents; a++) alloc.addAgent(`agent${a}`, { hostname: `h${a}`, total: res('cpus:8;mem:16384') });
  const firstOffer = new Map<string, number>();
  const offerCount = new Map<string, number>();
  for (let cycle = 1; cycle <= cycles; cycle++) {
    const now = cycle * 1000;
    for (const o of alloc.allocate(now)) {
      if (!firstOffer.has(o.frameworkId)) firstOffer.set(o.frameworkId, cycle);
      offerCount.set(o.frameworkId, (offerCount.get(o.frameworkId) ?? 0) + 1);
      alloc.recoverResources(o.frameworkId, o.agentId, o.resources, now); // decline, default 5 s filter
    }
  }
  return { firstOffer, offerCount };
}

describe('no offer starvation with many declining frameworks', () => {
  it.each([
    { frameworks: 50, agents: 10 },
    { frameworks: 40, agents: 10 },
    { frameworks: 7, agents: 3 },
  ])('$frameworks frameworks, $agents agents: all offered within ceil(F/A) cycles', ({ frameworks, agents }) => {
    const k = Math.ceil(frameworks / agents);
    const { firstOffer } = run(frameworks, agents, k);
    expect(firstOffer.size).toBe(frameworks);
    expect(Math.max(...firstOffer.values())).toBeLessThanOrEqual(k);
  });

  it('keeps serving everyone evenly over time (50 frameworks, 10 agents, 100 cycles)', () => {
    const { offerCount } = run(50, 10, 100);
    const counts = [...offerCount.values()];
    expect(counts).toHaveLength(50);
    // 10 offers per cycle over 100 cycles = 1000 offers, 20 each; allow one turn of slack.
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(19);
    expect(Math.max(...counts)).toBeLessThanOrEqual(21);
  });
});
