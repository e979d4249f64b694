// The dispatcher's durable state in a framework-kit StateStore (`file:` or `zk:`): the whole DispatcherState
// under one key, written (versioned) before the Mesos calls that depend on it, so a kill -9 loses no
// acknowledged submission and a restarted dispatcher adopts its launched drivers through reconciliation.
import type { StateStore } from '@mesos-ts/framework-kit';
import { emptyState, type DispatcherState } from '../domain/dispatcher-state.js';

const KEY = 'dispatcher';

export class DispatcherStore {
  private constructor(
    private readonly store: StateStore,
    public state: DispatcherState,
    private version: number | undefined,
  ) {}

  static async load(store: StateStore): Promise<DispatcherStore> {
    const stored = await store.get<DispatcherState>(KEY);
    return new DispatcherStore(store, { ...emptyState(), ...(stored?.value ?? {}) }, stored?.version);
  }

  async save(state: DispatcherState): Promise<void> {
    this.version = await this.store.put(KEY, state, this.version ?? -1);
    this.state = state;
  }
}
