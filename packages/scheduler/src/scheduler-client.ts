// The scheduler client for `/api/v1/scheduler`. It subscribes, keeps the event stream, watches HEARTBEATs
// (the stream is dropped after `heartbeatMisses` silent intervals), reconnects with jittered exponential
// backoff, follows 307 redirects to the leader, rotates through its MasterDetector (or follows ZooKeeper's
// leader election for `zk://…/mesos`: a subscription ends when the leader changes), fails over with the
// framework id it got (FrameworkInfo.id + Call.framework_id), acknowledges status updates (optional) and
// reconciles: implicitly after every subscription, explicitly for unconfirmed non-terminal tasks with a
// doubling interval until every task's state is known.
//
// Events are delivered to typed handlers (`client.on('offers', fn)`, see SchedulerEvents) in stream order;
// a promise a handler returns is awaited before the next event (and before auto-acknowledging an update),
// so keep handlers quick: a handler stuck longer than the heartbeat timeout makes the stream look dead.
import { readFileSync } from 'node:fs';
import type { scheduler, v1 } from '@mesos-ts/proto';
import { APPLICATION_JSON, basicAuthorization, isWireError, post, subscribe, type ContentType, type EventStream } from '@mesos-ts/wire';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import * as calls from './calls.js';
import { TypedEmitter, silentLogger, systemClock, type Clock, type Logger, type Random, type Timer } from '@mesos-ts/common';
import { SchedulerError } from './errors.js';
import { StaticMasterDetector, checkZkMaster, masterDetectorFor, type MasterDetector } from './master-detector.js';
import { Reconciler } from './reconciler.js';
import { TaskTracker } from './task-tracker.js';
import { deliverEvent, type SchedulerEvents, type SubscribedInfo } from './scheduler-events.js';

export interface SchedulerClientOptions {
  /**
   * `h1:5050,h2:5050`, `zk://h1:2181,h2:2181/mesos` (the client opens a ZooKeeper detector on start() and
   * closes it on stop()), or a detector of your own (which you close).
   */
  master: string | MasterDetector;
  framework: v1.FrameworkInfo;
  /** Framework id from an earlier run: subscribe as a failover of it. Overrides `framework.id`. */
  frameworkId?: string;
  /** Encoding of calls and events. Default application/json. */
  contentType?: ContentType;
  /** Acknowledge status updates with a uuid after the 'update' handlers (and their promises) finish. Default true. */
  autoAcknowledge?: boolean;
  /** Roles to subscribe suppressed; kept up to date by suppress()/revive() for later re-subscriptions. */
  suppressedRoles?: string[];
  offerConstraints?: scheduler.OfferConstraints;
  backoff?: BackoffOptions;
  /** Missed heartbeat intervals before the stream is considered dead. Default 5. */
  heartbeatMisses?: number;
  /** First explicit reconciliation retry, ms; doubles up to `reconcileMaxIntervalMs`. Default 5000. */
  reconcileIntervalMs?: number;
  /** Default 60000. */
  reconcileMaxIntervalMs?: number;
  /** Redirects followed in a row before backing off. Default 5. */
  maxRedirects?: number;
  /** Extra request headers, e.g. Authorization. */
  headers?: Record<string, string>;
  /**
   * Principal and secret for a master with --authenticate_frameworks: every call carries them (HTTP Basic) and
   * `framework.principal` defaults to the principal. See credentialFromEnv() for MESOS_PRINCIPAL/MESOS_SECRET.
   */
  credential?: { principal: string; secret: string };
  clock?: Clock;
  random?: Random;
  logger?: Logger;
}

interface Session {
  master: string;
  streamId: string;
  stream: EventStream<'mesos.v1.scheduler.Event'>;
}

type Outcome =
  | { kind: 'redirect'; to: string }
  | { kind: 'lost'; reason: string; subscribed: boolean; leaderChanged?: boolean }
  | { kind: 'fatal'; error: SchedulerError };

export class SchedulerClient {
  /** Task states as this client saw them; add tasks known from persisted state with `tasks.launched()`. */
  readonly tasks = new TaskTracker();
  /** Builds the detector on start(); an owned one (from a zk:// string) is closed and dropped on stop(). */
  private readonly detectorFor: () => MasterDetector;
  private readonly ownsDetector: boolean;
  private detector: MasterDetector | undefined;
  private unwatchLeader: (() => void) | undefined;
  /** Bumped on every leader change the detector reports; a stream opened in an older epoch is dropped. */
  private leaderEpoch = 0;
  private liveStream: { stream: EventStream<'mesos.v1.scheduler.Event'>; leaderChanged: boolean } | undefined;
  private readonly emitter: TypedEmitter<SchedulerEvents>;
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly log: Logger;
  private readonly contentType: ContentType;
  private framework: v1.FrameworkInfo;
  private id: string | undefined;
  private suppressed: Set<string>;
  private session: Session | undefined;
  private subscriptions = 0;
  private stopped = true;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private sleepTimer: Timer | undefined;
  private readonly reconciler: Reconciler;
  private nextTarget: string | undefined;
  private abort = new AbortController();

  constructor(private readonly options: SchedulerClientOptions) {
    if (options.credential) this.options = withCredential(options, options.credential);
    const master = options.master;
    if (typeof master !== 'string') {
      this.detectorFor = () => master;
      this.ownsDetector = false;
    } else if (master.trim().startsWith('zk://')) {
      const url = checkZkMaster(master.trim());
      this.detectorFor = () => masterDetectorFor(url);
      this.ownsDetector = true;
    } else {
      const list = new StaticMasterDetector(master);
      this.detectorFor = () => list;
      this.ownsDetector = false;
    }
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.log = options.logger ?? silentLogger;
    this.contentType = options.contentType ?? APPLICATION_JSON;
    this.framework = this.options.framework;
    this.id = options.frameworkId ?? options.framework.id?.value;
    this.suppressed = new Set(options.suppressedRoles ?? []);
    this.emitter = new TypedEmitter((event, error) => this.log.error({ event, err: error }, 'scheduler event handler failed'));
    this.reconciler = new Reconciler(this.tasks, this.clock, (call) => this.call(call), (e) => this.log.warn({ err: e }, 'reconciliation call failed'), {
      firstMs: options.reconcileIntervalMs ?? 5_000,
      maxMs: options.reconcileMaxIntervalMs ?? 60_000,
    });
  }

  on<K extends keyof SchedulerEvents>(event: K, handler: (...args: SchedulerEvents[K]) => unknown): () => void {
    return this.emitter.on(event, handler);
  }

  /** The framework id once known (given, or assigned by the master in SUBSCRIBED). */
  get frameworkId(): string | undefined {
    return this.id;
  }

  /** `host:port` of the master of the live subscription, undefined while (re)connecting. */
  get master(): string | undefined {
    return this.session?.master;
  }

  get subscribed(): boolean {
    return this.session !== undefined;
  }

  /** Starts subscribing in the background; events arrive through the handlers. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.abort = new AbortController();
    const detector = (this.detector ??= this.detectorFor());
    this.unwatchLeader = detector.subscribe?.(() => this.onLeaderChange());
    this.running = this.run(detector).catch((e: unknown) => this.log.error({ err: e }, 'scheduler client loop failed'));
  }

  /**
   * Closes the stream and stops reconnecting. The framework stays registered (use teardown() to end it);
   * a detector passed in stays open (its owner closes it), one the client opened for a zk:// master is closed.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.unwatchLeader?.();
    this.unwatchLeader = undefined;
    if (this.ownsDetector) {
      this.detector?.close?.();
      this.detector = undefined;
    }
    this.reconciler.stop();
    this.sleepTimer?.cancel();
    this.wake?.();
    this.session?.stream.close();
    await this.running;
  }

  accept(offerIds: readonly calls.Id[], operations: v1.Offer.Operation[], filters?: v1.Filters): Promise<void> {
    const agent = (task: v1.TaskInfo): string => task.agent_id.value;
    for (const task of calls.launchedTasks(operations)) this.tasks.launched(task.task_id.value, agent(task), this.clock.now());
    return this.call(calls.acceptCall(offerIds, operations, filters));
  }

  launch(offerIds: readonly calls.Id[], tasks: v1.TaskInfo[], filters?: v1.Filters): Promise<void> {
    return this.accept(offerIds, [calls.launchOperation(tasks)], filters);
  }

  decline(offerIds: readonly calls.Id[], filters?: v1.Filters): Promise<void> {
    return this.call(calls.declineCall(offerIds, filters));
  }

  /** Empty `roles` = all the framework's roles. */
  async revive(roles: readonly string[] = []): Promise<void> {
    await this.call(calls.reviveCall(roles));
    for (const r of roles.length > 0 ? roles : this.frameworkRoles()) this.suppressed.delete(r);
  }

  /** Empty `roles` = all the framework's roles. */
  async suppress(roles: readonly string[] = []): Promise<void> {
    await this.call(calls.suppressCall(roles));
    for (const r of roles.length > 0 ? roles : this.frameworkRoles()) this.suppressed.add(r);
  }

  kill(taskId: calls.Id, agentId?: calls.Id, killPolicy?: v1.KillPolicy): Promise<void> {
    return this.call(calls.killCall(taskId, agentId, killPolicy));
  }

  shutdown(executorId: calls.Id, agentId: calls.Id): Promise<void> {
    return this.call(calls.shutdownCall(executorId, agentId));
  }

  /** Acknowledges a status update (a no-op for statuses without uuid, e.g. reconciliation answers). */
  async acknowledge(status: v1.TaskStatus): Promise<void> {
    const call = calls.acknowledgeCall(status);
    if (call !== undefined) await this.call(call);
  }

  /** Acknowledges an operation status update (a no-op without uuid). */
  async acknowledgeOperationStatus(status: v1.OperationStatus): Promise<void> {
    const call = calls.acknowledgeOperationStatusCall(status);
    if (call !== undefined) await this.call(call);
  }

  /** No tasks = implicit reconciliation. */
  reconcile(tasks: ReadonlyArray<{ taskId: calls.Id; agentId?: calls.Id | undefined }> = []): Promise<void> {
    return this.call(calls.reconcileCall(tasks));
  }

  message(agentId: calls.Id, executorId: calls.Id, data: Uint8Array): Promise<void> {
    return this.call(calls.messageCall(agentId, executorId, data));
  }

  /** Changes the FrameworkInfo (name, roles, capabilities, failover timeout…); later re-subscriptions use it. */
  async updateFramework(info: v1.FrameworkInfo, options: { offerConstraints?: scheduler.OfferConstraints } = {}): Promise<void> {
    const framework_info = { ...info, ...(this.id === undefined ? {} : { id: { value: this.id } }) };
    await this.call(calls.updateFrameworkCall(framework_info, { suppressedRoles: [...this.suppressed], ...options }));
    this.framework = info;
  }

  /** Ends the framework: the master kills its tasks and forgets it. The client stops. */
  async teardown(): Promise<void> {
    await this.call({ type: 'TEARDOWN' });
    await this.stop();
  }

  private frameworkRoles(): string[] {
    return this.framework.roles ?? [this.framework.role ?? '*'];
  }

  private async call(call: scheduler.Call): Promise<void> {
    const session = this.session;
    if (session === undefined || this.id === undefined) {
      throw new SchedulerError('NOT_SUBSCRIBED', `cannot send ${call.type}: not subscribed to a master right now; retry after the 'subscribed' event`);
    }
    let response;
    try {
      response = await post({
        url: `http://${session.master}/api/v1/scheduler`,
        callType: 'mesos.v1.scheduler.Call',
        call: { ...call, framework_id: { value: this.id } },
        contentType: this.contentType,
        headers: { ...this.options.headers, 'Mesos-Stream-Id': session.streamId },
      });
    } catch (e) {
      const status = isWireError(e) ? e.status : undefined;
      const code = status !== undefined && status >= 400 && status < 500 ? 'CALL_REJECTED' : 'CALL_FAILED';
      throw new SchedulerError(code, `${call.type} failed: ${(e as Error).message}`, { cause: e, ...(status === undefined ? {} : { status }) });
    }
    if (response.kind === 'redirect') {
      // This master no longer leads: resubscribe at the new leader.
      this.nextTarget = response.url.host;
      session.stream.close();
      throw new SchedulerError('CALL_FAILED', `${call.type} failed: master ${session.master} is not the leader any more (redirected to ${response.location}); retry after re-subscribing`, { status: response.status });
    }
  }

  /** The elected leader changed (or is gone): drop a stream to the old one; cut a backoff sleep short. */
  private onLeaderChange(): void {
    this.leaderEpoch++;
    this.nextTarget = undefined;
    const live = this.liveStream;
    if (live !== undefined) {
      live.leaderChanged = true;
      live.stream.close();
    }
    this.wake?.();
  }

  private async run(detector: MasterDetector): Promise<void> {
    let attempt = 0;
    let redirects = 0;
    while (!this.stopped) {
      let master: string;
      if (this.nextTarget !== undefined) {
        master = this.nextTarget;
        this.nextTarget = undefined;
      } else {
        try {
          master = await detector.next(this.abort.signal);
        } catch (e) {
          if (this.stopped) break;
          this.log.warn({ err: e }, 'master detection failed');
          await this.sleep(backoffDelay(attempt++, this.random, this.options.backoff));
          continue;
        }
      }
      // Changes the detector reported before this point are already in its answer.
      const epoch = this.leaderEpoch;
      const outcome = await this.connect(master, epoch);
      if (this.stopped) break;
      if (outcome.kind === 'fatal') {
        this.stopped = true;
        this.log.error({ master, err: outcome.error }, 'framework failed');
        await this.emitter.emit('error', outcome.error);
        break;
      }
      if (outcome.kind === 'redirect' && ++redirects <= (this.options.maxRedirects ?? 5)) {
        this.log.info({ from: master, to: outcome.to }, 'following redirect to the leading master');
        this.nextTarget = outcome.to;
        continue;
      }
      redirects = 0;
      // A leader change during a failed attempt (e.g. to the dead leader) is one too: no backoff either.
      if (outcome.kind === 'lost' && (outcome.leaderChanged === true || epoch !== this.leaderEpoch)) {
        // Not a failure: ask the detector for the new leader at once and re-subscribe with the framework id.
        attempt = 0;
        this.log.info({ master, reason: outcome.reason }, 'the leading master changed; re-subscribing');
        await this.emitter.emit('disconnected', { master, reason: outcome.reason, retryInMs: 0 });
        continue;
      }
      if (outcome.kind === 'lost' && outcome.subscribed) attempt = 0;
      const reason = outcome.kind === 'lost' ? outcome.reason : `too many redirects (last to ${outcome.to})`;
      const retryInMs = backoffDelay(attempt++, this.random, this.options.backoff);
      this.log.warn({ master, reason, retryInMs }, 'disconnected from master');
      await this.emitter.emit('disconnected', { master, reason, retryInMs });
      if (epoch === this.leaderEpoch) await this.sleep(retryInMs);
    }
  }

  private async connect(master: string, epoch: number): Promise<Outcome> {
    const call = calls.subscribeCall(this.framework, this.id, [...this.suppressed], this.options.offerConstraints);
    let response;
    try {
      response = await subscribe({
        url: `http://${master}/api/v1/scheduler`,
        callType: 'mesos.v1.scheduler.Call',
        eventType: 'mesos.v1.scheduler.Event',
        call,
        contentType: this.contentType,
        ...(this.options.headers === undefined ? {} : { headers: this.options.headers }),
        signal: this.abort.signal,
      });
    } catch (e) {
      const status = isWireError(e) ? e.status : undefined;
      if (status !== undefined && status >= 400 && status < 500) {
        return { kind: 'fatal', error: new SchedulerError('FRAMEWORK_FAILED', `master ${master} refused SUBSCRIBE: ${(e as Error).message}`, { cause: e, status }) };
      }
      return { kind: 'lost', reason: (e as Error).message, subscribed: false };
    }
    if (response.kind === 'redirect') return { kind: 'redirect', to: response.url.host };
    return this.consume(master, response, epoch);
  }

  private async consume(master: string, stream: EventStream<'mesos.v1.scheduler.Event'>, epoch: number): Promise<Outcome> {
    const live = { stream, leaderChanged: epoch !== this.leaderEpoch };
    this.liveStream = live;
    // The leader changed while this subscription was being set up: it may be to a master that no longer leads.
    if (live.leaderChanged) stream.close();
    let reason: string | undefined;
    let subscribed = false;
    let silenceMs = (this.options.heartbeatMisses ?? 5) * 15_000;
    let watchdog: Timer | undefined;
    const arm = (): void => {
      watchdog?.cancel();
      watchdog = this.clock.setTimer(silenceMs, () => {
        reason = `no event from master ${master} for ${silenceMs} ms (missed heartbeats)`;
        stream.close();
      });
    };
    arm();
    try {
      for await (const event of stream.events) {
        if (event.type === 'SUBSCRIBED' && event.subscribed !== undefined) {
          subscribed = true;
          silenceMs = (this.options.heartbeatMisses ?? 5) * (event.subscribed.heartbeat_interval_seconds ?? 15) * 1000;
          this.session = { master, streamId: stream.streamId ?? '', stream };
        }
        arm();
        const fatal = await this.dispatch(master, event);
        if (fatal !== undefined) return { kind: 'fatal', error: fatal };
      }
      if (live.leaderChanged) return { kind: 'lost', reason: `master ${master} is no longer the elected leader`, subscribed, leaderChanged: true };
      return { kind: 'lost', reason: reason ?? `master ${master} closed the event stream`, subscribed };
    } catch (e) {
      if (live.leaderChanged) return { kind: 'lost', reason: `master ${master} is no longer the elected leader`, subscribed, leaderChanged: true };
      return { kind: 'lost', reason: reason ?? (e as Error).message, subscribed };
    } finally {
      if (this.liveStream === live) this.liveStream = undefined;
      watchdog?.cancel();
      this.reconciler.stop();
      this.session = undefined;
      stream.close();
    }
  }

  /** Handles one event; returns an error when the event ends the framework. */
  private async dispatch(master: string, event: scheduler.Event): Promise<SchedulerError | undefined> {
    await this.emitter.emit('event', event);
    switch (event.type) {
      case 'SUBSCRIBED': {
        const s = event.subscribed!;
        this.id = s.framework_id.value;
        this.detector?.leader?.(master);
        this.log.info({ master, frameworkId: this.id }, 'subscribed');
        const info: SubscribedInfo = {
          frameworkId: this.id,
          heartbeatIntervalSeconds: s.heartbeat_interval_seconds ?? 15,
          masterInfo: s.master_info,
          master,
          resubscribed: this.subscriptions++ > 0,
        };
        // Every live task's state is unknown again from this moment, also for the 'subscribed' handlers.
        this.tasks.subscribed();
        await this.emitter.emit('subscribed', info);
        this.reconciler.start();
        return undefined;
      }
      case 'UPDATE':
        if (event.update !== undefined) await this.onUpdate(event.update.status);
        return undefined;
      case 'UPDATE_OPERATION_STATUS':
        if (event.update_operation_status !== undefined) await this.onOperationUpdate(event.update_operation_status.status);
        return undefined;
      case 'ERROR':
        return new SchedulerError('FRAMEWORK_FAILED', `master ${master} sent ERROR: ${event.error?.message ?? '(no message)'}`);
      default:
        if (!(await deliverEvent(this.emitter, event))) this.log.debug({ type: event.type }, 'ignoring unknown event type');
        return undefined;
    }
  }

  private async onUpdate(status: v1.TaskStatus): Promise<void> {
    this.tasks.update(status, this.clock.now());
    await this.emitter.emit('update', status);
    if (this.options.autoAcknowledge === false || calls.acknowledgeCall(status) === undefined) return;
    // Acknowledged only after the handlers finished (at-least-once): an unacknowledged update is resent.
    this.acknowledge(status).catch((e: unknown) => this.log.warn({ err: e, taskId: status.task_id.value }, 'acknowledgement failed; the agent will resend the update'));
  }

  private async onOperationUpdate(status: v1.OperationStatus): Promise<void> {
    await this.emitter.emit('operationUpdate', status);
    if (this.options.autoAcknowledge === false || calls.acknowledgeOperationStatusCall(status) === undefined) return;
    this.acknowledgeOperationStatus(status).catch((e: unknown) => this.log.warn({ err: e, operationId: status.operation_id?.value }, 'operation status acknowledgement failed; it will be resent'));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.sleepTimer = this.clock.setTimer(ms, resolve);
    });
  }
}

/** The options with the credential's Authorization header, and the principal in FrameworkInfo when unset. */
function withCredential(options: SchedulerClientOptions, c: { principal: string; secret: string }): SchedulerClientOptions {
  return {
    ...options,
    framework: { ...options.framework, principal: options.framework.principal ?? c.principal },
    headers: { ...options.headers, Authorization: basicAuthorization(c.principal, c.secret) },
  };
}

/**
 * A credential from the environment, as upstream's schedulers take it: MESOS_PRINCIPAL with MESOS_SECRET, or
 * MESOS_SECRET_FILE (a file holding the secret). Undefined when no principal is set.
 */
export function credentialFromEnv(env: Readonly<Record<string, string | undefined>> = process.env, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): { principal: string; secret: string } | undefined {
  const principal = env.MESOS_PRINCIPAL;
  if (!principal) return undefined;
  const secret = env.MESOS_SECRET ?? (env.MESOS_SECRET_FILE ? readFile(env.MESOS_SECRET_FILE).trim() : undefined);
  if (secret === undefined) throw new Error('MESOS_PRINCIPAL is set without MESOS_SECRET or MESOS_SECRET_FILE');
  return { principal, secret };
}
