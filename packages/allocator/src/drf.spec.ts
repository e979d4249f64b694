// The worked example of the DRF paper (Ghodsi et al., NSDI 2011, §4) and weighted variants, driven through
// the allocator with one task launched per offer.
import { describe, it, expect } from 'vitest';
import { HierarchicalAllocator } from './index.js';
import { fillWithTasks, res } from '../test/support.js';

describe('DRF through the allocator', () => {
  it('reproduces the paper: A <1 CPU, 4 GB> gets 3 tasks, B <3 CPUs, 1 GB> gets 2; both dominant shares 2/3', () => {
    const alloc = new HierarchicalAllocator();
    alloc.addFramework('A', { roles: ['users'] });
    alloc.addFramework('B', { roles: ['users'] });
    alloc.addAgent('s1', { hostname: 'h1', total: res('cpus:9;mem:18432') });
    const tasks = fillWithTasks(alloc, new Map([['A', res('cpus:1;mem:4096')], ['B', res('cpus:3;mem:1024')]]));
    expect(Object.fromEntries(tasks)).toEqual({ A: 3, B: 2 });
    const shares = Object.fromEntries(alloc.sortedFrameworks('users').map((f) => [f.id, f.share]));
    expect(shares['A']).toBeCloseTo(2 / 3, 9);
    expect(shares['B']).toBeCloseTo(2 / 3, 9);
  });

  it('scales with the cluster: twice the cluster, twice the tasks', () => {
    const alloc = new HierarchicalAllocator();
    alloc.addFramework('A', { roles: ['users'] });
    alloc.addFramework('B', { roles: ['users'] });
    alloc.addAgent('s1', { hostname: 'h1', total: res('cpus:18;mem:36864') });
    const tasks = fillWithTasks(alloc, new Map([['A', res('cpus:1;mem:4096')], ['B', res('cpus:3;mem:1024')]]));
    expect(Object.fromEntries(tasks)).toEqual({ A: 6, B: 4 });
  });

  it.each([
    { weightB: 1, want: { A: 5, B: 4 } }, // 9 unit slots: shares tie, A first by name
    { weightB: 2, want: { A: 3, B: 6 } },
    { weightB: 8, want: { A: 1, B: 8 } },
  ])('role weights divide the share: weight(b)=$weightB → $want', ({ weightB, want }) => {
    const alloc = new HierarchicalAllocator();
    alloc.updateWeights({ b: weightB });
    alloc.addFramework('A', { roles: ['a'] });
    alloc.addFramework('B', { roles: ['b'] });
    alloc.addAgent('s1', { hostname: 'h1', total: res('cpus:9;mem:9216') });
    const tasks = fillWithTasks(alloc, new Map([['A', res('cpus:1;mem:1024')], ['B', res('cpus:1;mem:1024')]]));
    expect(Object.fromEntries(tasks)).toEqual(want);
  });

  it('weights apply per node of a role tree', () => {
    const alloc = new HierarchicalAllocator();
    alloc.updateWeights({ eng: 2 });
    alloc.addFramework('E1', { roles: ['eng/web'] });
    alloc.addFramework('E2', { roles: ['eng/batch'] });
    alloc.addFramework('O', { roles: ['ops'] });
    alloc.addAgent('s1', { hostname: 'h1', total: res('cpus:12;mem:12288') });
    const shape = res('cpus:1;mem:1024');
    const tasks = fillWithTasks(alloc, new Map([['E1', shape], ['E2', shape], ['O', shape]]));
    // eng (weight 2) gets twice ops' share, split evenly between its two children.
    expect(Object.fromEntries(tasks)).toEqual({ E1: 4, E2: 4, O: 4 });
  });
});
