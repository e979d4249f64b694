import { describe, it, expect } from 'vitest';
import { AllocatorError, HierarchicalAllocator, type Offer, type ScalarQuantities } from './index.js';
import { dynamicReservation, offered, res, revocable } from '../test/support.js';

const byFramework = (offers: readonly Offer[]) =>
  Object.fromEntries(offers.map((o) => [`${o.frameworkId}@${o.agentId}/${o.role}`, o.resources.unallocate().toString()]));

describe('HierarchicalAllocator: offers', () => {
  it('offers an agent to the framework with the lowest share and tracks it until recovered', () => {
    const alloc = new HierarchicalAllocator();
    alloc.addFramework('f1', { roles: ['r'] });
    alloc.addAgent('a1', { hostname: 'h1', total: res('cpus:4;mem:1024;ports:[31000-32000]') });
    const offers = alloc.allocate(1000);
    expect(offers).toHaveLength(1);
    expect(offers[0]?.role).toBe('r');
    expect(offers[0]?.resources.toProto().every((r) => r.allocation_info?.role === 'r')).toBe(true);
    expect(offers[0]?.resources.unallocate().equals(res('cpus:4;mem:1024;ports:[31000-32000]'))).toBe(true);
    expect(alloc.allocate(2000)).toEqual([]); // nothing is offered twice
    alloc.recoverResources('f1', 'a1', offers[0]!.resources, 2000, 0);
    expect(alloc.allocate(3000)).toHaveLength(1);
  });

  it('applies the decline filter until it expires, and only to that framework and agent', () => {
    const alloc = new HierarchicalAllocator();
    alloc.addFramework('f1', { roles: ['r'] });
    alloc.addAgent('a1', { hostname: 'h1', total: res('cpus:4;mem:1024') });
    const [offer] = alloc.allocate(0);
    alloc.recoverResources('f1', 'a1', offer!.resources, 0); // default 5 s
    expect(alloc.allocate(4999)).toEqual([]);
    expect(alloc.allocate(5000)).toHaveLength(1);
  });

  it('lets a filtered agent go to the next framework, and offers again when the agent has more', () => {
    const alloc = new HierarchicalAllocator();
    alloc.addFramework('f1', { roles: ['r'] });
    alloc.addAgent('a1', { hostname: 'h1', total: res('cpus:4;mem:1024') });
    const [first] = alloc.allocate(0);
    const half = res('cpus:2;mem:512').allocate('r');
    alloc.recoverResources('f1', 'a1', first!.resources.subtract(half), 0, 60); // keeps half "in use"
    alloc.addFramework('f2', { roles: ['r'] });
    expect(alloc.allocate(1000).map((o) => o.frameworkId)).toEqual(['f2']);
    alloc.recoverResources('f2', 'a1', first!.resources.subtract(half), 1000, 0);
    alloc.recoverResources('f1', 'a1', half, 1000, 0); // task ended: f1 now can be offered cpus:4 > refused cpus:2
    const again = alloc.allocate(2000);
    expect(again.map((o) => [o.frameworkId, o.resources.scalar('cpus')])).toEqual([['f1', 4]]);
  });

  it('suppress hides a role until revive; revive also clears filters', () => {
    const alloc = new HierarchicalAllocator();
    alloc.addFramework('f1', { roles: ['r'], suppressedRoles: ['r'] });
    alloc.addAgent('a1', { hostname: 'h1', total: res('cpus:4;mem:1024') });
    expect(alloc.allocate(0)).toEqual([]);
    alloc.revive('f1');
    const [offer] = alloc.allocate(1000);
    alloc.recoverResources('f1', 'a1', offer!.resources, 1000, 3600);
    expect(alloc.allocate(2000)).toEqual([]);
    alloc.revive('f1', ['r']);
    expect(alloc.allocate(2000)).toHaveLength(1);
    alloc.recoverResources('f1', 'a1', alloc.allocation('f1', 'a1').get('r')!, 2000, 0);
    alloc.suppress('f1');
    expect(alloc.allocate(3000)).toEqual([]);
  });

  it('skips deactivated frameworks, deactivated agents and agents in maintenance', () => {
    const alloc = new HierarchicalAllocator();
    alloc.addFramework('f1', { roles: ['r'] });
    alloc.addAgent('a1', { hostname: 'h1', total: res('cpus:1;mem:64') });
    alloc.addAgent('a2', { hostname: 'h2', total: res('cpus:1;mem:64') });
    alloc.deactivateFramework('f1');
    expect(alloc.allocate(0)).toEqual([]);
    alloc.activateFramework('f1');
    alloc.deactivateAgent('a1');
    alloc.setMaintenance('a2', true);
    expect(alloc.allocate(0)).toEqual([]);
    alloc.reactivateAgent('a1');
    expect(alloc.allocate(0).map((o) => o.agentId)).toEqual(['a1']);
    alloc.setMaintenance('a2', false);
    expect(alloc.allocate(0).map((o) => o.agentId)).toEqual(['a2']);
  });

  it('event-triggered runs touch only the named agents', () => {
    const alloc = new HierarchicalAllocator();
    alloc.addFramework('f1', { roles: ['r'] });
    alloc.addAgent('a1', { hostname: 'h1', total: res('cpus:1;mem:64') });
    alloc.addAgent('a2', { hostname: 'h2', total: res('cpus:1;mem:64') });
    expect(alloc.allocate(0, { agents: ['a2'] }).map((o) => o.agentId)).toEqual(['a2']);
    expect(alloc.allocate(0, { agents: ['nope'] })).toEqual([]);
  });

  it.each([
    { name: 'default: 0.01 cpus is enough', total: 'cpus:0.01;mem:1', min: undefined, want: 1 },
    { name: 'default: 32 MB is enough', total: 'cpus:0.001;mem:32', min: undefined, want: 1 },
    { name: 'default: neither', total: 'cpus:0.009;mem:31', min: undefined, want: 0 },
    { name: 'ports alone are not worth an offer', total: 'ports:[1-10]', min: undefined, want: 0 },
    { name: 'custom: needs both', total: 'cpus:1;mem:100', min: 'cpus:1;mem:128', want: 0 },
    { name: 'custom list form', total: 'cpus:1;mem:100', min: [{ disk: 1 }, { cpus: 1 }] as ScalarQuantities[], want: 1 },
  ])('minimum allocatable — $name', ({ total, min, want }) => {
    const alloc = new HierarchicalAllocator(min === undefined ? {} : { minAllocatable: min });
    alloc.addFramework('f1', { roles: ['r'] });
    alloc.addAgent('a1', { hostname: 'h1', total: res(total) });
    expect(alloc.allocate(0)).toHaveLength(want);
  });
});

describe('HierarchicalAllocator: who may get what', () => {
  it('reserved resources go only to their role and its descendants; unreserved to anyone', () => {
    const alloc = new HierarchicalAllocator();
    alloc.addFramework('ops', { roles: ['ops'] });
    alloc.addFramework('web', { roles: ['eng/web'] });
    alloc.addAgent('a1', { hostname: 'h1', total: res('cpus(eng):2;mem(eng):256;cpus(ops):1;mem(ops):64') });
    alloc.addAgent('a2', { hostname: 'h2', total: res('cpus:1;mem:64') });
    const offers = byFramework(alloc.allocate(0));
    expect(offers['web@a1/eng/web']).toBe(res('cpus(eng):2;mem(eng):256').toString());
    expect(offers['ops@a1/ops']).toBe(res('cpus(ops):1;mem(ops):64').toString());
    expect(Object.keys(offers)).toHaveLength(3); // a2 (unreserved) went to one of them
  });

  it('revocable resources only to REVOCABLE_RESOURCES frameworks', () => {
    const alloc = new HierarchicalAllocator();
    alloc.addFramework('plain', { roles: ['r'] });
    alloc.addAgent('a1', { hostname: 'h1', total: res('cpus:1;mem:64').add(revocable('cpus:4')) });
    const [first] = alloc.allocate(0);
    expect(first?.resources.revocable().isEmpty()).toBe(true);
    alloc.addFramework('rev', { roles: ['r'], capabilities: ['REVOCABLE_RESOURCES'] });
    const [second] = alloc.allocate(0);
    expect(second?.frameworkId).toBe('rev');
    expect(second?.resources.revocable().scalar('cpus')).toBe(4);
  });

  it('agents with gpus only to GPU_RESOURCES frameworks', () => {
    const alloc = new HierarchicalAllocator();
    alloc.addFramework('plain', { roles: ['r'] });
    alloc.addAgent('gpu', { hostname: 'h1', total: res('cpus:4;mem:1024;gpus:1') });
    expect(alloc.allocate(0)).toEqual([]);
    alloc.addFramework('ml', { roles: ['r'], capabilities: ['GPU_RESOURCES'] });
    expect(alloc.allocate(0).map((o) => [o.frameworkId, o.resources.scalar('gpus')])).toEqual([['ml', 1]]);
  });

  it('multi-role frameworks get offers per role, and need MULTI_ROLE', () => {
    expect(() => new HierarchicalAllocator().addFramework('f', { roles: ['a', 'b'] })).toThrow(AllocatorError);
    const alloc = new HierarchicalAllocator();
    alloc.addFramework('f', { roles: ['a', 'b'], capabilities: ['MULTI_ROLE'] });
    alloc.addAgent('a1', { hostname: 'h1', total: res('cpus(a):1;mem(a):64;cpus(b):2;mem(b):64') });
    const offers = alloc.allocate(0);
    expect(offers.map((o) => [o.role, o.resources.scalar('cpus')]).sort()).toEqual([['a', 1], ['b', 2]]);
    // Recovering one offer with both roles' resources splits them by allocation role.
    alloc.recoverResources('f', 'a1', offers[0]!.resources.add(offers[1]!.resources), 0, 0);
    expect(alloc.available('a1').equals(res('cpus(a):1;mem(a):64;cpus(b):2;mem(b):64'))).toBe(true);
  });
});

describe('HierarchicalAllocator: operations and agent changes', () => {
  it('updateAllocation converts an accepted reservation; the reservation then stays with its role', () => {
    const alloc = new HierarchicalAllocator();
    alloc.addFramework('f', { roles: ['eng'] });
    alloc.addFramework('g', { roles: ['ops'] });
    alloc.addAgent('a1', { hostname: 'h1', total: res('cpus:4;mem:1024') });
    const [offer] = alloc.allocate(0);
    expect(offer?.frameworkId).toBe('f');
    const toReserve = res('cpus:2;mem:512').allocate('eng').toProto();
    const reserved = dynamicReservation('cpus:2;mem:512', 'eng').allocate('eng').toProto();
    alloc.updateAllocation('f', 'a1', [{ type: 'RESERVE' as const, reserve: { resources: reserved, source: toReserve } }]);
    expect(alloc.allocation('f', 'a1').get('eng')?.reserved('eng').scalar('cpus')).toBe(2);
    alloc.recoverResources('f', 'a1', alloc.allocation('f', 'a1').get('eng')!, 0, 0);
    alloc.deactivateFramework('f');
    const offers = alloc.allocate(1000);
    expect(offers.map((o) => o.frameworkId)).toEqual(['g']);
    expect(offers[0]?.resources.reserved().isEmpty()).toBe(true);
    expect(offers[0]?.resources.scalar('cpus')).toBe(2);
  });

  it('updateAvailable applies operator reservations to free resources only', () => {
    const alloc = new HierarchicalAllocator();
    alloc.addAgent('a1', { hostname: 'h1', total: res('cpus:4;mem:1024') });
    const reserve = { type: 'RESERVE' as const, reserve: { resources: dynamicReservation('cpus:3', 'eng').toProto() } };
    alloc.updateAvailable('a1', [reserve]);
    expect(alloc.available('a1').reserved('eng').scalar('cpus')).toBe(3);
    expect(() => alloc.updateAvailable('a1', [reserve])).toThrow(expect.objectContaining({ code: 'INVALID_OPERATION' }));
  });

  it('keeps used resources reported by a re-registering agent allocated', () => {
    const alloc = new HierarchicalAllocator();
    alloc.addAgent('a1', { hostname: 'h1', total: res('cpus:4;mem:1024'), used: new Map([['f', res('cpus:3;mem:512').allocate('r')]]) });
    alloc.addFramework('f', { roles: ['r'] });
    expect(alloc.sortedFrameworks('r')[0]?.share).toBeCloseTo(0.75, 9);
    expect(alloc.allocate(0).map((o) => o.resources.unallocate().toString())).toEqual([res('cpus:1;mem:512').toString()]);
  });

  it('updateAgent refuses a total that no longer covers the allocation; removeAgent frees everything', () => {
    const alloc = new HierarchicalAllocator();
    alloc.addFramework('f', { roles: ['r'] });
    alloc.addAgent('a1', { hostname: 'h1', total: res('cpus:4;mem:1024') });
    alloc.allocate(0);
    expect(() => alloc.updateAgent('a1', { total: res('cpus:2;mem:1024') })).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_RESOURCES' }));
    alloc.updateAgent('a1', { total: res('cpus:8;mem:2048') });
    expect(alloc.available('a1').equals(res('cpus:4;mem:1024'))).toBe(true);
    alloc.removeAgent('a1');
    expect(alloc.sortedFrameworks('r')[0]?.share).toBe(0);
  });

  it('removeFramework returns its allocation and forgets its filters', () => {
    const alloc = new HierarchicalAllocator();
    alloc.addFramework('f', { roles: ['r'] });
    alloc.addAgent('a1', { hostname: 'h1', total: res('cpus:4;mem:1024') });
    alloc.allocate(0);
    alloc.removeFramework('f');
    expect(alloc.available('a1').equals(res('cpus:4;mem:1024'))).toBe(true);
    expect(alloc.sortedRoles()).toEqual([]);
  });

  it.each([
    { name: 'unknown framework', call: (a: HierarchicalAllocator) => a.suppress('nope'), code: 'UNKNOWN_FRAMEWORK' },
    { name: 'unknown agent', call: (a: HierarchicalAllocator) => a.setMaintenance('nope', true), code: 'UNKNOWN_AGENT' },
    { name: 'bad role', call: (a: HierarchicalAllocator) => a.addFramework('x', { roles: ['a//b'] }), code: 'INVALID_ROLE' },
    { name: 'bad weight', call: (a: HierarchicalAllocator) => a.updateWeights({ r: 0 }), code: 'INVALID_WEIGHT' },
    { name: 'guarantee above limit', call: (a: HierarchicalAllocator) => a.setQuota('r', { guarantees: { cpus: 2 }, limits: { cpus: 1 } }), code: 'INVALID_QUOTA' },
    { name: 'recover more than held', call: (a: HierarchicalAllocator) => a.recoverResources('f', 'a1', res('cpus:99').allocate('r'), 0), code: 'INSUFFICIENT_RESOURCES' },
  ])('rejects $name with a typed error', ({ call, code }) => {
    const alloc = new HierarchicalAllocator();
    alloc.addFramework('f', { roles: ['r'] });
    alloc.addAgent('a1', { hostname: 'h1', total: res('cpus:4;mem:1024') });
    alloc.allocate(0);
    expect(() => call(alloc)).toThrow(expect.objectContaining({ name: 'AllocatorError', code }));
  });
});

it('needs allocation_info to split what a multi-role framework returns', () => {
  const alloc = new HierarchicalAllocator();
  alloc.addFramework('f', { roles: ['a', 'b'], capabilities: ['MULTI_ROLE'] });
  alloc.addAgent('a1', { hostname: 'h1', total: res('cpus(a):1;mem(a):64;cpus(b):1;mem(b):64') });
  alloc.allocate(0);
  expect(() => alloc.recoverResources('f', 'a1', res('cpus(a):1'), 0)).toThrow(expect.objectContaining({ code: 'INVALID_RESOURCES' }));
});

it('updateFramework moves a framework to new roles; what it holds in the old role stays until recovered', () => {
  const alloc = new HierarchicalAllocator();
  alloc.addFramework('f', { roles: ['a'] });
  alloc.addAgent('a1', { hostname: 'h1', total: res('cpus:4;mem:1024') });
  const [offer] = alloc.allocate(0);
  alloc.updateFramework('f', { roles: ['b'] });
  expect(alloc.sortedRoles()).toEqual(['b']);
  expect(alloc.allocation('f', 'a1').get('a')?.scalar('cpus')).toBe(4);
  alloc.recoverResources('f', 'a1', offer!.resources, 0, 0);
  expect(alloc.allocate(1000).map((o) => o.role)).toEqual(['b']);
});

it('ignores fairSharingExcludedResourceNames when computing shares', () => {
  const make = (excluded: string[]) => {
    const alloc = new HierarchicalAllocator({ fairSharingExcludedResourceNames: excluded });
    alloc.addAgent('a1', { hostname: 'h1', total: res('cpus:10;mem:1000;disk:100'), used: new Map([['f', res('cpus:1;disk:90').allocate('r')], ['g', res('cpus:2').allocate('r')]]) });
    alloc.addFramework('f', { roles: ['r'] });
    alloc.addFramework('g', { roles: ['r'] });
    return alloc.sortedFrameworks('r').map((x) => x.id);
  };
  expect(make([])).toEqual(['g', 'f']); // f dominated by disk (0.9)
  expect(make(['disk'])).toEqual(['f', 'g']); // cpus only: 0.1 < 0.2
});

describe('HierarchicalAllocator: offered totals', () => {
  it('sums offers by framework', () => {
    const alloc = new HierarchicalAllocator();
    alloc.addFramework('f', { roles: ['r'] });
    for (let i = 0; i < 3; i++) alloc.addAgent(`a${i}`, { hostname: `h${i}`, total: res('cpus:2;mem:64') });
    expect(offered(alloc.allocate(0), 'cpus', (o) => o.frameworkId === 'f')).toBe(6);
  });
});
