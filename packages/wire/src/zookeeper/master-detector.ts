// Finds the leading master from ZooKeeper, as upstream agents and scheduler drivers do for `--master=zk://…`:
// watch the children of the `--zk` path, take the lowest `json.info_` member, read its MasterInfo JSON (and
// watch that node), and tell subscribers whenever the answer changes — including "no leader" the moment the
// leader's node disappears. On session expiry the answer becomes "no leader" and a new session starts.
// Implements the scheduler SDK's `MasterDetector` port (`next()` waits for a leader and answers `host:port`).
import type { Event } from 'node-zookeeper-client';
import type { v1 } from '@mesos-ts/proto';
import { leaderOf } from './election.js';
import { decodeMasterInfo, formatLeader, leaderAddressOf, type LeaderAddress } from './master-info.js';
import { ZooKeeperError } from './zk-error.js';
import { ZkSession, zkErrorName } from './zk-session.js';
import { parseZkUrl, type ZkUrl } from './zk-url.js';

export interface ZooKeeperMasterDetectorOptions {
  /** `zk://h1:2181,h2:2181/mesos` or its parsed form. */
  url: string | ZkUrl;
  /** Default 10000 (`--zk_session_timeout`). */
  sessionTimeoutMs?: number;
  /** Told about data it cannot use (a leader node without MasterInfo JSON) and failed lookups; default ignores. */
  onError?: (error: unknown) => void;
}

export interface DetectedLeader {
  readonly address: LeaderAddress;
  readonly info: v1.MasterInfo;
  /** The member node, e.g. `json.info_0000000007`. */
  readonly node: string;
}

type Listener = (leader: DetectedLeader | undefined) => void;

export class ZooKeeperMasterDetector {
  readonly url: ZkUrl;
  private session!: ZkSession;
  private leaderNow: DetectedLeader | undefined;
  private looked = false;
  private closed = false;
  private running = false;
  private again = false;
  private readonly listeners = new Set<Listener>();
  private readonly waiters = new Set<() => void>();
  /** Stable watcher: the client keeps one registration per function and path. */
  private readonly onWatch = (_event: Event): void => void this.refresh();

  constructor(private readonly options: ZooKeeperMasterDetectorOptions) {
    this.url = typeof options.url === 'string' ? parseZkUrl(options.url) : options.url;
    this.openSession();
  }

  /** The leader as last seen (undefined before the first lookup and while there is none). */
  current(): LeaderAddress | undefined {
    return this.leaderNow?.address;
  }

  currentLeader(): DetectedLeader | undefined {
    return this.leaderNow;
  }

  /** The leader after the first lookup completed (undefined: nobody leads right now). */
  async detect(signal?: AbortSignal): Promise<LeaderAddress | undefined> {
    if (!this.looked) await this.waitFor(() => this.looked, signal);
    return this.leaderNow?.address;
  }

  /** Calls `listener` on every change (not with the current value); returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every change from now on, until `signal` aborts or the detector closes. */
  async *changes(signal?: AbortSignal): AsyncGenerator<DetectedLeader | undefined> {
    const queue: (DetectedLeader | undefined)[] = [];
    let wake: (() => void) | undefined;
    const off = this.subscribe((l) => {
      queue.push(l);
      wake?.();
    });
    const onAbort = (): void => wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      while (!this.closed && !signal?.aborted) {
        if (queue.length > 0) {
          yield queue.shift();
          continue;
        }
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    } finally {
      off();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Scheduler SDK `MasterDetector`: the leader as `host:port`, waiting until one is elected. */
  async next(signal?: AbortSignal): Promise<string> {
    for (;;) {
      const leader = this.leaderNow;
      if (leader !== undefined) return formatLeader(leader.address);
      await this.waitFor(() => this.leaderNow !== undefined, signal);
    }
  }

  /** Scheduler SDK `MasterDetector`: nothing to learn, ZooKeeper is the authority. */
  leader(_hostPort: string): void {}

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.session.close();
    this.notify();
  }

  private openSession(): void {
    const session = new ZkSession({ servers: this.url.servers, auth: this.url.auth, sessionTimeoutMs: this.options.sessionTimeoutMs });
    this.session = session;
    session.on((event) => {
      if (this.closed || session !== this.session) return;
      if (event === 'expired' || event === 'auth-failed') {
        this.set(undefined);
        if (event === 'expired') this.openSession();
      } else if (event === 'connected') {
        void this.refresh();
      }
    });
    void this.refresh();
  }

  /** Re-reads children and the leader's data; coalesces overlapping calls into one more pass. */
  private async refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        if (this.closed) return;
        const session = this.session;
        try {
          const leader = await this.lookup(session);
          if (session === this.session && leader !== 'retry') this.set(leader);
          if (leader === 'retry') this.again = true;
        } catch (e) {
          if (!this.closed) this.options.onError?.(e);
          // Unavailable: the next 'connected' or a new session triggers another pass.
        }
      } while (this.again && !this.closed);
    } finally {
      this.running = false;
    }
  }

  private async lookup(session: ZkSession): Promise<DetectedLeader | undefined | 'retry'> {
    const path = this.url.path;
    const children = await session.op<string[] | undefined>(`list ${path}`, (c, cb) =>
      c.getChildren(path, this.onWatch, (e, list) => (zkErrorName(e) === 'NO_NODE' ? cb(null, undefined) : cb(e, list))),
    );
    if (children === undefined) {
      // No masters ever ran here: wait for the path to appear.
      const exists = await session.op<boolean>(`watch ${path}`, (c, cb) => c.exists(path, this.onWatch, (e, stat) => cb(e, stat !== null && stat !== undefined)));
      return exists ? 'retry' : undefined;
    }
    const member = leaderOf(children);
    if (member === undefined) return undefined;
    const node = `${path}/${member.name}`;
    const data = await session.op<Buffer | undefined>(`read ${node}`, (c, cb) =>
      c.getData(node, this.onWatch, (e, d) => (zkErrorName(e) === 'NO_NODE' ? cb(null, undefined) : cb(e, d))),
    );
    if (data === undefined) return 'retry';
    try {
      const info = decodeMasterInfo(data, node);
      return { address: leaderAddressOf(info), info, node: member.name };
    } catch (e) {
      this.options.onError?.(e);
      return undefined;
    }
  }

  private set(leader: DetectedLeader | undefined): void {
    this.looked = true;
    const before = this.leaderNow;
    this.leaderNow = leader;
    const same = before?.node === leader?.node && before?.address.hostname === leader?.address.hostname && before?.address.port === leader?.address.port;
    if (!same) for (const l of [...this.listeners]) l(leader);
    this.notify();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private waitFor(condition: () => boolean, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (condition()) finish(resolve);
        else if (this.closed) finish(() => reject(new ZooKeeperError('CLOSED', 'the ZooKeeper master detector was closed while waiting for a leader')));
        else if (signal?.aborted) finish(() => reject(signal.reason ?? new ZooKeeperError('CLOSED', 'aborted while waiting for a leader')));
      };
      const finish = (then: () => void): void => {
        this.waiters.delete(check);
        signal?.removeEventListener('abort', check);
        then();
      };
      this.waiters.add(check);
      signal?.addEventListener('abort', check);
      check();
    });
  }
}
