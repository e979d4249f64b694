// Where the leading master is. A port so ZooKeeper detection (zk://…) can arrive with leader election
// without touching the registration logic; for now a static list of host:port, tried in turn.

export interface MasterDetector {
  /** host:port of the master to try next. */
  current(): string;
  /** The current master failed: move on to the next candidate. */
  failed(): void;
  /** A master redirected us to the leader at `hostPort`. */
  redirected(hostPort: string): void;
}

export class MasterDetectorError extends Error {
  override readonly name = 'MasterDetectorError';
  readonly code = 'INVALID_MASTER' as const;
}

export class StaticMasterDetector implements MasterDetector {
  private readonly masters: string[];
  private index = 0;
  private leader: string | undefined;

  constructor(spec: string) {
    if (spec.startsWith('zk://')) {
      throw new MasterDetectorError(`--master=${spec}: ZooKeeper detection is not available yet; give the masters as host:port[,host:port]`);
    }
    this.masters = spec.split(',').map((s) => s.trim()).filter((s) => s !== '');
    for (const m of this.masters) {
      if (!/^[^\s:/]+:\d{1,5}$/.test(m)) throw new MasterDetectorError(`--master: '${m}' is not host:port (e.g. 127.0.0.1:5050)`);
    }
    if (this.masters.length === 0) throw new MasterDetectorError('--master is empty; give host:port[,host:port]');
  }

  current(): string {
    return this.leader ?? this.masters[this.index % this.masters.length]!;
  }

  failed(): void {
    if (this.leader !== undefined) this.leader = undefined;
    else this.index++;
  }

  redirected(hostPort: string): void {
    this.leader = hostPort;
  }
}
