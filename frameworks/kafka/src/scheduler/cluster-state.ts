// The scheduler's durable state in the StateStore (`file:` or `zk:`): brokers with their settings, task,
// stickiness, failover counters and volume placement; the KRaft cluster id and quorum; volumes still to be released.
// The framework id is kept by framework-kit's saveFrameworkId under its own key. Writes are versioned so a
// second scheduler that took over is never overwritten by a stale one.
import { randomBytes } from 'node:crypto';
import type { StateStore } from '@mesos-ts/framework-kit';
import type { Broker } from '../domain/broker.js';
import { legacyVoters } from '../domain/quorum.js';

export interface ClusterState {
  brokers: Broker[];
  /** KRaft cluster id (22 chars of base64url, as `kafka-storage.sh random-uuid` prints). */
  clusterId: string;
  /** Persistence ids of removed brokers' volumes to destroy and unreserve when offered. */
  released: string[];
  /** KRaft: `controller.quorum.voters`, fixed by the first launch round (domain/quorum.ts); undefined before. */
  voters?: string;
}

const KEY = 'cluster';

export class ClusterStore {
  private version: number | undefined;

  private constructor(
    private readonly store: StateStore,
    public state: ClusterState,
    version: number | undefined,
  ) {
    this.version = version;
  }

  static async load(store: StateStore): Promise<ClusterStore> {
    const stored = await store.get<ClusterState>(KEY);
    const state = stored?.value ?? { brokers: [], clusterId: randomBytes(16).toString('base64url'), released: [] };
    const brokers = state.brokers ?? [];
    const voters = state.voters ?? legacyVoters(brokers);
    return new ClusterStore(store, { brokers, clusterId: state.clusterId, released: state.released ?? [], ...(voters === undefined ? {} : { voters }) }, stored?.version);
  }

  /** Writes the state (before the actions that depend on it are sent, so a crash loses nothing). */
  async save(): Promise<void> {
    this.version = await this.store.put(KEY, this.state, this.version ?? -1);
  }
}
