// Many tasks ask for exactly the same resources (cpus:0.1;mem:32 …). Interning gives them one shared Resources
// value and one shared (frozen) protobuf list instead of a copy each, which is most of a running task's memory.
import type { v1 } from '@mesos-ts/proto';
import type { Resources } from '@mesos-ts/resources';

export interface InternedResources {
  readonly resources: Resources;
  readonly proto: readonly v1.Resource[];
}

export class ResourcesInterner {
  private readonly cache = new Map<string, InternedResources>();

  /** @param max distinct shapes kept; beyond it the oldest is forgotten (tasks keep their copy). */
  constructor(private readonly max = 10_000) {}

  intern(resources: Resources): InternedResources {
    const proto = resources.toProto();
    const key = JSON.stringify(proto, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    const hit = this.cache.get(key);
    if (hit) return hit;
    const entry: InternedResources = { resources, proto: Object.freeze(proto) };
    this.cache.set(key, entry);
    if (this.cache.size > this.max) this.cache.delete(this.cache.keys().next().value as string);
    return entry;
  }

  get size(): number {
    return this.cache.size;
  }
}
