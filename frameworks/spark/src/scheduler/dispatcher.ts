// The dispatcher: one framework subscribed through the SDK's SchedulerClient (its id kept in the store, so a
// restarted dispatcher fails over as the same framework and reconciles its launched tasks instead of launching
// them again), the REST operations (submit, kill, status) and the offer loop applying the pure round plan.
// All changes go through one serial queue and are saved before the ACCEPT/KILL calls that depend on them.
import { loadFrameworkId, saveFrameworkId, subscriptionOptions, type StateStore } from '@mesos-ts/framework-kit';
import type { v1 } from '@mesos-ts/proto';
import { SchedulerClient, silentLogger, systemClock, type Clock, type Logger, type Timer } from '@mesos-ts/scheduler';
import type { SparkConstraints } from '../domain/constraints.js';
import { kill, onTaskStatus, status, submit, type Answer, type DispatcherConf, type DispatcherState, type TaskRef } from '../domain/dispatcher-state.js';
import type { StatusSummary } from '../domain/driver.js';
import { planOffers } from '../domain/offers.js';
import type { CreateSubmissionRequest } from '../domain/submission.js';
import { DispatcherStore } from './dispatcher-store.js';

export interface DispatcherOptions {
  /** `host:5050`, `h1:5050,h2:5050` or `zk://…/mesos`. */
  master: string;
  store: StateStore;
  name: string;
  role: string;
  user: string;
  conf: DispatcherConf;
  driverConstraints: SparkConstraints;
  rejectOfferSeconds: number;
  /** Dispatcher framework failover timeout, seconds. */
  failoverTimeoutSec: number;
  /** The web UI address registered as FrameworkInfo.webui_url. */
  webuiUrl?: string;
  clock?: Clock;
  logger?: Logger;
}

export class Dispatcher {
  readonly client: SchedulerClient;
  private readonly clock: Clock;
  private readonly log: Logger;
  private queue: Promise<unknown> = Promise.resolve();
  private suppressed = false;
  private ready = false;
  private wakeTimer: Timer | undefined;
  /** Why queued drivers fit no offer, from the latest round (for the UI). */
  unplaced = new Map<string, string[]>();

  private constructor(
    private readonly o: DispatcherOptions,
    private readonly store: DispatcherStore,
    frameworkId: string | undefined,
  ) {
    this.clock = o.clock ?? systemClock;
    this.log = o.logger ?? silentLogger;
    this.client = new SchedulerClient({
      master: o.master,
      ...subscriptionOptions({ user: o.user, name: o.name, role: o.role, failoverTimeoutSecs: o.failoverTimeoutSec, webuiUrl: o.webuiUrl }, frameworkId),
      clock: this.clock,
      logger: this.log,
    });
    // Tasks of an earlier run are reconciled: Mesos says which still run, and nothing is launched twice meanwhile.
    const s = store.state;
    for (const l of s.launched) for (const t of [{ taskId: l.taskId, agentId: l.agentId }, l.master, ...l.workers]) this.client.tasks.launched(t.taskId, t.agentId, this.clock.now());
    for (const c of s.cleanup) this.client.tasks.launched(c.taskId, c.agentId, this.clock.now());
    this.client.on('subscribed', (info) => this.serially(async () => {
      await saveFrameworkId(o.store, info.frameworkId);
      this.ready = true;
      this.suppressed = false;
      this.log.info({ frameworkId: info.frameworkId, master: info.master, resubscribed: info.resubscribed }, 'dispatcher registered');
      await this.killAll(this.store.state.cleanup);
    }));
    this.client.on('offers', (offers) => this.serially(() => this.onOffers(offers)));
    this.client.on('update', (st) => this.serially(() => this.onUpdate(st)));
    this.client.on('error', (e) => this.log.error({ err: e }, 'the master refused the dispatcher; fix the cause and restart it'));
  }

  static async create(o: DispatcherOptions): Promise<Dispatcher> {
    return new Dispatcher(o, await DispatcherStore.load(o.store), await loadFrameworkId(o.store));
  }

  start(): void {
    this.client.start();
    this.scheduleWake();
  }

  async stop(): Promise<void> {
    this.wakeTimer?.cancel();
    await this.client.stop();
    await this.queue.catch(() => undefined);
  }

  get frameworkId(): string | undefined {
    return this.client.frameworkId;
  }

  get masterAddress(): string | undefined {
    return this.client.master;
  }

  state(): DispatcherState {
    return this.store.state;
  }

  submit(request: CreateSubmissionRequest): Promise<Answer> {
    return this.serially(async () => {
      const r = submit(this.store.state, request, this.o.conf, this.clock.now(), this.ready);
      if (r.state !== this.store.state) {
        await this.store.save(r.state);
        this.log.info({ submissionId: r.answer.submissionId, name: r.state.queued.at(-1)?.desc.name }, 'driver queued');
        await this.revive();
      }
      return r.answer;
    });
  }

  kill(id: string): Promise<Answer> {
    return this.serially(async () => {
      const r = kill(this.store.state, id, this.o.conf, this.clock.now(), this.ready);
      if (r.state !== this.store.state) await this.store.save(r.state);
      this.log.info({ submissionId: id, success: r.answer.success, message: r.answer.message }, 'kill request');
      if (r.killTask !== undefined) await this.killAll([r.killTask]);
      return r.answer;
    });
  }

  status(id: string): Answer & { status?: StatusSummary } {
    return status(this.store.state, id);
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch((e: unknown) => this.log.error({ err: e }, 'dispatcher step failed'));
    return next;
  }

  private async killAll(tasks: readonly TaskRef[]): Promise<void> {
    if (!this.client.subscribed) return;
    for (const t of tasks) await this.client.kill(t.taskId, t.agentId === '' ? undefined : t.agentId).catch((e: unknown) => this.log.warn({ err: e, task: t.taskId }, 'kill failed; retried when the task reports again'));
  }

  private async revive(): Promise<void> {
    if (!this.client.subscribed) return;
    await this.client.revive([this.o.role]).catch((e: unknown) => this.log.warn({ err: e }, 'revive failed'));
    this.suppressed = false;
  }

  private async onOffers(offers: v1.Offer[]): Promise<void> {
    if (this.client.tasks.unconfirmed().length > 0) {
      // Until Mesos confirmed which tasks still run, a launch could start a driver twice.
      await this.client.decline(offers.map((o) => o.id), { refuse_seconds: 1 });
      return;
    }
    const plan = planOffers({ state: this.store.state, offers, now: this.clock.now(), role: this.o.role, driverConstraints: this.o.driverConstraints, rejectOfferSeconds: this.o.rejectOfferSeconds });
    this.unplaced = new Map(plan.unplaced.map((u) => [u.submissionId, u.reasons]));
    if (plan.launches.length > 0) await this.store.save(plan.state);
    for (const launch of plan.launches) {
      for (const t of launch.tasks) this.client.tasks.launched(t.task_id.value, t.agent_id.value, this.clock.now());
      this.log.info({ offer: launch.offerId, tasks: launch.tasks.map((t) => t.task_id.value) }, 'launching');
      await this.client.launch([{ value: launch.offerId }], launch.tasks, { refuse_seconds: 1 });
    }
    if (plan.declines.length > 0) {
      const byRefuse = new Map<number, string[]>();
      for (const d of plan.declines) byRefuse.set(d.refuseSeconds, [...(byRefuse.get(d.refuseSeconds) ?? []), d.offerId]);
      for (const [refuse, ids] of byRefuse) await this.client.decline(ids.map((value) => ({ value })), { refuse_seconds: refuse });
    }
    if (plan.suppress && !this.suppressed) {
      await this.client.suppress([this.o.role]);
      this.suppressed = true;
      this.log.info({}, 'nothing to place: offers suppressed');
    }
    this.scheduleWake(plan.wakeAt);
  }

  private async onUpdate(st: v1.TaskStatus): Promise<void> {
    const summary: StatusSummary = {
      taskId: st.task_id.value,
      state: st.state,
      ...(st.message === undefined || st.message === '' ? {} : { message: st.message }),
      ...(st.reason === undefined ? {} : { reason: st.reason }),
      ...(st.source === undefined ? {} : { source: st.source }),
      ...(st.agent_id?.value === undefined ? {} : { agentId: st.agent_id.value }),
      ...(st.timestamp === undefined ? {} : { timestamp: st.timestamp }),
    };
    const before = this.store.state;
    const effect = onTaskStatus(before, summary, this.o.conf, this.clock.now());
    // Reconciliation answers that change nothing are not written.
    if (JSON.stringify(effect.state) !== JSON.stringify(before)) await this.store.save(effect.state);
    this.log.info({ task: summary.taskId, state: summary.state, message: summary.message }, 'task update');
    await this.killAll(effect.kills);
    if (effect.revive) await this.revive();
    this.scheduleWake();
  }

  /** Revives when the earliest waiting retry is due. */
  private scheduleWake(at?: number): void {
    const due = at ?? Math.min(...this.store.state.pendingRetry.map((q) => q.retry!.nextRetry));
    this.wakeTimer?.cancel();
    this.wakeTimer = undefined;
    if (!Number.isFinite(due)) return;
    this.wakeTimer = this.clock.setTimer(Math.max(0, due - this.clock.now()), () => void this.serially(() => this.revive()));
  }
}
