// Where the leading master is. Two sources: a static list of host:port tried in turn, or ZooKeeper
// (`--master=zk://…/mesos`), where the masters' election names the leader and tells us when it changes.
import { ZooKeeperMasterDetector, formatLeader, parseZkUrl, type LeaderAddress } from '@mesos-ts/wire';

export interface MasterDetector {
  /** host:port of the master to try next; undefined while nobody leads (ZooKeeper only). */
  current(): string | undefined;
  /** Like `current()`, but waits until a master is known; rejects when `signal` aborts or the detector closes. */
  next(signal?: AbortSignal): Promise<string>;
  /** The current master failed: move on to the next candidate. */
  failed(): void;
  /** A master redirected us to the leader at `hostPort`. */
  redirected(hostPort: string): void;
  /** Calls `listener` whenever the leader changes (never for a static list); returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
  /** Releases the ZooKeeper session, if any. */
  close(): void;
}

export class MasterDetectorError extends Error {
  override readonly name = 'MasterDetectorError';
  readonly code = 'INVALID_MASTER' as const;
}

/** `zk://…` → ZooKeeper detection; anything else → a static host:port list. Throws MasterDetectorError on bad input. */
export function createMasterDetector(spec: string, options: { sessionTimeoutMs?: number } = {}): MasterDetector {
  if (!spec.startsWith('zk://')) return new StaticMasterDetector(spec);
  let url;
  try {
    url = parseZkUrl(spec);
  } catch (e) {
    throw new MasterDetectorError(`--master=${spec}: ${(e as Error).message}`);
  }
  return new ZooKeeperAgentDetector(new ZooKeeperMasterDetector({ url, sessionTimeoutMs: options.sessionTimeoutMs }));
}

export class StaticMasterDetector implements MasterDetector {
  private readonly masters: string[];
  private index = 0;
  private leader: string | undefined;

  constructor(spec: string) {
    if (spec.startsWith('zk://')) {
      throw new MasterDetectorError(`--master=${spec}: a ZooKeeper URL is not a static list; use createMasterDetector()`);
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

  next(): Promise<string> {
    return Promise.resolve(this.current());
  }

  failed(): void {
    if (this.leader !== undefined) this.leader = undefined;
    else this.index++;
  }

  redirected(hostPort: string): void {
    this.leader = hostPort;
  }

  onChange(_listener: () => void): () => void {
    return () => undefined;
  }

  close(): void {}
}

/** What the agent needs of `@mesos-ts/wire`'s ZooKeeperMasterDetector (a port, so tests can fake it). */
export interface LeaderSource {
  current(): LeaderAddress | undefined;
  next(signal?: AbortSignal): Promise<string>;
  subscribe(listener: (leader: unknown) => void): () => void;
  close(): void;
}

/**
 * ZooKeeper names the leader; a 307 from it (a master that lost leadership before ZooKeeper noticed) is
 * followed until the next election result, which always wins over a redirect.
 */
export class ZooKeeperAgentDetector implements MasterDetector {
  private redirect: string | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(private readonly source: LeaderSource) {
    this.unsubscribe = source.subscribe(() => {
      this.redirect = undefined;
      for (const l of [...this.listeners]) l();
    });
  }

  current(): string | undefined {
    if (this.redirect !== undefined) return this.redirect;
    const leader = this.source.current();
    return leader === undefined ? undefined : formatLeader(leader);
  }

  async next(signal?: AbortSignal): Promise<string> {
    return this.redirect ?? (await this.source.next(signal));
  }

  failed(): void {
    this.redirect = undefined;
  }

  redirected(hostPort: string): void {
    this.redirect = hostPort;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.unsubscribe();
    this.listeners.clear();
    this.source.close();
  }
}
