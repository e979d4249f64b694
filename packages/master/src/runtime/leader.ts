// Leader detection and contention behind ports, so a ZooKeeper implementation can replace the standalone one
// (later issue) without touching the HTTP layer: handlers ask `current()` and answer 307 to the leader.

export interface LeaderAddress {
  readonly hostname: string;
  readonly port: number;
}

export interface LeaderDetector {
  /** The current leader, or undefined while none is known. */
  current(): LeaderAddress | undefined;
  /** Whether this master is the leader. */
  isSelf(): boolean;
}

export interface Contender {
  /** Starts contending; resolves once this master is elected. */
  contend(): Promise<void>;
  /** Withdraws (on stop). */
  withdraw(): Promise<void>;
}

/** A single master: always elected, always the leader. */
export class StandaloneLeader implements LeaderDetector, Contender {
  constructor(private readonly self: () => LeaderAddress) {}
  current(): LeaderAddress {
    return this.self();
  }
  isSelf(): boolean {
    return true;
  }
  async contend(): Promise<void> {}
  async withdraw(): Promise<void> {}
}
