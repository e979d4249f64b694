// The kafka-mesos scheduler: a SchedulerClient subscribed as one framework (the id is kept in the state
// store, so a restarted scheduler fails over as the same framework and adopts its running brokers through
// reconciliation instead of restarting them), the broker commands the REST API calls, and the offer loop
// that applies the pure offer plan (reserve + create volume + launch, decline, kill, suppress/revive).
// Every change to the brokers is saved before the Mesos calls that depend on it, serialised on one queue.
import { loadFrameworkId, saveFrameworkId, subscriptionOptions, type ExecutorSpec, type StateStore } from '@mesos-ts/framework-kit';
import type { v1 } from '@mesos-ts/proto';
import { SchedulerClient, isTerminalState, systemClock, type Clock, type Logger, silentLogger } from '@mesos-ts/scheduler';
import { randomUUID } from 'node:crypto';
import { volumeId, type Broker } from '../domain/broker.js';
import type { BrokerParams } from '../domain/broker-params.js';
import { addBrokers, applyStatus, cloneBrokers, markStopping, removeBrokers, selectIds, startBrokers, stopBrokers, updateBrokers, type CommandResult } from '../domain/commands.js';
import { parseMetricsMessage, type BrokerMetrics } from '../domain/broker-metrics.js';
import { KafkaError } from '../domain/errors.js';
import { checkNotVoters } from '../domain/quorum.js';
import { planOffers } from '../domain/offers.js';
import { ClusterStore } from './cluster-state.js';
import { LogRequests } from './log-requests.js';

export interface KafkaSchedulerOptions {
  /** `host:5050`, `h1:5050,h2:5050`. */
  master: string;
  store: StateStore;
  frameworkName: string;
  frameworkRole: string;
  frameworkTimeoutMs: number;
  principal?: string;
  secret?: string;
  user: string;
  /** Kafka's zookeeper.connect; undefined = KRaft. */
  zk?: string;
  executor: ExecutorSpec;
  clock?: Clock;
  logger?: Logger;
  /** Reconciliation retry (ms) and reconnect backoff; tests shorten them. */
  reconcileIntervalMs?: number;
  backoff?: { initialMs: number; maxMs: number };
}

export type StartStatus = 'started' | 'stopped' | 'scheduled' | 'timeout';

export class KafkaScheduler {
  readonly client: SchedulerClient;
  /** Why each broker waiting for resources fit no offer, per agent, from the latest offers. */
  readonly unplaced = new Map<number, string[]>();
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly logs = new LogRequests();
  /** Latest metrics per broker while its task runs (observations, not state: not persisted). */
  private readonly metrics = new Map<number, BrokerMetrics>();
  private readonly waiters = new Set<() => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private suppressed = false;
  private wakeTimer: { cancel(): void } | undefined;

  private constructor(
    private readonly o: KafkaSchedulerOptions,
    private readonly cluster: ClusterStore,
    frameworkId: string | undefined,
  ) {
    this.clock = o.clock ?? systemClock;
    this.log = o.logger ?? silentLogger;
    const identity = { user: o.user, name: o.frameworkName, role: o.frameworkRole, failoverTimeoutSecs: o.frameworkTimeoutMs / 1000, principal: o.principal, secret: o.secret };
    this.client = new SchedulerClient({
      master: o.master,
      ...subscriptionOptions(identity, frameworkId),
      ...(o.reconcileIntervalMs === undefined ? {} : { reconcileIntervalMs: o.reconcileIntervalMs }),
      ...(o.backoff === undefined ? {} : { backoff: o.backoff }),
      clock: this.clock,
      logger: this.log,
    });
    // Brokers with a task from an earlier run are reconciled, not relaunched: Mesos tells what still runs.
    for (const b of cluster.state.brokers) {
      if (b.task === undefined) continue;
      if (b.task.state !== 'stopping') b.task = { ...b.task, state: 'reconciling' };
      this.client.tasks.launched(b.task.id, b.task.agentId, this.clock.now());
    }
    this.client.on('subscribed', ({ frameworkId: id }) => saveFrameworkId(o.store, id));
    this.client.on('offers', (offers) => this.serially(() => this.onOffers(offers)));
    this.client.on('update', (status) => this.serially(() => this.onUpdate(status)));
    this.client.on('message', (m) => this.onMessage(m.data, m.executor_id.value));
    this.client.on('error', (e) => this.log.error({ err: e }, 'the master refused the framework; fix the cause and restart the scheduler'));
  }

  static async create(options: KafkaSchedulerOptions): Promise<KafkaScheduler> {
    const cluster = await ClusterStore.load(options.store);
    return new KafkaScheduler(options, cluster, await loadFrameworkId(options.store));
  }

  start(): void {
    this.client.start();
  }

  async stop(): Promise<void> {
    this.wakeTimer?.cancel();
    this.logs.close();
    await this.client.stop();
    await this.queue;
  }

  now(): number {
    return this.clock.now();
  }

  /** What the broker's executor last reported, while its task runs. */
  metricsOf(id: number): BrokerMetrics | undefined {
    return this.metrics.get(id);
  }

  /** KRaft: the controller quorum once formed (domain/quorum.ts). */
  voters(): string | undefined {
    return this.cluster.state.voters;
  }

  brokers(): readonly Broker[] {
    return this.cluster.state.brokers;
  }

  /** Brokers an expression selects (attribute filters see where each broker runs). */
  select(expr: string): Broker[] {
    const ids = new Set(selectIds(this.brokers(), expr));
    return this.brokers().filter((b) => ids.has(b.id));
  }

  add(expr: string, params: BrokerParams): Promise<Broker[]> {
    return this.command(() => addBrokers(this.brokers(), expr, params));
  }

  update(expr: string, params: BrokerParams): Promise<Broker[]> {
    return this.command(() => updateBrokers(this.brokers(), expr, params));
  }

  clone(expr: string, sourceId: number): Promise<Broker[]> {
    return this.command(() => cloneBrokers(this.brokers(), expr, sourceId));
  }

  remove(expr: string, force: boolean): Promise<Broker[]> {
    return this.command(() => {
      if (this.o.zk === undefined) checkNotVoters(selectIds(this.brokers(), expr), this.cluster.state.voters);
      const result = removeBrokers(this.brokers(), expr, force, (b) => volumeId(this.o.frameworkName, b));
      this.cluster.state.released.push(...result.released);
      if (result.released.length > 0) void this.revive();
      return result;
    });
  }

  /** Activates brokers and waits up to `timeoutMs` (0 = not at all) for them to run. */
  /**
   * Activates brokers and waits for them to run. After a timeout, brokers that never got a task are stopped again
   * (a pending broker would later take a stopped broker's slot and port) unless `keepPending` asks otherwise.
   */
  async startBrokers(expr: string, timeoutMs: number, keepPending = false): Promise<{ status: StartStatus; brokers: Broker[] }> {
    const started = await this.command(() => startBrokers(this.brokers(), selectIds(this.brokers(), expr)));
    await this.revive();
    const ids = started.map((b) => b.id);
    if (timeoutMs === 0) return { status: 'scheduled', brokers: this.byIds(ids) };
    const ok = await this.waitFor(() => this.byIds(ids).every((b) => b.task?.state === 'running'), timeoutMs);
    if (!ok && !keepPending) {
      const unplaced = this.byIds(ids).filter((b) => b.active && b.task === undefined).map((b) => b.id);
      if (unplaced.length > 0) await this.command(() => stopBrokers(this.brokers(), unplaced));
    }
    return { status: ok ? 'started' : 'timeout', brokers: this.byIds(ids) };
  }

  /** Deactivates brokers and kills their tasks; `force` forgets the tasks at once instead of waiting. */
  async stopBrokers(expr: string, timeoutMs: number, force: boolean): Promise<{ status: StartStatus; brokers: Broker[] }> {
    const stopped = await this.command(() => stopBrokers(this.brokers(), selectIds(this.brokers(), expr)));
    const ids = stopped.map((b) => b.id);
    await this.serially(() => this.killInactive(force));
    if (timeoutMs === 0) return { status: 'scheduled', brokers: this.byIds(ids) };
    const ok = await this.waitFor(() => this.byIds(ids).every((b) => b.task === undefined), timeoutMs);
    return { status: ok ? 'stopped' : 'timeout', brokers: this.byIds(ids) };
  }

  /** Rolling restart: stop then start each broker in turn, waiting for each to be back. */
  async restart(expr: string, timeoutMs: number): Promise<Broker[]> {
    const ids = this.select(expr).map((b) => b.id);
    const idle = this.byIds(ids).filter((b) => !b.active || b.task?.state !== 'running');
    if (idle.length > 0) throw new KafkaError('BROKER_RUNNING', `broker ${idle.map((b) => b.id).join(',')} is not running; only running brokers can be restarted (use 'broker start')`);
    for (const id of ids) {
      if ((await this.stopBrokers(String(id), timeoutMs, false)).status === 'timeout') throw new KafkaError('TIMEOUT', `broker ${id} timeout on stop`);
      if ((await this.startBrokers(String(id), timeoutMs)).status === 'timeout') throw new KafkaError('TIMEOUT', `broker ${id} timeout on start`);
    }
    return this.byIds(ids);
  }

  /** The tail of a file of the broker's sandbox or Kafka log dir, read by its executor. */
  async readLog(id: number, name: string, lines: number, timeoutMs: number): Promise<string> {
    const b = this.byIds(selectIds(this.brokers(), String(id)))[0]!;
    if (b.task === undefined || b.task.state !== 'running') throw new KafkaError('BROKER_RUNNING', `broker ${id} is not running; its log is read through its executor, so start it first`);
    const task = b.task;
    return this.logs.request(name, lines, timeoutMs, (data) => this.client.message(task.agentId, task.executorId, data));
  }

  private byIds(ids: readonly number[]): Broker[] {
    return this.brokers().filter((b) => ids.includes(b.id));
  }

  private async command(run: () => CommandResult): Promise<Broker[]> {
    return this.serially(async () => {
      const result = run();
      this.cluster.state.brokers = result.brokers;
      await this.cluster.save();
      this.changed();
      return result.touched;
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = (): void => {
        if (!done()) return;
        finish(true);
      };
      const timer = this.clock.setTimer(timeoutMs, () => finish(false));
      const finish = (ok: boolean): void => {
        timer.cancel();
        this.waiters.delete(check);
        resolve(ok);
      };
      this.waiters.add(check);
    });
  }

  private changed(): void {
    for (const w of [...this.waiters]) w();
  }

  private async revive(): Promise<void> {
    if (!this.client.subscribed) return;
    try {
      await this.client.revive([this.o.frameworkRole]);
      this.suppressed = false;
    } catch (e) {
      this.log.warn({ err: e }, 'revive failed; offers come back after the decline filters expire');
    }
  }

  private async killInactive(force: boolean): Promise<void> {
    const kills: Broker[] = this.brokers().filter((b) => !b.active && b.task !== undefined && (b.task.state !== 'stopping' || force));
    if (kills.length === 0) return;
    this.cluster.state.brokers = this.brokers().map((b) => (kills.includes(b) ? (force ? { ...b, task: undefined } : markStopping(b)) : b));
    await this.cluster.save();
    this.changed();
    for (const b of kills) await this.client.kill(b.task!.id, b.task!.agentId).catch((e: unknown) => this.log.warn({ err: e, broker: b.id }, 'kill failed; retried on the next offers'));
  }

  private async onOffers(offers: v1.Offer[]): Promise<void> {
    if (this.client.tasks.unconfirmed().length > 0) {
      // Until Mesos confirmed what still runs, a launch could start a broker twice.
      await this.client.decline(offers.map((o) => o.id), { refuse_seconds: 1 });
      return;
    }
    const plan = planOffers({
      frameworkName: this.o.frameworkName,
      role: this.o.frameworkRole,
      principal: this.o.principal ?? this.o.frameworkName,
      brokers: this.brokers(),
      offers,
      now: this.clock.now(),
      suppressed: this.suppressed,
      released: this.cluster.state.released,
      mode: { zk: this.o.zk, clusterId: this.cluster.state.clusterId, voters: this.cluster.state.voters },
      executor: this.o.executor,
      uuid: randomUUID,
    });
    this.unplaced.clear();
    for (const u of plan.unplaced) this.unplaced.set(u.brokerId, u.reasons);
    let brokers = this.brokers().map((b) => (plan.deactivate.includes(b.id) ? { ...b, active: false } : b));
    for (const accept of plan.accepts) {
      for (const { brokerId, task, volumeAgentId: agent } of accept.tasks) {
        // With role `*` there is no volume: the broker is tied to its host by stickiness only.
        const volumeAgentId = this.o.frameworkRole === '*' && this.byIds([brokerId])[0]?.volume === undefined ? undefined : agent;
        brokers = brokers.map((b) => (b.id === brokerId ? { ...b, task, volumeAgentId, placement: { hostname: task.hostname, port: task.port, controllerPort: task.controllerPort } } : b));
      }
      for (const op of accept.operations) {
        if (op.type === 'DESTROY' || op.type === 'UNRESERVE') {
          const released = new Set((op.destroy?.volumes ?? []).map((v) => v.disk?.persistence?.id));
          this.cluster.state.released = this.cluster.state.released.filter((id) => !released.has(id));
        }
      }
    }
    this.cluster.state.brokers = brokers;
    if (plan.formedVoters !== undefined) {
      this.cluster.state.voters = plan.formedVoters;
      this.log.info({ voters: plan.formedVoters }, 'KRaft controller quorum formed; brokers added later join as brokers');
    }
    await this.cluster.save();
    this.changed();
    for (const accept of plan.accepts) {
      this.log.info({ offer: accept.offerId, operations: accept.operations.map((o) => o.type), brokers: accept.tasks.map((t) => t.brokerId) }, 'accepting offer');
      await this.client.accept([{ value: accept.offerId }], accept.operations, { refuse_seconds: 1 });
    }
    if (plan.declines.length > 0) await this.client.decline(plan.declines.map((d) => ({ value: d.offerId })), { refuse_seconds: plan.declines[0]!.refuseSeconds });
    await this.killInactive(false);
    if (plan.suppress) await this.client.suppress([this.o.frameworkRole]);
    if (plan.revive) await this.client.revive([this.o.frameworkRole]);
    this.suppressed = (this.suppressed || plan.suppress) && !plan.revive;
    this.scheduleWake(plan.wakeAt);
  }

  /** Framework messages from executors: log answers, and metrics (kept for the broker whose executor sent them). */
  private onMessage(data: Uint8Array, executorId: string): void {
    if (this.logs.onMessage(data)) return;
    const m = parseMetricsMessage(data);
    const broker = this.brokers().find((b) => b.task?.executorId === executorId);
    if (m !== undefined && broker !== undefined && broker.id === m.brokerId) this.metrics.set(broker.id, m.metrics);
  }

  /** After a failover delay ends, offers are needed again: revive then. */
  private scheduleWake(at: number | undefined): void {
    this.wakeTimer?.cancel();
    this.wakeTimer = undefined;
    if (at === undefined) return;
    this.wakeTimer = this.clock.setTimer(Math.max(0, at - this.clock.now()), () => void this.revive());
  }

  private async onUpdate(status: v1.TaskStatus): Promise<void> {
    const id = status.task_id.value;
    const broker = this.brokers().find((b) => b.task?.id === id);
    if (broker === undefined) {
      if (!isTerminalState(status.state)) {
        this.log.warn({ task: id }, 'killing a task no broker owns');
        await this.client.kill(id, status.agent_id?.value);
      }
      return;
    }
    const next = applyStatus(broker, status, this.clock.now());
    if (next.task === undefined) this.metrics.delete(broker.id);
    this.cluster.state.brokers = this.brokers().map((b) => (b.id === broker.id ? next : b));
    await this.cluster.save();
    this.log.info({ broker: broker.id, task: id, state: status.state, message: status.message }, 'broker task update');
    this.changed();
    if (next.task === undefined && next.active) await this.revive();
    // A kill that got lost (agent or master restarted meanwhile): the task still runs, so kill it again.
    if (next.task?.state === 'stopping' && status.state === 'TASK_RUNNING') await this.client.kill(id, next.task.agentId);
  }
}
