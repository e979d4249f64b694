import { describe, it, expect } from 'vitest';
import { HierarchicalAllocator } from './index.js';
import { offered, res } from '../test/support.js';

function cluster(agents = 3) {
  const alloc = new HierarchicalAllocator();
  for (let i = 0; i < agents; i++) alloc.addAgent(`a${i}`, { hostname: `h${i}`, total: res('cpus:4;mem:1000') });
  return alloc;
}

describe('quota in allocation', () => {
  it('keeps headroom for an unmet guarantee even while its role has nobody asking', () => {
    const alloc = cluster();
    alloc.setQuota('z', { guarantees: { cpus: 8 } });
    alloc.addFramework('a', { roles: ['a'] });
    const offers = alloc.allocate(0);
    expect(offered(offers, 'cpus')).toBe(4); // 12 total − 8 kept for z
    expect(offered(offers, 'mem')).toBe(3000); // mem is not guaranteed: no headroom kept
    alloc.removeQuota('z');
    expect(offered(alloc.allocate(0), 'cpus')).toBe(8);
  });

  it('merges what stage 1 and stage 2 give one framework on one agent into a single offer', () => {
    const alloc = cluster(1);
    alloc.setQuota('q', { guarantees: { cpus: 1 } });
    alloc.addFramework('f', { roles: ['q'] });
    const offers = alloc.allocate(0);
    // Stage 1 gives the unmet guarantee (1 cpu) plus non-guaranteed mem, stage 2 the 3 cpus left.
    expect(offers.map((o) => [o.frameworkId, o.agentId, o.role, o.resources.toString()])).toEqual([
      ['f', 'a0', 'q', 'cpus(*)(allocated: q):4; mem(*)(allocated: q):1000'],
    ]);
  });

  it('never exceeds a limit, clipping the offer', () => {
    const alloc = cluster();
    alloc.setQuota('a', { limits: { cpus: 6 } });
    alloc.addFramework('a', { roles: ['a'] });
    const offers = alloc.allocate(0);
    expect(offered(offers, 'cpus')).toBe(6);
    expect(alloc.allocate(1000)).toEqual([]);
  });

  it('limits count the whole subtree of the role', () => {
    const alloc = cluster();
    alloc.setQuota('eng', { limits: { cpus: 5 } });
    alloc.addFramework('w', { roles: ['eng/web'] });
    alloc.addFramework('b', { roles: ['eng/batch'] });
    expect(offered(alloc.allocate(0), 'cpus')).toBe(5);
  });

  it('serves unmet guarantees first (stage 1), even for a role DRF would serve last', () => {
    const alloc = cluster();
    // z already holds most of the memory elsewhere, so DRF alone would give every free agent to a.
    alloc.addAgent('big', { hostname: 'big', total: res('cpus:0.1;mem:100000'), used: new Map([['zf', res('cpus:0.1;mem:100000').allocate('z')]]) });
    alloc.addFramework('af', { roles: ['a'] });
    alloc.addFramework('zf', { roles: ['z'] });
    const withoutQuota = cluster();
    withoutQuota.addAgent('big', { hostname: 'big', total: res('cpus:0.1;mem:100000'), used: new Map([['zf', res('cpus:0.1;mem:100000').allocate('z')]]) });
    withoutQuota.addFramework('af', { roles: ['a'] });
    withoutQuota.addFramework('zf', { roles: ['z'] });
    expect(offered(withoutQuota.allocate(0), 'cpus', (o) => o.role === 'z')).toBe(0);

    alloc.setQuota('z', { guarantees: { cpus: 8 } });
    const offers = alloc.allocate(0);
    expect(offered(offers, 'cpus', (o) => o.role === 'z')).toBe(7.9); // 8 guaranteed − 0.1 consumed
    expect(offered(offers, 'cpus', (o) => o.role === 'a')).toBe(4.1);
  });

  it('counts reservations as consumed quota', () => {
    const alloc = new HierarchicalAllocator();
    alloc.addAgent('r', { hostname: 'r', total: res('cpus(z):6;mem(z):100') });
    alloc.addAgent('u', { hostname: 'u', total: res('cpus:4;mem:100') });
    alloc.setQuota('z', { guarantees: { cpus: 8 } });
    alloc.addFramework('af', { roles: ['a'] });
    // z's 6 reserved cpus count towards its 8: only 2 must stay free.
    expect(offered(alloc.allocate(0), 'cpus', (o) => o.role === 'a')).toBe(2);
  });
});
