// The scheduler's durable state in a framework-kit StateStore (`zk:` under CASSANDRA_ZK, else `file:`): the
// configuration (stored on first start, then it wins over the environment, as upstream), the nodes with their
// agents, ports, tasks, seeds and replacement marks, and the cluster jobs. One versioned document, written before
// any Mesos call that depends on it, so a scheduler killed at any point restarts from what it had decided.
import type { StateStore } from '@mesos-ts/framework-kit';
import type { Snapshot } from '../api/routes.js';
import { ensureNodes } from '../domain/commands.js';
import { effectiveConfig } from '../domain/config.js';

const KEY = 'ring';

export class RingStore {
  private constructor(
    private readonly store: StateStore,
    private version: number | undefined,
  ) {}

  /** The stored snapshot, or a new ring from the environment; `source` says which config is used. */
  static async load(store: StateStore, env: Readonly<Record<string, string | undefined>>): Promise<{ ringStore: RingStore; snapshot: Snapshot; source: 'stored' | 'env' }> {
    const stored = await store.get<Snapshot>(KEY);
    const { config, source } = effectiveConfig(stored?.value.ring?.config, env);
    const snapshot: Snapshot = {
      ring: ensureNodes({ config, nodes: stored?.value.ring?.nodes ?? [] }),
      jobs: stored?.value.jobs ?? { last: {} },
    };
    const ringStore = new RingStore(store, stored?.version);
    if (stored === undefined) await ringStore.save(snapshot);
    return { ringStore, snapshot, source };
  }

  async save(snapshot: Snapshot): Promise<void> {
    this.version = await this.store.put(KEY, snapshot, this.version ?? -1);
  }
}
