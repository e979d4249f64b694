// Test helpers: building resources and simulating frameworks that launch, decline or finish.
import { Resources } from '@mesos-ts/resources';
import type { HierarchicalAllocator, Offer } from '../src/index.js';

export const res = (text: string): Resources => Resources.parse(text);

export function revocable(text: string): Resources {
  return Resources.fromProto(res(text).toProto().map((r) => ({ ...r, revocable: {} })));
}

export function dynamicReservation(text: string, role: string): Resources {
  return res(text).pushReservation({ type: 'DYNAMIC', role, principal: 'ops' });
}

/** Sum of a scalar over offers, optionally only those of one framework or role. */
export function offered(offers: readonly Offer[], name: string, pick: (o: Offer) => boolean = () => true): number {
  return Math.round(offers.filter(pick).reduce((sum, o) => sum + o.resources.scalar(name), 0) * 1000) / 1000;
}

/**
 * Progressive filling driven through the allocator: each offer's framework launches one task of its shape if it
 * fits (keeping it allocated) and returns the rest; a framework that cannot use an offer declines it with a long
 * filter. Stops after a cycle that launched nothing. Returns tasks launched per framework.
 */
export function fillWithTasks(alloc: HierarchicalAllocator, shapes: ReadonlyMap<string, Resources>, maxCycles = 200): Map<string, number> {
  const tasks = new Map<string, number>([...shapes.keys()].map((k) => [k, 0]));
  let now = 0;
  for (let cycle = 0; cycle < maxCycles; cycle++) {
    now += 1000;
    const offers = alloc.allocate(now);
    if (offers.length === 0) break;
    for (const o of offers) {
      const shape = (shapes.get(o.frameworkId) as Resources).allocate(o.role);
      if (o.resources.contains(shape)) {
        tasks.set(o.frameworkId, (tasks.get(o.frameworkId) ?? 0) + 1);
        alloc.recoverResources(o.frameworkId, o.agentId, o.resources.subtract(shape), now, 0);
      } else {
        alloc.recoverResources(o.frameworkId, o.agentId, o.resources, now, 1e6);
      }
    }
  }
  return tasks;
}
