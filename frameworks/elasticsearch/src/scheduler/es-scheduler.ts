// The elasticsearch-mesos scheduler: one SchedulerClient subscribed as the framework (its id kept in the state
// store, so a scheduler restarted after kill -9 fails over as the same framework and adopts the running nodes
// through reconciliation), the offer loop applying the pure plan (domain/offer-plan.ts), status updates
// applied to the stored cluster state, suppress/revive, and the ClusterControl the REST API and page use.
// Every change is saved before the Mesos calls that depend on it, serialised on one queue.
import { loadFrameworkId, saveFrameworkId, subscriptionOptions, type StateStore } from '@mesos-ts/framework-kit';
import type { v1 } from '@mesos-ts/proto';
import { SchedulerClient, silentLogger, systemClock, type Clock, type Logger } from '@mesos-ts/scheduler';
import { randomUUID } from 'node:crypto';
import type { ClusterControl, TaskView } from '../api/routes.js';
import { applyUpdate, emptyState, isTerminal, mesosState, needsOffers, type ClusterState } from '../domain/cluster-state.js';
import { planOffers, type PlanConfig } from '../domain/offer-plan.js';

const STATE_KEY = 'cluster';

export interface EsSchedulerOptions {
  master: string;
  store: StateStore;
  plan: PlanConfig;
  desiredNodes: number;
  failoverTimeoutSecs: number;
  user: string;
  principal?: string;
  secret?: string;
  /** GET /v1/cluster's body. */
  publicConfig: Record<string, unknown>;
  clock?: Clock;
  logger?: Logger;
  reconcileIntervalMs?: number;
}

export class EsScheduler implements ClusterControl {
  readonly client: SchedulerClient;
  /** Why the latest offers were declined, per agent (logged and shown nowhere else). */
  readonly declined = new Map<string, string>();
  private readonly log: Logger;
  private readonly clock: Clock;
  private queue: Promise<unknown> = Promise.resolve();
  private suppressed = false;
  private listeners = new Set<() => void>();

  private constructor(
    private readonly o: EsSchedulerOptions,
    private s: ClusterState,
    private version: number | undefined,
    frameworkId: string | undefined,
  ) {
    this.log = o.logger ?? silentLogger;
    this.clock = o.clock ?? systemClock;
    const identity = { user: o.user, name: o.plan.frameworkName, role: o.plan.role, failoverTimeoutSecs: o.failoverTimeoutSecs, principal: o.principal, secret: o.secret };
    this.client = new SchedulerClient({
      master: o.master,
      ...subscriptionOptions(identity, frameworkId),
      ...(o.reconcileIntervalMs === undefined ? {} : { reconcileIntervalMs: o.reconcileIntervalMs }),
      clock: this.clock,
      logger: this.log,
    });
    // Nodes with a task from an earlier run are reconciled, not relaunched: Mesos tells what still runs.
    for (const n of s.nodes) if (n.task !== undefined) this.client.tasks.launched(n.task.id, n.task.agentId, this.clock.now());
    this.client.on('subscribed', ({ frameworkId: id }) =>
      this.serially(async () => {
        await saveFrameworkId(o.store, id);
        // A predecessor (or this instance before a reconnect) may have suppressed offers, and a change made
        // while disconnected could not revive them: ask again now when nodes are wanted.
        await this.reviveIfNeeded(true);
      }),
    );
    this.client.on('offers', (offers) => this.serially(() => this.onOffers(offers)));
    this.client.on('update', (status) => this.serially(() => this.onUpdate(status)));
    this.client.on('error', (e) => this.log.error({ err: e }, 'the master refused the framework; fix the cause and restart the scheduler'));
  }

  static async create(o: EsSchedulerOptions): Promise<EsScheduler> {
    const stored = await o.store.get<ClusterState>(STATE_KEY);
    return new EsScheduler(o, stored?.value ?? emptyState(o.desiredNodes), stored?.version, await loadFrameworkId(o.store));
  }

  start(): void {
    this.client.start();
  }

  async stop(): Promise<void> {
    await this.client.stop();
    await this.queue;
  }

  /** Framework teardown: Mesos kills every node and forgets the framework; the stored state goes too. */
  async teardown(): Promise<void> {
    await this.client.teardown();
    await this.client.stop();
    await this.queue;
  }

  state(): ClusterState {
    return this.s;
  }

  /** Called on every state change (the scale-down loop waits on it). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ClusterControl
  config(): Record<string, unknown> {
    return { ...this.o.publicConfig, elasticsearchNodes: this.s.desired };
  }

  desiredNodes(): number {
    return this.s.desired;
  }

  async setDesiredNodes(n: number): Promise<void> {
    await this.serially(async () => {
      this.s = { ...this.s, desired: n };
      await this.save();
      this.log.info({ desired: n, nodes: this.s.nodes.length }, 'desired node count changed');
      // Revived even when this instance never suppressed: a predecessor (failover) may have.
      await this.reviveIfNeeded(true);
    });
  }

  tasks(): TaskView[] {
    return this.s.nodes.flatMap((n) =>
      n.task === undefined
        ? []
        : [{ id: n.task.id, name: n.name, agentId: n.task.agentId, hostname: n.task.hostname, state: mesosState(n.task), httpAddress: `${n.task.hostname}:${n.task.httpPort}`, transportAddress: `${n.task.hostname}:${n.task.transportPort}`, health: n.task.health }],
    );
  }

  connected(): boolean {
    return this.client.subscribed;
  }

  /** Marks a node as being removed and kills its task (scale-down's killing step). */
  async removeNode(name: string): Promise<void> {
    await this.serially(async () => {
      const node = this.s.nodes.find((n) => n.name === name);
      if (node === undefined) return;
      this.s = { ...this.s, nodes: this.s.nodes.map((n) => (n === node ? { ...n, removing: true, ...(n.task === undefined ? {} : { task: { ...n.task, state: 'killing' as const } }) } : n)) };
      if (node.task === undefined) {
        // No task: nothing to kill, forget it now (its volume, if any, is released).
        const released = node.persistenceId !== undefined && node.agentId !== undefined ? [...this.s.released, { persistenceId: node.persistenceId, agentId: node.agentId }] : this.s.released;
        this.s = { ...this.s, nodes: this.s.nodes.filter((n) => n.name !== name), released };
      }
      await this.save();
      if (node.task !== undefined) await this.client.kill(node.task.id, node.task.agentId);
      await this.reviveIfNeeded(true);
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch((e: unknown) => this.log.error({ err: e }, 'scheduler step failed'));
    return next;
  }

  private async save(): Promise<void> {
    this.version = await this.o.store.put(STATE_KEY, this.s, this.version);
    for (const l of [...this.listeners]) l();
  }

  private async reviveIfNeeded(always = false): Promise<void> {
    if ((!this.suppressed && !always) || !needsOffers(this.s) || !this.client.subscribed) return;
    await this.client.revive([this.o.plan.role]);
    this.suppressed = false;
    this.log.info({}, 'offers revived');
  }

  private async onOffers(offers: v1.Offer[]): Promise<void> {
    if (this.client.tasks.unconfirmed().length > 0) {
      // Until Mesos confirmed what still runs, a launch could start a second node on an agent.
      await this.client.decline(offers.map((o) => o.id), { refuse_seconds: 1 });
      return;
    }
    const plan = planOffers(this.s, offers, this.o.plan, this.clock.now(), randomUUID);
    this.s = plan.state;
    if (plan.accepts.length > 0) await this.save();
    for (const a of plan.accepts) {
      if (a.launched?.task !== undefined) this.client.tasks.launched(a.launched.task.id, a.agentId, this.clock.now());
      this.log.info({ offer: a.offerId, agent: a.agentId, node: a.launched?.name, operations: a.operations.map((op) => op.type), released: a.releasedId }, 'accepting offer');
      await this.client.accept([{ value: a.offerId }], a.operations, { refuse_seconds: 1 });
    }
    const more = needsOffers(this.s);
    this.declined.clear();
    for (const d of plan.declines) this.declined.set(offers.find((o) => o.id.value === d.offerId)?.agent_id.value ?? '?', d.reason);
    if (plan.declines.length > 0) {
      this.log.debug({ declines: plan.declines }, 'declining offers');
      // While nodes are missing, offers come back soon, so a new agent (or a freed one) is noticed within seconds.
      await this.client.decline(plan.declines.map((d) => ({ value: d.offerId })), { refuse_seconds: more ? 2 : 120 });
    }
    if (!more && !this.suppressed) {
      await this.client.suppress([this.o.plan.role]);
      this.suppressed = true;
      this.log.info({ nodes: this.s.nodes.length }, 'every node placed; offers suppressed');
    }
  }

  private async onUpdate(status: v1.TaskStatus): Promise<void> {
    const id = status.task_id.value;
    const outcome = applyUpdate(this.s, id, status.state, status.data);
    if (outcome.kind === 'unknown-task') {
      if (!isTerminal(status.state)) {
        this.log.warn({ task: id }, 'killing a task no node owns');
        await this.client.kill(id, status.agent_id?.value);
      }
      return;
    }
    const before = this.s.nodes.find((n) => n.task?.id === id);
    this.s = outcome.state;
    await this.save();
    if (before?.task?.state !== this.s.nodes.find((n) => n.task?.id === id)?.task?.state || outcome.removed !== undefined || status.state !== 'TASK_RUNNING') {
      this.log.info({ node: before?.name, task: id, state: status.state, message: status.message }, 'node task update');
    }
    // A kill that got lost (agent or master restarted meanwhile): the task still runs, so kill it again.
    if (before?.removing === true && status.state === 'TASK_RUNNING') await this.client.kill(id, status.agent_id?.value);
    await this.reviveIfNeeded(isTerminal(status.state));
  }
}
