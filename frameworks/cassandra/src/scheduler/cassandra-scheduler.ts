// The cassandra-mesos scheduler: one SchedulerClient subscribed as the framework (its id is kept in the state
// store, so a restarted scheduler fails over as the same framework and adopts its running nodes through
// reconciliation instead of launching them again), the RingService the REST API calls, and the loops that
// apply the pure decisions: offers (offers.ts: release, reserve + create volume + launch, decline), task updates
// and health reports (status.ts), kills of nodes told to stop/restart/terminate, cluster jobs (job-driver.ts),
// and suppress/revive: offers are suppressed while no node needs one and revived on scale-up, replacement,
// start or a node failure. Every change is saved before the Mesos calls that depend on it, on one queue.
import { loadFrameworkId, saveFrameworkId, subscriptionOptions, type ExecutorSpec, type StateStore } from '@mesos-ts/framework-kit';
import type { v1 } from '@mesos-ts/proto';
import { SchedulerClient, isTerminalState, silentLogger, systemClock, type Clock, type Logger } from '@mesos-ts/scheduler';
import { randomUUID } from 'node:crypto';
import type { RingService, Snapshot } from '../api/routes.js';
import { ensureNodes } from '../domain/commands.js';
import { isLive, type CassandraNode } from '../domain/node.js';
import { planOffer } from '../domain/offers.js';
import { needsOffers } from '../domain/placement.js';
import { applyHealth, applyTaskStatus } from '../domain/status.js';
import { parseExecutorMessage } from '../domain/task-data.js';
import { JobDriver } from './job-driver.js';
import { RingStore } from './ring-store.js';

export interface CassandraSchedulerOptions {
  /** `h1:5050,h2:5050` or `zk://h:2181/mesos`. */
  master: string;
  store: StateStore;
  env: Readonly<Record<string, string | undefined>>;
  user: string;
  principal: string;
  executor: ExecutorSpec;
  /** Kill grace of a node's task, s (drain, then stop). Default 60. */
  killGraceSeconds?: number;
  clock?: Clock;
  logger?: Logger;
  reconcileIntervalMs?: number;
}

export class CassandraScheduler implements RingService {
  readonly client: SchedulerClient;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly jobs: JobDriver;
  private queue: Promise<unknown> = Promise.resolve();
  private suppressed = false;
  /** Whether a node needed offers at the last look (a new need revives). */
  private needed = false;
  /** Task ids a kill was sent for (re-sent when such a task reports TASK_RUNNING again). */
  private readonly killing = new Set<string>();
  private ticker: { cancel(): void } | undefined;
  private stopped = false;

  private constructor(
    private readonly o: CassandraSchedulerOptions,
    private readonly ringStore: RingStore,
    private current: Snapshot,
    frameworkId: string | undefined,
  ) {
    this.clock = o.clock ?? systemClock;
    this.log = o.logger ?? silentLogger;
    const config = current.ring.config;
    // No principal in FrameworkInfo: the options' principal is the one reservations are made for.
    const identity = { user: o.user, name: `cassandra.${config.clusterName}`, role: config.role, failoverTimeoutSecs: config.failoverTimeoutSeconds };
    this.client = new SchedulerClient({
      master: o.master,
      ...subscriptionOptions(identity, frameworkId),
      ...(o.reconcileIntervalMs === undefined ? {} : { reconcileIntervalMs: o.reconcileIntervalMs }),
      clock: this.clock,
      logger: this.log,
    });
    // Nodes with a task from an earlier run are reconciled, not relaunched: Mesos tells what still runs.
    for (const n of current.ring.nodes) {
      if (n.taskId !== undefined && n.agentId !== undefined && isLive(n)) this.client.tasks.launched(n.taskId, n.agentId, this.clock.now());
    }
    this.jobs = new JobDriver({
      snapshot: () => this.current,
      commit: async (next) => {
        await this.save(next);
        await this.afterChange();
      },
      send: (node, data) => this.client.message(node.agentId!, node.executorId!, data),
      now: () => this.clock.now(),
      log: this.log,
    });
    this.client.on('subscribed', ({ frameworkId: id }) => this.serially(async () => {
      await saveFrameworkId(o.store, id);
      this.log.info({ frameworkId: id, nodes: this.current.ring.nodes.length }, 'subscribed; reconciling nodes from the stored state');
      // A failed-over framework may find its predecessor's suppression and decline filters: start from a known state.
      if (needsOffers(this.current.ring)) await this.revive();
      else await this.suppress();
    }));
    this.client.on('offers', (offers) => this.serially(() => this.onOffers(offers)));
    this.client.on('update', (status) => this.serially(() => this.onUpdate(status)));
    this.client.on('message', (m) => this.serially(() => this.onMessage(m.data, m.executor_id.value)));
    this.client.on('error', (e) => this.log.error({ err: e }, 'the master refused the framework; fix the cause and restart the scheduler'));
  }

  static async create(o: CassandraSchedulerOptions): Promise<{ scheduler: CassandraScheduler; source: 'stored' | 'env' }> {
    const { ringStore, snapshot, source } = await RingStore.load(o.store, o.env);
    return { scheduler: new CassandraScheduler(o, ringStore, snapshot, await loadFrameworkId(o.store)), source };
  }

  start(): void {
    this.client.start();
    const tick = (): void => {
      if (this.stopped) return;
      void this.serially(() => this.jobs.step()).catch((e: unknown) => this.log.warn({ err: e }, 'job step failed'));
      this.ticker = this.clock.setTimer(1_000, tick);
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.ticker?.cancel();
    await this.client.stop();
    await this.queue.catch(() => undefined);
  }

  // RingService (the REST API).
  snapshot(): Snapshot {
    return this.current;
  }

  mutate<T>(change: (s: Snapshot) => { next: Snapshot; result: T }): Promise<T> {
    return this.serially(async () => {
      const { next, result } = change(this.current);
      const grown = { ...next, ring: ensureNodes(next.ring) };
      await this.ringStore.save(grown);
      this.current = grown;
      await this.afterChange();
      return result;
    });
  }

  subscribed(): boolean {
    return this.client.subscribed;
  }

  now(): number {
    return this.clock.now();
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async save(snapshot: Snapshot): Promise<void> {
    await this.ringStore.save(snapshot);
    this.current = snapshot;
  }

  /** Kills nodes that should not run, and revives offers when a node needs one. */
  private async afterChange(): Promise<void> {
    for (const n of this.current.ring.nodes) {
      if (n.targetRunState === 'RUN' || !isLive(n) || n.taskId === undefined || this.killing.has(n.taskId)) continue;
      await this.kill(n);
    }
    // Revive also when a need just appeared: REVIVE clears the long decline filters of a ring that needed nothing.
    const needed = needsOffers(this.current.ring);
    if (needed && (this.suppressed || !this.needed)) await this.revive();
    this.needed = needed;
  }

  private async kill(n: CassandraNode): Promise<void> {
    this.killing.add(n.taskId!);
    this.log.info({ node: n.name, task: n.taskId, target: n.targetRunState }, 'killing node task (the executor drains it first)');
    await this.client.kill(n.taskId!, n.agentId).catch((e: unknown) => {
      this.killing.delete(n.taskId!);
      this.log.warn({ err: e, node: n.name }, 'kill failed; retried on the next change');
    });
  }

  private async revive(): Promise<void> {
    if (!this.client.subscribed) return;
    try {
      await this.client.revive([this.current.ring.config.role]);
      this.suppressed = false;
      this.log.info({}, 'offers revived: a node needs resources');
    } catch (e) {
      this.log.warn({ err: e }, 'revive failed; retried on the next change');
    }
  }

  private async suppress(): Promise<void> {
    await this.client.suppress([this.current.ring.config.role]).then(
      () => {
        this.suppressed = true;
        this.log.info({}, 'offers suppressed: every node has what it needs');
      },
      (e: unknown) => this.log.warn({ err: e }, 'suppress failed; offers are declined instead'),
    );
  }

  private async onOffers(offers: v1.Offer[]): Promise<void> {
    if (this.client.tasks.unconfirmed().length > 0) {
      // Until Mesos confirmed what still runs, a launch could start a node twice.
      await this.client.decline(offers.map((o) => o.id), { refuse_seconds: 1 });
      return;
    }
    const config = this.current.ring.config;
    let ring = this.current.ring;
    const accepts: Array<{ offer: v1.Offer; operations: v1.Offer.Operation[]; launched?: string; released: string[] }> = [];
    const declines: Array<{ offer: v1.Offer; reason: string }> = [];
    for (const offer of offers) {
      const plan = planOffer({ ring, offer, now: this.clock.now(), role: config.role, principal: this.o.principal, executor: this.o.executor, uuid: randomUUID, killGraceSeconds: this.o.killGraceSeconds ?? 60 });
      if (plan.kind === 'decline') {
        declines.push({ offer, reason: plan.reason });
        continue;
      }
      ring = plan.ring;
      accepts.push({ offer, operations: plan.operations, released: plan.released, ...(plan.launched === undefined ? {} : { launched: plan.launched }) });
    }
    if (accepts.length > 0) await this.save({ ...this.current, ring });
    for (const a of accepts) {
      this.log.info({ agent: a.offer.hostname, operations: a.operations.map((op) => op.type), node: a.launched, released: a.released }, a.launched === undefined ? 'releasing terminated nodes\' volumes' : 'launching node');
      await this.client.accept([a.offer.id], a.operations, { refuse_seconds: 1 });
    }
    const wanted = needsOffers(ring);
    if (declines.length > 0) {
      for (const d of declines) this.log.debug({ agent: d.offer.hostname, reason: d.reason }, 'declining offer');
      // Short while a node waits for its turn (others to be NORMAL, bootstrap grace); long when nothing is needed.
      await this.client.decline(declines.map((d) => d.offer.id), { refuse_seconds: wanted ? 5 : 120 });
    }
    this.needed = wanted;
    if (!wanted && !this.suppressed) await this.suppress();
  }

  private async onUpdate(status: v1.TaskStatus): Promise<void> {
    const id = status.task_id.value;
    const node = this.current.ring.nodes.find((n) => n.taskId === id);
    if (node === undefined) {
      if (!isTerminalState(status.state)) {
        this.log.warn({ task: id }, 'killing a task no node owns');
        await this.client.kill(id, status.agent_id?.value);
      }
      return;
    }
    const data = status.data === undefined || status.data.length === 0 ? undefined : new TextDecoder().decode(status.data);
    const next = applyTaskStatus(node, { taskId: id, state: status.state, ...(data === undefined ? {} : { data }) }, this.clock.now());
    this.log.info({ node: node.name, task: id, state: status.state, message: status.message, reason: status.reason }, 'node task update');
    if (isTerminalState(status.state)) this.killing.delete(id);
    await this.save({ ...this.current, ring: { ...this.current.ring, nodes: this.current.ring.nodes.map((n) => (n.name === node.name ? next : n)) } });
    // A kill that got lost (agent or master restarted meanwhile): the task still runs, so kill it again.
    if (status.state === 'TASK_RUNNING' && next.targetRunState !== 'RUN') this.killing.delete(id);
    await this.afterChange();
  }

  private async onMessage(data: Uint8Array, executorId: string): Promise<void> {
    const m = parseExecutorMessage(data);
    const node = this.current.ring.nodes.find((n) => n.executorId === executorId);
    if (m === undefined || node === undefined || node.name !== m.node) return;
    if (m.type === 'job-result') {
      await this.jobs.onResult(m);
      return;
    }
    if (!isLive(node)) return;
    const next = applyHealth(node, m, this.clock.now());
    await this.save({ ...this.current, ring: { ...this.current.ring, nodes: this.current.ring.nodes.map((n) => (n.name === node.name ? next : n)) } });
  }
}
