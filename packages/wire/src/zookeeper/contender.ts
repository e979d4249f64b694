// A master's candidacy, as upstream's ZooKeeperMasterContender: an ephemeral sequential `json.info_` node under
// the `--zk` path holding this master's MasterInfo JSON; elected when it is the lowest member; otherwise it
// watches only its predecessor. Each candidacy has its own session. Leadership ends ("lost") the moment the
// session's lease lapses — before the server can expire the session and let another master in, so two masters
// never both believe they lead — or when the session expires or our node is deleted. The session is then
// closed; the caller exits or calls contend() again (a new node at the back of the queue), as upstream does.
// With `leaderProbe` a follower also probes its predecessor's advertised address and deletes the node of a
// member whose process is provably gone, then waits a fence before it may lead (leader-probe.ts, README.md).
// Implements the master's `Contender` port; `isLeader()` is the synchronous check for every request.
import zookeeper from 'node-zookeeper-client';
import type { ACL, Event, Stat } from 'node-zookeeper-client';
import type { v1 } from '@mesos-ts/proto';
import { MEMBER_PREFIX, members, standingOf } from './election.js';
import { CONFIRM_INTERVAL_MS, FENCE_MS, PROBE_LEASE_MS, RefusalStreak, probeTcp, type LeaderProbeOptions } from './leader-probe.js';
import { decodeMasterInfo, encodeMasterInfo, leaderAddressOf, type LeaderAddress } from './master-info.js';
import { ZooKeeperError, isZooKeeperError } from './zk-error.js';
import { ZkSession, zkErrorName } from './zk-session.js';
import { parseZkUrl, type ZkUrl } from './zk-url.js';

export interface ZooKeeperContenderOptions {
  /** `zk://h1:2181,h2:2181/mesos` (the master's `--zk`) or its parsed form. */
  url: string | ZkUrl;
  /** What detectors will read: this master's MasterInfo (address.hostname/ip and port must be reachable). */
  masterInfo: v1.MasterInfo;
  /** Default 10000 (`--zk_session_timeout`). */
  sessionTimeoutMs?: number;
  /**
   * Probe the predecessor and delete its node once its port refuses connections (`--zk_leader_probe_interval`).
   * Every contender of one election must agree on using it: it also caps this contender's lease (see FENCE_MS).
   */
  leaderProbe?: LeaderProbeOptions | undefined;
}

export type LeadershipEvent =
  | { readonly type: 'elected'; readonly node: string }
  | { readonly type: 'lost'; readonly node: string | undefined; readonly reason: string }
  /** This contender deleted the node of a member whose process is gone (the leader probe). */
  | { readonly type: 'removed-dead-member'; readonly node: string; readonly address: LeaderAddress; readonly refusedMs: number };

interface ProbeTarget {
  readonly node: string;
  readonly version: number;
  readonly address: LeaderAddress;
}

type Phase = 'idle' | 'contending' | 'elected' | 'lost' | 'withdrawn';

export class ZooKeeperContender {
  readonly url: ZkUrl;
  private session: ZkSession | undefined;
  private phase: Phase = 'idle';
  private self: string | undefined;
  private readonly listeners = new Set<(event: LeadershipEvent) => void>();
  private electedWaiter: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private checking = false;
  private recheck = false;
  /** The predecessor being probed (leader probe only). */
  private target: ProbeTarget | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private readonly streak = new RefusalStreak();
  private streakStart = 0;
  /** performance.now() before which this contender must not become the leader (after it deleted a member). */
  private fencedUntil = 0;
  private readonly onWatch = (event: Event): void => {
    // Our own node deleted (by a prober, or an operator): stop leading now, before any other answer arrives.
    if (this.self !== undefined && event.getType() === zookeeper.Event.NODE_DELETED && event.getPath() === `${this.url.path}/${this.self}`) {
      this.lose(`our election node ${this.self} was deleted`);
      return;
    }
    void this.check();
  };

  constructor(private readonly options: ZooKeeperContenderOptions) {
    this.url = typeof options.url === 'string' ? parseZkUrl(options.url) : options.url;
  }

  /** The member node of the current candidacy (e.g. `json.info_0000000003`), if any. */
  get node(): string | undefined {
    return this.self;
  }

  /** True only while elected and the session lease holds: answer scheduler/operator calls only then. */
  isLeader(): boolean {
    return this.phase === 'elected' && this.session !== undefined && this.session.leaseValid();
  }

  onLeadership(listener: (event: LeadershipEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Starts a candidacy (a new session and node) and resolves once elected. Rejects with `ZK_SESSION_EXPIRED`
   * when the candidacy is lost first, `CLOSED` on withdraw, `ZK_UNAVAILABLE` / `ZK_UNAUTHORIZED` when it
   * cannot even join.
   */
  async contend(): Promise<void> {
    if (this.phase === 'contending' || this.phase === 'elected') {
      throw new ZooKeeperError('ZK_ERROR', 'contend() called while already contending; wait for a lost event or withdraw() first');
    }
    this.phase = 'contending';
    this.self = undefined;
    // A check loop of the previous candidacy may still await its dead session; it must not block ours.
    this.checking = false;
    this.recheck = false;
    this.stopProbing();
    const probe = this.options.leaderProbe;
    const session = new ZkSession({
      servers: this.url.servers,
      auth: this.url.auth,
      sessionTimeoutMs: this.options.sessionTimeoutMs,
      ...(probe ? { maxLeaseMs: PROBE_LEASE_MS } : {}),
    });
    this.session = session;
    session.on((event) => {
      if (session !== this.session) return;
      if (event === 'lease-lapsed') this.lose(`no answer from ZooKeeper for ${Math.round(session.leaseMs)} ms (the session may expire, or a prober may have removed our node)`);
      else if (event === 'expired') this.lose('the ZooKeeper session expired');
      else if (event === 'auth-failed') this.lose('ZooKeeper rejected the credentials');
    });
    const elected = new Promise<void>((resolve, reject) => (this.electedWaiter = { resolve, reject }));
    try {
      await session.op('create election path', (c, cb) => c.mkdirp(this.url.path, this.acls(), cb));
      this.self = await this.join(session);
    } catch (e) {
      this.lose(`could not join the election: ${(e as Error).message}`, e);
    }
    if (this.self !== undefined) void this.check();
    return elected;
  }

  /** Leaves the election: closes the session, so our node disappears at once and the next master takes over. */
  async withdraw(): Promise<void> {
    if (this.phase === 'idle' || this.phase === 'withdrawn') return;
    const wasLive = this.phase === 'contending' || this.phase === 'elected';
    this.phase = 'withdrawn';
    this.stopProbing();
    this.session?.close();
    if (wasLive) this.settle(new ZooKeeperError('CLOSED', 'withdrew from the election before being elected'));
  }

  private async join(session: ZkSession): Promise<string> {
    const prefix = `${this.url.path}/${MEMBER_PREFIX}`;
    const data = encodeMasterInfo(this.options.masterInfo);
    try {
      const created = await session.op<string>(
        'create the election node',
        (c, cb) => c.create(prefix, data, this.acls(), zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL, cb),
        { retry: false },
      );
      return created.slice(this.url.path.length + 1);
    } catch (e) {
      if (!isZooKeeperError(e, 'ZK_UNAVAILABLE')) throw e;
      // The reply was lost: the node may exist. Ours is the member whose ephemeral owner is our session.
      const mine = await this.findOwnNode(session);
      if (mine !== undefined) return mine;
      return this.join(session);
    }
  }

  private async findOwnNode(session: ZkSession): Promise<string | undefined> {
    const children = await session.op<string[]>('list members', (c, cb) => c.getChildren(this.url.path, (e, list) => cb(e, list)));
    for (const member of members(children)) {
      const stat = await session.op<Stat | undefined>('stat member', (c, cb) => c.exists(`${this.url.path}/${member.name}`, (e, s) => cb(e, s ?? undefined)));
      if (stat !== undefined && Buffer.from(stat.ephemeralOwner).toString('hex') === session.sessionId) return member.name;
    }
    return undefined;
  }

  /** Lists members and decides: elected, or watch the predecessor (and our own node, to notice deletion). */
  private async check(): Promise<void> {
    if (this.checking) {
      this.recheck = true;
      return;
    }
    this.checking = true;
    const session = this.session;
    try {
      do {
        this.recheck = false;
        const self = this.self;
        if (session === undefined || self === undefined || (this.phase !== 'contending' && this.phase !== 'elected')) return;
        try {
          const children = await session.op<string[]>('list members', (c, cb) => c.getChildren(this.url.path, (e, list) => cb(e, list)));
          if (session !== this.session || !this.live()) return;
          const standing = standingOf(children, self);
          if (standing.kind === 'absent') {
            this.lose(`our election node ${self} was deleted`);
            return;
          }
          // Watch our own node: deletion by an operator must end leadership too.
          await session.op('watch own node', (c, cb) => c.exists(`${this.url.path}/${self}`, this.onWatch, (e) => cb(e, undefined)));
          if (standing.kind === 'leader') {
            this.stopProbing();
            const fenceLeft = this.fencedUntil - performance.now();
            if (this.phase === 'contending' && fenceLeft > 0) {
              // We deleted a member's node: it may have been a live leader cut off from ZooKeeper. Its lease
              // lapses within the fence; only then may we lead.
              this.recheck = true;
              await new Promise((r) => setTimeout(r, fenceLeft));
            } else if (this.phase === 'contending' && session.leaseValid()) {
              this.phase = 'elected';
              this.emit({ type: 'elected', node: self });
              this.settle();
            } else if (this.phase === 'contending') {
              this.recheck = true;
              await new Promise((r) => setTimeout(r, 20));
            }
            continue;
          }
          const predecessor = `${this.url.path}/${standing.predecessor.name}`;
          const stillThere = await session.op<boolean>('watch predecessor', (c, cb) =>
            c.exists(predecessor, this.onWatch, (e, stat) => cb(e, stat !== null && stat !== undefined)),
          );
          if (!stillThere) this.recheck = true;
          else if (this.options.leaderProbe) await this.aim(session, standing.predecessor.name);
        } catch (e) {
          // lose() ignores this after withdraw().
          if (session === this.session) this.lose(`lost contact with ZooKeeper while contending: ${(e as Error).message}`, e);
          return;
        }
      } while (this.recheck);
    } finally {
      if (session === this.session) this.checking = false;
    }
  }

  /** Points the leader probe at `node` (reading its MasterInfo and version) and keeps the probe loop running. */
  private async aim(session: ZkSession, node: string): Promise<void> {
    if (this.target?.node === node) return;
    this.stopProbing();
    const path = `${this.url.path}/${node}`;
    const read = await session.op<[Buffer, Stat] | undefined>(`read ${path}`, (c, cb) =>
      c.getData(path, (e, data, stat) => (zkErrorName(e) === 'NO_NODE' ? cb(null, undefined) : cb(e, [data, stat]))),
    );
    if (read === undefined || session !== this.session || this.phase !== 'contending') return;
    let address: LeaderAddress;
    try {
      address = leaderAddressOf(decodeMasterInfo(read[0], path));
    } catch {
      return; // Not our kind of member (no MasterInfo): wait for its session to expire instead.
    }
    this.target = { node, version: read[1].version, address };
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    const everyMs = this.options.leaderProbe?.intervalMs;
    if (everyMs === undefined || this.target === undefined) return;
    // While a refusal streak runs, confirm it quickly: the failover waits for it.
    const delayMs = this.streakStart === 0 ? everyMs : Math.min(everyMs, CONFIRM_INTERVAL_MS);
    // An attempt may take up to the full interval (a slow network is 'unknown', never a refusal).
    this.probeTimer = setTimeout(() => void this.probeOnce(everyMs), delayMs);
    this.probeTimer.unref();
  }

  private async probeOnce(timeoutMs: number): Promise<void> {
    const target = this.target;
    const session = this.session;
    if (target === undefined || session === undefined || this.phase !== 'contending') return;
    const outcome = await probeTcp(target.address, timeoutMs);
    if (target !== this.target || session !== this.session || this.phase !== 'contending') return;
    const now = performance.now();
    if (outcome === 'refused' && this.streakStart === 0) this.streakStart = now;
    if (outcome !== 'refused') this.streakStart = 0;
    if (!this.streak.record(outcome, now)) {
      this.scheduleProbe();
      return;
    }
    const refusedMs = Math.round(now - this.streakStart);
    this.stopProbing();
    const path = `${this.url.path}/${target.node}`;
    // The version guard deletes exactly the node we probed (not a newer one of the same name, if that were possible).
    const removed = await session
      .op<boolean>(`delete the dead member ${path}`, (c, cb) =>
        c.remove(path, target.version, (e) => (zkErrorName(e) === 'NO_NODE' || zkErrorName(e) === 'BAD_VERSION' ? cb(null, false) : cb(e, true))),
      )
      .catch(() => true); // Unknown outcome: fence as if it had been deleted.
    // Measured after the reply: the deletion happened before it, so the fence covers the deleted member's lease.
    this.fencedUntil = Math.max(this.fencedUntil, performance.now() + FENCE_MS);
    if (removed) this.emit({ type: 'removed-dead-member', node: target.node, address: target.address, refusedMs });
    void this.check();
  }

  private stopProbing(): void {
    if (this.probeTimer !== undefined) clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    this.target = undefined;
    this.streak.reset();
    this.streakStart = 0;
  }

  private live(): boolean {
    return this.phase === 'contending' || this.phase === 'elected';
  }

  private lose(reason: string, cause?: unknown): void {
    if (this.phase !== 'contending' && this.phase !== 'elected') return;
    this.phase = 'lost';
    this.stopProbing();
    this.session?.close();
    this.emit({ type: 'lost', node: this.self, reason });
    const code = isZooKeeperError(cause) && cause.code !== 'ZK_ERROR' ? cause.code : 'ZK_SESSION_EXPIRED';
    this.settle(new ZooKeeperError(code, `lost the election candidacy: ${reason}; contend again or exit`, { cause }));
  }

  private settle(error?: Error): void {
    const waiter = this.electedWaiter;
    this.electedWaiter = undefined;
    if (waiter === undefined) return;
    if (error === undefined) waiter.resolve();
    else waiter.reject(error);
  }

  private emit(event: LeadershipEvent): void {
    for (const l of [...this.listeners]) l(event);
  }

  /** Anyone may read members (detectors); with credentials only we may change them (upstream's default ACL). */
  private acls(): ACL[] {
    const world = new zookeeper.Id('world', 'anyone');
    if (this.url.auth === undefined) return [new zookeeper.ACL(zookeeper.Permission.ALL, world)];
    return [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('auth', '')), new zookeeper.ACL(zookeeper.Permission.READ, world)];
  }
}
