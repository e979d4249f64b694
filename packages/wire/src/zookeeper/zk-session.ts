// One ZooKeeper session (node-zookeeper-client underneath) with what leader election needs on top:
//  - operations that wait for a connection and retry connection loss until a deadline, with typed errors;
//  - a *lease*: the send time of the newest request the ensemble answered. The server cannot expire the session
//    before that time + the session timeout, so while `leaseValid()` (a fraction of the timeout) holds, our
//    ephemeral nodes exist. The client library never notices a silent partition (its pings count as socket
//    activity), so we probe every timeout/6 and judge liveness from answers, not from the socket;
//  - a local expiry, as upstream Mesos does (docs/high-availability.md): with no answer for a whole session
//    timeout the session is treated as expired even before the server says so after a reconnect.
// A session never renews itself: after `expired` the owner makes a new ZkSession (new ephemeral nodes).
import zookeeper from 'node-zookeeper-client';
import type { Client, Exception } from 'node-zookeeper-client';
import { performance } from 'node:perf_hooks';
import { ZooKeeperError } from './zk-error.js';
import type { ZkAuth } from './zk-url.js';

export const DEFAULT_ZK_SESSION_TIMEOUT_MS = 10_000;
/** The lease is this fraction of the negotiated session timeout: the margin covers probe latency and clock rate. */
export const LEASE_FRACTION = 0.75;
/** How long a reconnect scheduled before close() may still fire (the client's spin delay is 100 ms), ms. */
const STRAY_RECONNECT_MS = 1_000;

export interface ZkSessionOptions {
  /** `h1:2181,h2:2181`. */
  servers: string;
  auth?: ZkAuth | undefined;
  /** Requested session timeout, ms (`--zk_session_timeout`, default 10 s); the server may clamp it to [2, 20] ticks. */
  sessionTimeoutMs?: number;
  /** How long one operation may wait for a connection, ms. Default: the session timeout. */
  operationTimeoutMs?: number;
  /**
   * Caps the lease, ms (default: LEASE_FRACTION × the session timeout). A contender using the leader probe sets
   * it so that a deleted-but-alive leader stops leading within the prober's fence (leader-probe.ts); the
   * ensemble is then asked for an answer correspondingly more often.
   */
  maxLeaseMs?: number;
  /** Monotonic clock, ms (tests may inject). */
  now?: () => number;
}

export type ZkSessionEvent =
  | 'connected'
  | 'disconnected'
  /** No answer from the ensemble for LEASE_FRACTION of the timeout: ephemeral nodes may vanish soon. */
  | 'lease-lapsed'
  | 'lease-renewed'
  /** Terminal: the server (or our local timeout) ended the session; its ephemeral nodes are gone or going. */
  | 'expired'
  | 'auth-failed'
  | 'closed';

export type ZkState = 'connecting' | 'connected' | 'disconnected' | 'expired' | 'auth-failed' | 'closed';

export type ZkCallback<T> = (error: Error | Exception | null, result: T) => void;

export class ZkSession {
  readonly servers: string;
  private readonly client: Client;
  private readonly now: () => number;
  private readonly requestedTimeoutMs: number;
  private readonly operationTimeoutMs: number;
  private readonly maxLeaseMs: number;
  private readonly listeners = new Set<(event: ZkSessionEvent) => void>();
  private readonly waiters = new Set<() => void>();
  private current: ZkState = 'connecting';
  /** Send time (monotonic ms) of the newest request answered by the ensemble; -Infinity before the first. */
  private lastAnswered = Number.NEGATIVE_INFINITY;
  private leaseHeld = false;
  private probeInFlight = false;
  private lastProbe = Number.NEGATIVE_INFINITY;
  private readonly ticker: NodeJS.Timeout;

  constructor(options: ZkSessionOptions) {
    this.servers = options.servers;
    this.now = options.now ?? (() => performance.now());
    this.requestedTimeoutMs = options.sessionTimeoutMs ?? DEFAULT_ZK_SESSION_TIMEOUT_MS;
    this.operationTimeoutMs = options.operationTimeoutMs ?? this.requestedTimeoutMs;
    this.maxLeaseMs = options.maxLeaseMs ?? Number.POSITIVE_INFINITY;
    this.client = zookeeper.createClient(options.servers, { sessionTimeout: this.requestedTimeoutMs, spinDelay: 100, retries: 0 });
    if (options.auth !== undefined) this.client.addAuthInfo('digest', Buffer.from(`${options.auth.user}:${options.auth.password}`));
    this.client.on('connected', () => {
      this.setState('connected');
      this.probe();
    });
    this.client.on('disconnected', () => {
      if (this.current === 'connected') this.setState('disconnected');
    });
    this.client.on('expired', () => this.end('expired'));
    this.client.on('authenticationFailed', () => this.end('auth-failed'));
    this.ticker = setInterval(() => this.tick(), Math.max(20, Math.floor(Math.min(this.requestedTimeoutMs / 12, this.maxLeaseMs / 10))));
    this.ticker.unref();
    this.client.connect();
  }

  get state(): ZkState {
    return this.current;
  }

  /** The timeout the server granted (the requested one until connected), ms. */
  get sessionTimeoutMs(): number {
    return this.client.getSessionTimeout() || this.requestedTimeoutMs;
  }

  /** The session id as 16 hex digits ('' before the first connection); equals a node's `ephemeralOwner`. */
  get sessionId(): string {
    return Buffer.from(this.client.getSessionId() ?? Buffer.alloc(0)).toString('hex');
  }

  /** How long an answer keeps the lease, ms: LEASE_FRACTION of the session timeout, at most `maxLeaseMs`. */
  get leaseMs(): number {
    return Math.min(this.sessionTimeoutMs * LEASE_FRACTION, this.maxLeaseMs);
  }

  /** True while the server cannot yet have expired this session (see the file comment). Synchronous and exact. */
  leaseValid(): boolean {
    return (this.current === 'connected' || this.current === 'disconnected') && this.now() < this.lastAnswered + this.leaseMs;
  }

  /** Subscribes to session events; returns the unsubscribe function. */
  on(listener: (event: ZkSessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs one request, waiting for a connection and retrying connection loss until the operation timeout.
   * `request` calls the client and reports through `cb`; it may turn expected ZooKeeper errors into results.
   * Set `retry: false` for requests that must not run twice (a lost reply leaves them ambiguous).
   */
  async op<T>(what: string, request: (client: Client, cb: ZkCallback<T>) => void, options: { retry?: boolean } = {}): Promise<T> {
    const deadline = this.now() + this.operationTimeoutMs;
    let lastError: unknown;
    for (;;) {
      this.throwIfEnded(what);
      if (this.current !== 'connected') {
        // Woken without a connection: the session may have ended meanwhile (expired, closed), which the caller
        // must hear as such (a store then opens a new session) rather than as "no connection".
        if (!(await this.waitConnected(deadline))) {
          this.throwIfEnded(what);
          break;
        }
        continue;
      }
      const sentAt = this.now();
      try {
        const result = await new Promise<T>((resolve, reject) => request(this.client, (e, r) => (e ? reject(e) : resolve(r))));
        this.answered(sentAt);
        return result;
      } catch (e) {
        lastError = e;
        const code = zkErrorName(e);
        if (code === 'NO_AUTH' || code === 'AUTH_FAILED') {
          throw new ZooKeeperError('ZK_UNAUTHORIZED', `ZooKeeper at ${this.servers} refused ${what} (${code}): check the user:password in the zk:// URL and the node's ACL`, { cause: e });
        }
        if (code === 'SESSION_EXPIRED') this.end('expired');
        this.throwIfEnded(what);
        if (code !== 'CONNECTION_LOSS' && code !== 'OPERATION_TIMEOUT') {
          // The server answered (with an error), so the session was alive when we sent.
          if (code !== undefined) this.answered(sentAt);
          throw e;
        }
        if (options.retry === false) {
          throw new ZooKeeperError('ZK_UNAVAILABLE', `${what} on ZooKeeper at ${this.servers} lost its connection before the reply; its outcome is unknown`, { cause: e });
        }
        if (this.now() >= deadline) break;
        await sleep(50);
      }
    }
    throw new ZooKeeperError(
      'ZK_UNAVAILABLE',
      `${what} failed: no ZooKeeper connection within ${this.operationTimeoutMs} ms${lastError === undefined ? '' : ` (${String(lastError)})`}; is the ensemble at ${this.servers} up and does it have a quorum?`,
      { cause: lastError },
    );
  }

  /** Closes the session (the server deletes its ephemeral nodes at once when it hears the close). */
  close(): void {
    if (this.current === 'closed') return;
    const wasEnded = this.current === 'expired' || this.current === 'auth-failed';
    clearInterval(this.ticker);
    if (!wasEnded) this.shutDownClient();
    this.setState('closed');
    this.wake();
  }

  /**
   * Closes the client for good. Connected, it sends closeSession (our ephemeral nodes vanish at once). The
   * library's close() does not cancel a reconnect already scheduled, and a socket opened afterwards re-attaches
   * the session and keeps its nodes alive; so after a grace period for the closeSession we destroy whatever
   * socket its connection manager holds, for a while (reaching into the library here, and only here).
   */
  private shutDownClient(): void {
    const manager = (this.client as unknown as { connectionManager?: { socket?: { destroy(): void } } }).connectionManager;
    try {
      this.client.close();
    } catch {
      // Closed before its first socket exists, the library writes its closeSession to no socket and throws.
      // There is no server session to close then; the reaper below still ends any connection it opens later.
    }
    const graceMs = this.current === 'connected' ? 1_000 : 0;
    const started = this.now();
    const reaper = setInterval(() => {
      const elapsed = this.now() - started;
      if (elapsed >= graceMs) manager?.socket?.destroy();
      if (elapsed >= graceMs + STRAY_RECONNECT_MS) clearInterval(reaper);
    }, 50);
    reaper.unref();
  }

  private tick(): void {
    if (this.current === 'expired' || this.current === 'closed' || this.current === 'auth-failed') return;
    const now = this.now();
    if (this.leaseHeld && !this.leaseValid()) {
      this.leaseHeld = false;
      this.emit('lease-lapsed');
    }
    // Upstream's explicit session timeout: nothing answered for a whole timeout while we were not connected.
    if (this.current !== 'connected' && this.lastAnswered > Number.NEGATIVE_INFINITY && now >= this.lastAnswered + this.sessionTimeoutMs) {
      this.end('expired');
      return;
    }
    // About five answers per lease (six per session timeout without a cap).
    if (this.current === 'connected' && now - this.lastProbe >= Math.min(this.sessionTimeoutMs / 6, this.leaseMs / 5)) this.probe();
  }

  private probe(): void {
    if (this.probeInFlight || this.current !== 'connected') return;
    this.probeInFlight = true;
    const sentAt = this.now();
    this.lastProbe = sentAt;
    this.client.exists('/', (e) => {
      this.probeInFlight = false;
      const code = zkErrorName(e);
      if (e === null || (code !== undefined && code !== 'CONNECTION_LOSS' && code !== 'SESSION_EXPIRED' && code !== 'OPERATION_TIMEOUT')) this.answered(sentAt);
    });
  }

  private answered(sentAt: number): void {
    if (sentAt <= this.lastAnswered) return;
    this.lastAnswered = sentAt;
    if (!this.leaseHeld && this.leaseValid()) {
      this.leaseHeld = true;
      this.emit('lease-renewed');
    }
  }

  private end(state: 'expired' | 'auth-failed'): void {
    if (this.current === 'expired' || this.current === 'closed' || this.current === 'auth-failed') return;
    clearInterval(this.ticker);
    this.leaseHeld = false;
    this.setState(state);
    this.shutDownClient();
    this.wake();
  }

  private throwIfEnded(what: string): void {
    if (this.current === 'expired') throw new ZooKeeperError('ZK_SESSION_EXPIRED', `${what} failed: the ZooKeeper session expired; open a new session`);
    if (this.current === 'auth-failed') throw new ZooKeeperError('ZK_UNAUTHORIZED', `${what} failed: ZooKeeper at ${this.servers} rejected the credentials; check user:password in the zk:// URL`);
    if (this.current === 'closed') throw new ZooKeeperError('CLOSED', `${what} failed: the ZooKeeper session was closed`);
  }

  private setState(state: Exclude<ZkState, 'connecting'>): void {
    if (this.current === state) return;
    this.current = state;
    if (state === 'connected') this.wake();
    this.emit(state);
  }

  private emit(event: ZkSessionEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  private waitConnected(deadline: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(this.current === 'connected');
      };
      const timer = setTimeout(done, Math.max(0, deadline - this.now()));
      this.waiters.add(done);
    });
  }
}

/** The ZooKeeper error name (`NO_NODE`, `BAD_VERSION`, …) of a client error, or undefined for other errors. */
export function zkErrorName(e: unknown): string | undefined {
  const code = (e as Exception | null)?.code;
  if (typeof code !== 'number') return undefined;
  for (const [name, value] of Object.entries(zookeeper.Exception)) if (value === code) return name;
  return undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
