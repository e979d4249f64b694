// The master: its books, the allocator, the registry and the periodic drivers (allocation loop, heartbeats,
// agent pings), all on an injectable Clock. The call handlers live beside it (frameworks, offers, tasks,
// agents, operator) and act on a Master; the HTTP layer only decodes, calls them and encodes.
import { randomUUID } from 'node:crypto';
import { HierarchicalAllocator } from '@mesos-ts/allocator';
import type { master, scheduler, v1 } from '@mesos-ts/proto';
import type { Resources } from '@mesos-ts/resources';
import pino, { type Logger } from 'pino';
import { ResourcesInterner } from '../core/resources-interner.js';
import { newBooks, type EventSink, type FrameworkRecord, type MasterBooks } from '../core/state.js';
import type { MasterFlags } from '../flags.js';
import { Registry } from '../registry/registry.js';
import type { RegistryStore } from '../registry/registry-store.js';
import { daemonClock, every, type Clock, type Timer } from '@mesos-ts/common';
import { HEARTBEAT_INTERVAL_MS, MASTER_VERSION, type MasterContext } from './context.js';
import { StandaloneLeader, type Contender, type LeaderDetector } from './leader.js';
import { pingAgents } from './agents.js';
import { MasterMetrics } from './metrics.js';
import { runAllocation } from './offers.js';
import { restoreMaintenance, sendInverseOffers } from './maintenance.js';
import { applyQuota } from './operator-ops.js';
import { RateLimiter } from './rate-limiter.js';

export { HEARTBEAT_INTERVAL_MS, MASTER_VERSION } from './context.js';

export interface MasterOptions {
  flags: MasterFlags;
  store: RegistryStore;
  clock?: Clock;
  leader?: LeaderDetector & Contender;
  logger?: Logger;
}

export class Master implements MasterContext {
  readonly books: MasterBooks = newBooks();
  readonly allocator: HierarchicalAllocator;
  readonly clock: Clock;
  readonly flags: MasterFlags;
  readonly registry: Registry;
  readonly log: Logger;
  readonly leader: LeaderDetector & Contender;
  readonly metrics = new MasterMetrics();
  readonly id = randomUUID();
  readonly startTime: number;
  electedTime: number | undefined;
  /** True until the registry is recovered: HTTP calls answer 503. */
  recovering = true;
  info: v1.MasterInfo;
  readonly operatorSubscribers = new Set<EventSink<master.Event>>();
  /** Ids of frameworks torn down or timed out: they may not re-subscribe. */
  readonly removedFrameworks = new Set<string>();
  /** Framework infos from the registry that have not re-subscribed yet. */
  readonly recoveredFrameworkInfos = new Map<string, v1.FrameworkInfo>();
  readonly removalLimiter: RateLimiter | undefined;
  readonly interner = new ResourcesInterner();
  private frameworkSeq = 0;
  private agentSeq = 0;
  private offerSeq = 0;
  private timers: Timer[] = [];
  private pendingAllocation: { all: boolean; agents: Set<string>; timer: Timer } | undefined;

  constructor(options: MasterOptions) {
    this.flags = options.flags;
    this.clock = options.clock ?? daemonClock;
    this.log = options.logger ?? pino({ level: 'silent' });
    this.registry = new Registry(options.store);
    this.startTime = this.clock.now();
    this.allocator = new HierarchicalAllocator({
      allocationIntervalMs: this.flags.allocationIntervalMs,
      minAllocatable: this.flags.minAllocatableResources,
    });
    this.leader = options.leader ?? new StandaloneLeader(() => ({ hostname: this.hostname, port: this.info.port }));
    this.info = this.makeInfo(this.flags.port);
    const rate = this.flags.agentRemovalRateLimit;
    this.removalLimiter = rate ? new RateLimiter(this.clock, rate.permits, rate.perMs) : undefined;
  }

  get hostname(): string {
    return this.flags.hostname ?? this.flags.advertiseIp ?? this.flags.ip;
  }

  /** Called once the HTTP server is bound: MasterInfo carries the real port. */
  setPort(port: number): void {
    this.info = this.makeInfo(this.flags.advertisePort ?? port);
  }

  private makeInfo(port: number): v1.MasterInfo {
    const ip = this.flags.advertiseIp ?? this.flags.ip;
    return {
      id: this.id,
      ip: ipv4ToUint32(ip),
      port,
      pid: `master@${ip}:${port}`,
      hostname: this.hostname,
      version: MASTER_VERSION,
      address: { hostname: this.hostname, ip, port },
      capabilities: [{ type: 'AGENT_UPDATE' }, { type: 'QUOTA_V2' }],
    };
  }

  /** Recovers the registry, then starts the periodic drivers. */
  async start(): Promise<void> {
    await this.leader.contend();
    this.electedTime = this.clock.now();
    const doc = await this.registry.recover();
    // Agents a previous leader already found unreachable are not waited for again (upstream's registry list).
    const unreachable = new Set(doc.unreachableAgents ?? []);
    for (const a of doc.agents) {
      if (!a.info.id) continue;
      if (unreachable.has(a.info.id.value)) this.books.unreachableAgents.add(a.info.id.value);
      else this.books.recoveredAgents.set(a.info.id.value, a.info);
    }
    for (const id of doc.goneAgents) this.books.goneAgents.add(id);
    const weights = new Map(this.flags.weights);
    for (const w of doc.weights) if (w.role !== undefined) weights.set(w.role, w.weight);
    if (weights.size > 0) this.allocator.updateWeights(weights);
    for (const [role, weight] of weights) this.books.weights.set(role, weight);
    for (const q of doc.quotas) applyQuota(this, q);
    for (const f of doc.frameworks) if (f.id) this.recoveredFrameworkInfos.set(f.id.value, f);
    restoreMaintenance(this, doc.maintenance);
    this.recovering = false;
    this.timers.push(every(this.clock, this.flags.allocationIntervalMs, this.guarded('allocation', () => this.allocateNow(undefined))));
    // As upstream's allocator does each cycle: frameworks that started using a machine in a maintenance window
    // (or agents that came back) since the schedule was posted are asked too. Nothing to do without a schedule.
    this.timers.push(every(this.clock, this.flags.allocationIntervalMs, this.guarded('inverse offers', () => sendInverseOffers(this))));
    this.timers.push(every(this.clock, HEARTBEAT_INTERVAL_MS, this.guarded('heartbeat', () => this.heartbeat())));
    this.timers.push(every(this.clock, this.flags.agentPingTimeoutMs, this.guarded('agent pings', () => pingAgents(this))));
    if (this.books.recoveredAgents.size > 0) {
      // Agents from the registry that do not come back in time are unreachable (upstream's reregister timeout).
      this.timers.push(
        this.clock.setTimer(this.flags.agentReregisterTimeoutMs, () => {
          const ids = [...this.books.recoveredAgents.keys()];
          for (const id of ids) this.books.unreachableAgents.add(id);
          this.log.warn({ agents: ids.length }, 'recovered agents did not re-register in time; they are unreachable');
          this.books.recoveredAgents.clear();
          if (ids.length === 0) return;
          this.registry
            .mutate((d) => {
              const listed = new Set(d.unreachableAgents ?? []);
              d.unreachableAgents = [...listed, ...ids.filter((id) => !listed.has(id))];
            })
            .catch((err: unknown) => this.log.error({ err }, 'could not record the unreachable agents in the registry; the next leader will wait for them again'));
        }),
      );
    }
    this.log.info({ id: this.id, agents: this.books.recoveredAgents.size, frameworks: this.recoveredFrameworkInfos.size }, 'master recovered its registry');
  }

  stop(): void {
    for (const t of this.timers.splice(0)) t.cancel();
    this.pendingAllocation?.timer.cancel();
    this.pendingAllocation = undefined;
    this.removalLimiter?.stop();
    for (const fw of this.books.frameworks.values()) {
      fw.failoverTimer?.cancel();
      fw.stream?.close();
    }
    for (const agent of this.books.agents.values()) agent.stream?.close();
    for (const s of this.operatorSubscribers) s.close();
    for (const offer of this.books.offers.values()) offer.timer?.cancel();
  }

  // ---- ids -----------------------------------------------------------------------------------------------

  nextFrameworkId(): string {
    return `${this.id}-${String(this.frameworkSeq++).padStart(4, '0')}`;
  }
  nextAgentId(): string {
    return `${this.id}-S${this.agentSeq++}`;
  }
  nextOfferId(): string {
    return `${this.id}-O${this.offerSeq++}`;
  }

  // ---- allocation ------------------------------------------------------------------------------------------

  /**
   * Asks for an allocation run soon: for the given agents only, or all when `agents` is undefined. Requests
   * coalesce until the run happens (upstream batches them the same way), so event storms cost one run.
   */
  requestAllocation(agents?: readonly string[]): void {
    if (this.recovering) return;
    if (!this.pendingAllocation) {
      const timer = this.clock.setTimer(
        0,
        this.guarded('allocation', () => {
          const p = this.pendingAllocation;
          this.pendingAllocation = undefined;
          if (p) this.allocateNow(p.all ? undefined : [...p.agents]);
        }),
      );
      this.pendingAllocation = { all: false, agents: new Set(), timer };
    }
    if (agents === undefined) this.pendingAllocation.all = true;
    else for (const a of agents) this.pendingAllocation.agents.add(a);
  }

  allocateNow(agents: readonly string[] | undefined): void {
    if (agents !== undefined && agents.length === 0) return;
    runAllocation(this, agents);
  }

  /**
   * Returns resources to the allocator. The books and the allocator should always agree; if they ever do not,
   * the error is logged (loudly) instead of failing the agent's or scheduler's call, which would retry forever.
   */
  recoverResources(frameworkId: string, agentId: string, resources: Resources, now: number, refuseSeconds?: number): void {
    try {
      this.allocator.recoverResources(frameworkId, agentId, resources, now, refuseSeconds);
    } catch (e) {
      this.log.error({ err: e, framework: frameworkId, agent: agentId, resources: resources.toString() }, 'BUG: allocator and master books disagree');
    }
  }

  /** Timer callbacks must never take the master down. */
  guarded(what: string, fn: () => void): () => void {
    return () => {
      try {
        fn();
      } catch (e) {
        this.log.error({ err: e }, `${what} failed`);
      }
    };
  }

  // ---- events out ------------------------------------------------------------------------------------------

  sendToFramework(fw: FrameworkRecord, event: scheduler.Event): boolean {
    if (!fw.stream || fw.stream.closed) return false;
    fw.stream.send(event);
    return true;
  }

  publish(event: master.Event): void {
    for (const s of this.operatorSubscribers) {
      if (s.closed) this.operatorSubscribers.delete(s);
      else s.send(event);
    }
  }

  private heartbeat(): void {
    for (const fw of this.books.frameworks.values()) if (fw.connected) this.sendToFramework(fw, { type: 'HEARTBEAT' });
    this.publish({ type: 'HEARTBEAT' });
  }
}

/** MasterInfo.ip is the IPv4 address as a uint32 in network order (upstream quirk); 0 when not IPv4. */
function ipv4ToUint32(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return 0;
  // Network byte order read as a little-endian uint32, as upstream stores it.
  return (((parts[3] as number) << 24) | ((parts[2] as number) << 16) | ((parts[1] as number) << 8) | (parts[0] as number)) >>> 0;
}
