// Safety properties of allocation runs over random clusters, frameworks and framework behaviour.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Resources, reservationRole } from '@mesos-ts/resources';
import { HierarchicalAllocator, type FrameworkCapability, type Offer } from './index.js';
import { isSelfOrAncestor } from './role-tree.js';
import { res, revocable } from '../test/support.js';

const ROLES = ['a', 'b', 'a/x', 'c'] as const;

const agentArb = fc.record({
  cpus: fc.integer({ min: 1, max: 8 }),
  mem: fc.integer({ min: 16, max: 4096 }),
  reservedRole: fc.option(fc.constantFrom(...ROLES), { nil: undefined }),
  revocableCpus: fc.integer({ min: 0, max: 2 }),
  gpus: fc.integer({ min: 0, max: 1 }),
});
const frameworkArb = fc.record({
  roles: fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 2 }),
  revocable: fc.boolean(),
  gpu: fc.boolean(),
});
// Per offer: 0 = decline with filter, 1 = decline without filter, 2 = keep (tasks launched).
const scenarioArb = fc.record({
  agents: fc.array(agentArb, { minLength: 1, maxLength: 6 }),
  frameworks: fc.array(frameworkArb, { minLength: 1, maxLength: 5 }),
  actions: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 40 }),
  releaseEvery: fc.integer({ min: 2, max: 4 }),
  cycles: fc.integer({ min: 1, max: 6 }),
  seed: fc.integer(),
});

function agentTotal(a: { cpus: number; mem: number; reservedRole: string | undefined; revocableCpus: number; gpus: number }): Resources {
  let total = res(`cpus:${a.cpus};mem:${a.mem}`);
  if (a.reservedRole) total = total.add(res(`cpus(${a.reservedRole}):1;mem(${a.reservedRole}):32`));
  if (a.revocableCpus > 0) total = total.add(revocable(`cpus:${a.revocableCpus}`));
  if (a.gpus > 0) total = total.add(res(`gpus:${a.gpus}`));
  return total;
}

describe('allocator safety (property)', () => {
  it('offers only free resources, never twice, to eligible frameworks; DRF order matches a recomputation', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const alloc = new HierarchicalAllocator({ seed: s.seed });
        const totals = new Map<string, Resources>();
        s.agents.forEach((a, i) => {
          const total = agentTotal(a);
          totals.set(`a${i}`, total);
          alloc.addAgent(`a${i}`, { hostname: `h${i}`, total });
        });
        const caps = new Map<string, Set<FrameworkCapability>>();
        s.frameworks.forEach((f, i) => {
          const c = new Set<FrameworkCapability>(['MULTI_ROLE']);
          if (f.revocable) c.add('REVOCABLE_RESOURCES');
          if (f.gpu) c.add('GPU_RESOURCES');
          caps.set(`f${i}`, c);
          alloc.addFramework(`f${i}`, { roles: f.roles, capabilities: [...c] });
        });
        const kept: Offer[] = [];
        let step = 0;
        for (let cycle = 1; cycle <= s.cycles; cycle++) {
          const now = cycle * 1000;
          const before = new Map([...totals.keys()].map((id) => [id, alloc.available(id)]));
          const offers = alloc.allocate(now);
          const perAgent = new Map<string, Resources>();
          for (const o of offers) {
            const plain = o.resources.unallocate();
            perAgent.set(o.agentId, (perAgent.get(o.agentId) ?? Resources.empty()).add(plain));
            for (const r of o.resources.reserved()) expect(isSelfOrAncestor(reservationRole(r), o.role)).toBe(true);
            if (!o.resources.revocable().isEmpty()) expect(caps.get(o.frameworkId)?.has('REVOCABLE_RESOURCES')).toBe(true);
            if (totals.get(o.agentId)!.scalar('gpus') > 0) expect(caps.get(o.frameworkId)?.has('GPU_RESOURCES')).toBe(true);
            expect(s.frameworks[Number(o.frameworkId.slice(1))]?.roles).toContain(o.role);
          }
          for (const [agentId, sum] of perAgent) expect(before.get(agentId)!.contains(sum)).toBe(true);
          for (const o of offers) {
            const action = s.actions[step++ % s.actions.length];
            if (action === 2) kept.push(o);
            else alloc.recoverResources(o.frameworkId, o.agentId, o.resources, now, action === 0 ? 5 : 0);
          }
          if (cycle % s.releaseEvery === 0) {
            for (const o of kept.splice(0)) alloc.recoverResources(o.frameworkId, o.agentId, o.resources, now, 0);
          }
          checkConservation(alloc, totals, s.frameworks.length);
          checkDrfOrder(alloc, totals, s.frameworks.length);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('share guarantee: n frameworks with unbounded demand on k equal agents each get at least floor(k/n) agents', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 30 }), fc.integer(), (n, k, seed) => {
        const alloc = new HierarchicalAllocator({ seed });
        for (let i = 0; i < n; i++) alloc.addFramework(`f${i}`, { roles: ['r'] });
        for (let i = 0; i < k; i++) alloc.addAgent(`a${i}`, { hostname: `h${i}`, total: res('cpus:2;mem:512') });
        const perFramework = new Map<string, number>();
        for (const o of alloc.allocate(0)) perFramework.set(o.frameworkId, (perFramework.get(o.frameworkId) ?? 0) + 1);
        for (let i = 0; i < n; i++) expect(perFramework.get(`f${i}`) ?? 0).toBeGreaterThanOrEqual(Math.floor(k / n));
        const shares = alloc.sortedFrameworks('r').map((f) => f.share);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1 / k + 1e-9);
      }),
      { numRuns: 100 },
    );
  });
});

/** total = available + Σ allocations, on every agent. */
function checkConservation(alloc: HierarchicalAllocator, totals: Map<string, Resources>, frameworks: number): void {
  for (const [agentId, total] of totals) {
    let sum = alloc.available(agentId);
    for (let f = 0; f < frameworks; f++) for (const r of alloc.allocation(`f${f}`, agentId).values()) sum = sum.add(r.unallocate());
    expect(sum.equals(total)).toBe(true);
  }
}

/** Framework order per role equals shares recomputed from scratch (allocation / cluster total), ascending. */
function checkDrfOrder(alloc: HierarchicalAllocator, totals: Map<string, Resources>, frameworks: number): void {
  const cluster = [...totals.values()].reduce((a, b) => a.add(b), Resources.empty()).scalars();
  for (const role of ROLES) {
    const sorted = alloc.sortedFrameworks(role);
    for (const { id, share } of sorted) {
      let held = Resources.empty();
      for (const agentId of totals.keys()) held = held.add(alloc.allocation(id, agentId).get(role) ?? Resources.empty());
      let brute = 0;
      for (const [name, v] of held.scalars()) brute = Math.max(brute, v / (cluster.get(name) ?? Infinity));
      expect(share).toBeCloseTo(brute, 9);
    }
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.share).toBeGreaterThanOrEqual(sorted[i - 1]!.share);
    expect(sorted.length).toBeLessThanOrEqual(frameworks);
  }
}
