// The launcher: one Mesos framework running every app. App definitions, versions, tasks and the framework id
// live in the state store, written before the Mesos calls that depend on them, so a launcher killed with -9
// comes back as the same framework, reconciles and adopts its running tasks instead of launching twice.
// Decisions (validation, offer plans, kills, backoff) are the pure functions in ../domain.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { loadFrameworkId, saveFrameworkId, type StateStore } from '@mesos-ts/framework-kit';
import type { v1 } from '@mesos-ts/proto';
import { SchedulerClient, isTerminalState, launchOperation, silentLogger, type Logger } from '@mesos-ts/scheduler';
import type { AppDefinition } from '../domain/app.js';
import { afterFailure, NO_BACKOFF, type Backoff } from '../domain/backoff.js';
import { deploymentDone, tasksToKill, type Deployment } from '../domain/deployment.js';
import { offerFields, planOffers } from '../domain/offers.js';
import { planReleases, reservationFailed, type Resident } from '../domain/resident.js';
import type { OfferFields } from '../domain/constraints.js';
import type { TaskFailure, TaskRecord } from '../domain/task.js';

export interface LauncherOptions {
  master: string;
  store: StateStore;
  frameworkName: string;
  role: string;
  /** Principal of the launcher's reservations (its framework principal when it has one). */
  principal?: string;
  /** Secret of `principal`: with it the launcher authenticates to the master (HTTP Basic) as that principal. */
  secret?: string;
  user: string;
  failoverTimeoutSecs: number;
  hostname: string;
  webuiUrl?: string;
  logger?: Logger;
}

interface State {
  apps: AppDefinition[];
  versions: Record<string, string[]>;
  tasks: TaskRecord[];
  deployments: Deployment[];
  failures: Record<string, TaskFailure>;
  /** Reservations + volumes of resident app instances. */
  residents: Resident[];
  /** Residents whose volume is destroyed and reservation given back when their agent offers them. */
  releasing: Resident[];
}

const STATE_KEY = 'launcher-state';

export class Launcher {
  readonly client: SchedulerClient;
  readonly events = new EventEmitter();
  readonly startedAt = Date.now();
  private readonly log: Logger;
  private readonly backoff = new Map<string, Backoff>();
  private readonly agentFields = new Map<string, OfferFields>();
  private queue: Promise<unknown> = Promise.resolve();
  private version: number | undefined;

  private constructor(
    readonly o: LauncherOptions,
    private state: State,
    version: number | undefined,
    frameworkId: string | undefined,
  ) {
    this.version = version;
    this.log = o.logger ?? silentLogger;
    this.events.setMaxListeners(0);
    this.client = new SchedulerClient({
      master: o.master,
      framework: {
        user: o.user,
        name: o.frameworkName,
        roles: [o.role],
        hostname: o.hostname,
        failover_timeout: o.failoverTimeoutSecs,
        checkpoint: true,
        capabilities: [{ type: 'MULTI_ROLE' }, { type: 'TASK_KILLING_STATE' }],
        ...(o.webuiUrl === undefined ? {} : { webui_url: o.webuiUrl }),
      },
      ...(frameworkId === undefined ? {} : { frameworkId }),
      ...(o.principal !== undefined && o.secret !== undefined ? { credential: { principal: o.principal, secret: o.secret } } : {}),
      logger: this.log,
    });
    for (const t of state.tasks) this.client.tasks.launched(t.id, t.agentId, Date.now());
    this.client.on('subscribed', ({ frameworkId: id }) => void saveFrameworkId(o.store, id).catch((e: unknown) => this.log.error({ err: e }, 'cannot save the framework id')));
    this.client.on('offers', (offers) => void this.serially(() => this.onOffers(offers)).catch((e: unknown) => this.offersFailed(offers, e)));
    this.client.on('update', (s) => void this.serially(() => this.onUpdate(s)).catch((e: unknown) => this.log.error({ err: e }, 'update handling failed')));
  }

  static async create(o: LauncherOptions): Promise<Launcher> {
    const stored = await o.store.get<State>(STATE_KEY);
    const state: State = { apps: [], versions: {}, tasks: [], deployments: [], failures: {}, residents: [], releasing: [], ...stored?.value };
    return new Launcher(o, state, stored?.version, await loadFrameworkId(o.store));
  }

  start(): void {
    this.client.start();
  }

  async stop(): Promise<void> {
    await this.client.stop();
    await this.queue.catch(() => undefined);
  }

  apps(): readonly AppDefinition[] {
    return this.state.apps;
  }
  app(id: string): AppDefinition | undefined {
    return this.state.apps.find((a) => a.id === id);
  }
  tasks(appId?: string): readonly TaskRecord[] {
    return appId === undefined ? this.state.tasks : this.state.tasks.filter((t) => t.appId === appId);
  }
  versions(appId: string): readonly string[] {
    return this.state.versions[appId] ?? [];
  }
  deployments(): readonly Deployment[] {
    return this.state.deployments;
  }
  lastFailure(appId: string): TaskFailure | undefined {
    return this.state.failures[appId];
  }
  residents(appId?: string): readonly Resident[] {
    return appId === undefined ? this.state.residents : this.state.residents.filter((r) => r.appId === appId);
  }
  deploymentsOf(appId: string): Deployment[] {
    return this.state.deployments.filter((d) => d.affectedApps.includes(appId));
  }
  /** Every agent's fields seen in offers (for impossible-constraint checks). */
  knownAgents(): OfferFields[] {
    return [...this.agentFields.values()];
  }

  /** Stores a new or changed app (or a deletion: `app` undefined) and starts a deployment for it. */
  deploy(appId: string, app: AppDefinition | undefined, action: string): Promise<Deployment> {
    return this.serially(async () => {
      const previous = this.app(appId);
      // A newer deployment of the same app replaces an older one (the caller checked force).
      this.state.deployments = this.state.deployments.filter((d) => !d.affectedApps.includes(appId));
      const deployment: Deployment = { id: randomUUID(), version: app?.version ?? new Date().toISOString(), affectedApps: [appId], actions: [{ action, app: appId }], previous };
      if (app === undefined) {
        this.state.apps = this.state.apps.filter((a) => a.id !== appId);
        delete this.state.versions[appId];
        delete this.state.failures[appId];
        this.release(this.state.residents.filter((r) => r.appId === appId));
      } else {
        this.state.apps = [...this.state.apps.filter((a) => a.id !== appId), app];
        const versions = this.state.versions[appId] ?? [];
        if (!versions.includes(app.version)) this.state.versions[appId] = [app.version, ...versions];
        if (previous?.version !== app.version) this.backoff.delete(appId);
      }
      this.state.deployments.push(deployment);
      this.emit('deployment_info', { plan: { id: deployment.id, version: deployment.version }, currentStep: { actions: deployment.actions } });
      await this.converge();
      await this.revive();
      return deployment;
    });
  }

  /**
   * Kills tasks on request (DELETE /v2/apps/{id}/tasks); `scale` lowers instances so they are not replaced;
   * `wipe` also destroys the tasks' persistent volumes and gives their reservations back.
   */
  killTasks(appId: string, taskIds: readonly string[], scale: boolean, wipe = false): Promise<TaskRecord[]> {
    return this.serially(async () => {
      const victims = this.state.tasks.filter((t) => t.appId === appId && taskIds.includes(t.id));
      if (scale) {
        const app = this.app(appId);
        if (app !== undefined) this.state.apps = this.state.apps.map((a) => (a.id === appId ? { ...a, instances: Math.max(0, a.instances - victims.length) } : a));
      }
      this.state.tasks = this.state.tasks.map((t) => (victims.includes(t) ? { ...t, killing: true } : t));
      if (wipe) this.release(this.state.residents.filter((r) => victims.some((t) => t.residentId === r.id)));
      await this.save();
      for (const t of victims) await this.kill(t);
      if (!scale) await this.revive();
      return victims;
    });
  }

  /** Rolls back or stops a deployment (DELETE /v2/deployments/{id}). */
  cancelDeployment(id: string, force: boolean): Promise<Deployment | undefined> {
    return this.serially(async () => {
      const d = this.state.deployments.find((x) => x.id === id);
      if (d === undefined) return undefined;
      this.state.deployments = this.state.deployments.filter((x) => x !== d);
      if (!force && d.previous !== undefined) this.state.apps = [...this.state.apps.filter((a) => a.id !== d.previous!.id), d.previous];
      await this.converge();
      return d;
    });
  }

  /** Forgets residents (new instances get new reservations) and queues their release. */
  private release(residents: readonly Resident[]): void {
    this.state.residents = this.state.residents.filter((r) => !residents.includes(r));
    this.state.releasing.push(...residents);
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async save(): Promise<void> {
    this.version = await this.o.store.put(STATE_KEY, this.state, this.version ?? -1);
  }

  private emit(eventType: string, data: Record<string, unknown>): void {
    this.events.emit('event', { eventType, timestamp: new Date().toISOString(), ...data });
  }

  /** Saves, then kills what must go and finishes deployments that converged. */
  private async converge(mustSave = true): Promise<void> {
    const kills: TaskRecord[] = [];
    for (const app of this.state.apps) kills.push(...tasksToKill(app, this.state.tasks));
    for (const t of this.state.tasks) if (t.killing !== true && !this.state.apps.some((a) => a.id === t.appId)) kills.push(t);
    this.state.tasks = this.state.tasks.map((t) => (kills.includes(t) ? { ...t, killing: true } : t));
    const done = this.state.deployments.filter((d) => d.affectedApps.every((id) => deploymentDone(this.app(id), id, this.state.tasks)));
    this.state.deployments = this.state.deployments.filter((d) => !done.includes(d));
    // A write per status update would cost an fsync each; running/healthy states come back by reconciliation.
    if (mustSave || kills.length > 0 || done.length > 0) await this.save();
    for (const d of done) this.emit('deployment_success', { id: d.id, plan: { id: d.id, version: d.version } });
    for (const t of kills) await this.kill(t);
  }

  private async kill(t: TaskRecord): Promise<void> {
    await this.client.kill(t.id, t.agentId).catch((e: unknown) => this.log.warn({ err: e, task: t.id }, 'kill failed; retried on the next update'));
  }

  private async revive(): Promise<void> {
    if (this.client.subscribed) await this.client.revive([this.o.role]).catch(() => undefined);
  }

  private async onOffers(offers: v1.Offer[]): Promise<void> {
    for (const o of offers) this.agentFields.set(o.agent_id.value, offerFields(o));
    if (this.client.tasks.unconfirmed().length > 0) {
      // Until Mesos confirmed what still runs, a launch could start an instance twice.
      await this.client.decline(offers.map((o) => o.id), { refuse_seconds: 1 });
      return;
    }
    const released = planReleases(offers, this.state.releasing, this.o.role);
    if (released.accepts.length > 0) {
      this.state.releasing = this.state.releasing.filter((r) => !released.released.includes(r.id));
      await this.save();
      for (const a of released.accepts) {
        this.log.info({ offer: a.offerId, operations: a.operations.map((o) => o.type) }, 'releasing persistent volumes and reservations');
        await this.client.accept([{ value: a.offerId }], a.operations, { refuse_seconds: 1 });
      }
      offers = offers.filter((o) => !released.accepts.some((a) => a.offerId === o.id.value));
    }
    const now = Date.now();
    const plan = planOffers({ apps: this.state.apps, tasks: this.state.tasks, agentFields: this.agentFields, backoff: this.backoff, offers, role: this.o.role, principal: this.o.principal ?? this.o.frameworkName, residents: this.state.residents, now, uuid: randomUUID });
    for (const l of plan.launches) {
      this.state.tasks.push(...l.records);
      this.state.residents.push(...l.residents);
    }
    if (plan.launches.length > 0) await this.save();
    for (const l of plan.launches) {
      this.log.info({ offer: l.offerId, tasks: l.records.map((r) => r.id), reserving: l.residents.map((r) => r.id) }, 'launching');
      await this.client.accept([{ value: l.offerId }], [...l.operations, launchOperation(l.tasks)], { refuse_seconds: 1 });
    }
    const waiting = [...this.backoff.values()].some((b) => b.notBefore > now);
    if (plan.declines.length > 0) await this.client.decline(plan.declines.map((value) => ({ value })), { refuse_seconds: waiting || plan.unplaced.size > 0 ? 1 : 5 });
  }

  /** An offer round that failed half-way must not hold its offers (their resources would be offered to nobody). */
  private offersFailed(offers: readonly v1.Offer[], e: unknown): void {
    this.log.error({ err: e }, 'offer handling failed; declining the offers');
    void this.client.decline(offers.map((o) => o.id), { refuse_seconds: 1 }).catch(() => undefined);
  }

  private async onUpdate(status: v1.TaskStatus): Promise<void> {
    const id = status.task_id.value;
    const task = this.state.tasks.find((t) => t.id === id);
    if (task === undefined) {
      if (!isTerminalState(status.state)) await this.client.kill(id, status.agent_id?.value);
      return;
    }
    const now = new Date().toISOString();
    let next: TaskRecord = { ...task, state: status.state };
    if (status.state === 'TASK_RUNNING' && task.startedAt === undefined) next.startedAt = now;
    if (status.healthy !== undefined && status.healthy !== task.healthy) {
      next = { ...next, healthy: status.healthy };
      this.emit('health_status_changed_event', { appId: task.appId, taskId: id, instanceId: id, version: task.version, alive: status.healthy });
    }
    this.emit('status_update_event', { slaveId: task.agentId, taskId: id, taskStatus: status.state, message: status.message ?? '', appId: task.appId, host: task.host, ports: task.ports, version: task.version });
    if (isTerminalState(status.state)) {
      this.state.tasks = this.state.tasks.filter((t) => t.id !== id);
      // Whatever part of its reservation was made is given back; the replacement reserves afresh.
      if (reservationFailed(task, status)) this.release(this.state.residents.filter((r) => r.id === task.residentId));
      const app = this.app(task.appId);
      if (task.killing !== true && status.state !== 'TASK_FINISHED' && app !== undefined) {
        this.state.failures[task.appId] = { appId: task.appId, host: task.host, message: status.message ?? `${status.state} (${status.reason ?? 'no reason given'})`, state: status.state, taskId: id, timestamp: now, version: task.version };
        this.backoff.set(task.appId, afterFailure(app, this.backoff.get(task.appId) ?? NO_BACKOFF, Date.now()));
        this.log.warn({ task: id, state: status.state, message: status.message }, 'task failed; replacing it after the backoff');
      }
    } else {
      this.state.tasks = this.state.tasks.map((t) => (t.id === id ? next : t));
    }
    await this.converge(isTerminalState(status.state));
    if (isTerminalState(status.state)) await this.revive();
  }
}
