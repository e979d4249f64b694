// The executor client for the agent's `/api/v1/executor`, configured from the MESOS_* environment.
// It subscribes (listing unacknowledged tasks and updates, so nothing is lost across an agent restart),
// delivers events to typed handlers, sends status updates with fresh uuids and resends them until the agent
// ACKNOWLEDGEs, sends messages and periodic HEARTBEAT calls, and decides when the executor must exit:
//   - SHUTDOWN from the agent: 'shutdown' handlers run (kill tasks, send TASK_KILLED), pending updates get
//     until the grace period (MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD) to be acknowledged, then `finished` resolves;
//   - agent connection lost: without checkpointing exit at once; with it, re-subscribe (random backoff up to
//     MESOS_SUBSCRIPTION_BACKOFF_MAX) until MESOS_RECOVERY_TIMEOUT passes.
import { randomUUID } from 'node:crypto';
import type { executor, v1 } from '@mesos-ts/proto';
import { APPLICATION_JSON, isWireError, post, subscribe, type ContentType, type EventStream } from '@mesos-ts/wire';
import { TypedEmitter, silentLogger, systemClock, type Clock, type Logger, type Random, type Timer } from '@mesos-ts/common';
import { executorEnvironment, type ExecutorEnvironment } from './environment.js';
import { ExecutorError } from './errors.js';
import { UpdateBook } from './update-book.js';

export interface ExecutorClientOptions {
  /** Default: read from process.env. */
  environment?: ExecutorEnvironment;
  /** Default application/json. */
  contentType?: ContentType;
  /** Resend an unacknowledged update after this long, ms. Default 10000. */
  resendIntervalMs?: number;
  /** Send a HEARTBEAT call this often while subscribed, ms; 0 = never. Default 30000. */
  heartbeatIntervalMs?: number;
  clock?: Clock;
  random?: Random;
  logger?: Logger;
}

export type ExitReason =
  | { kind: 'shutdown' }
  | { kind: 'agent-lost'; detail: string }
  | { kind: 'recovery-timeout'; detail: string }
  | { kind: 'stopped' };

export interface ExecutorEvents {
  subscribed: [executor.Event.Subscribed & { resubscribed: boolean }];
  launch: [v1.TaskInfo];
  launchGroup: [v1.TaskGroupInfo];
  kill: [executor.Event.Kill];
  /** The agent acknowledged this update. */
  acknowledged: [v1.TaskStatus];
  message: [Uint8Array];
  heartbeat: [];
  /** The agent sent ERROR. */
  error: [string];
  disconnected: [{ reason: string; retryInMs: number }];
  /** Kill every task now and send their terminal updates; `deadline` (ms since epoch) is when the executor exits. */
  shutdown: [{ reason: ExitReason; deadline: number }];
}

/** A status as the executor gives it; the client fills in uuid, timestamp, source and executor id. */
export type StatusInput = Omit<v1.TaskStatus, 'uuid' | 'timestamp' | 'source' | 'executor_id'>;

export class ExecutorClient {
  /** Resolves when the executor should exit (after a graceful shutdown, or when the agent is gone for good). */
  readonly finished: Promise<ExitReason>;
  readonly environment: ExecutorEnvironment;
  private readonly emitter: TypedEmitter<ExecutorEvents>;
  private readonly book = new UpdateBook();
  private readonly clock: Clock;
  private readonly random: Random;
  private readonly log: Logger;
  private readonly contentType: ContentType;
  private readonly abort = new AbortController();
  private stream: EventStream<'mesos.v1.executor.Event'> | undefined;
  private subscribedOnce = false;
  private started = false;
  private stopped = false;
  private shuttingDown = false;
  private resolveFinished!: (reason: ExitReason) => void;
  /** Named timers (sleep, grace, resend, heartbeat), one of each at most; all cancelled when the client finishes. */
  private readonly timers = new Map<'sleep' | 'grace' | 'resend' | 'heartbeat', Timer>();
  private wake: (() => void) | undefined;

  constructor(private readonly options: ExecutorClientOptions = {}) {
    this.environment = options.environment ?? executorEnvironment(process.env);
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.log = options.logger ?? silentLogger;
    this.contentType = options.contentType ?? APPLICATION_JSON;
    this.emitter = new TypedEmitter((event, error) => this.log.error({ event, err: error }, 'executor event handler failed'));
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  on<K extends keyof ExecutorEvents>(event: K, handler: (...args: ExecutorEvents[K]) => unknown): () => void {
    return this.emitter.on(event, handler);
  }

  get subscribed(): boolean {
    return this.stream !== undefined;
  }

  /** Status updates the agent has not acknowledged yet. */
  get pendingUpdates(): number {
    return this.book.pendingCount;
  }

  /** Subscribes and keeps the subscription in the background (once; later calls do nothing). */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.run().catch((e: unknown) => this.log.error({ err: e }, 'executor client loop failed'));
  }

  /** Sends a status update (kept and resent until acknowledged). Resolves with its uuid once handed over or queued. */
  async update(input: StatusInput): Promise<Uint8Array> {
    if (input.state === 'TASK_STAGING') throw new ExecutorError('INVALID_UPDATE', `task ${input.task_id.value}: TASK_STAGING is sent by the agent only; send TASK_STARTING or TASK_RUNNING`);
    const status: v1.TaskStatus = {
      ...input,
      source: 'SOURCE_EXECUTOR',
      executor_id: { value: this.environment.executorId },
      timestamp: this.clock.now() / 1000,
      uuid: new Uint8Array(Buffer.from(randomUUID().replaceAll('-', ''), 'hex')),
    };
    this.book.added(status);
    if (this.stream !== undefined) await this.sendUpdate(status);
    return status.uuid!;
  }

  message(data: Uint8Array): Promise<void> {
    return this.call({ type: 'MESSAGE', message: { data } });
  }

  /** Closes the connection and resolves `finished` with 'stopped' (tests, or an executor leaving on its own). */
  async stop(): Promise<void> {
    this.finish({ kind: 'stopped' });
    await this.finished;
  }

  private async run(): Promise<void> {
    // Since when no subscription has been live (the recovery timeout counts from there).
    let lostSince = this.clock.now();
    while (!this.stopped) {
      const { reason, subscribed } = await this.connect();
      if (this.stopped) return;
      if (this.shuttingDown) {
        await this.finished;
        return;
      }
      if (subscribed) lostSince = this.clock.now();
      if (!this.environment.checkpoint) {
        await this.shutdown({ kind: 'agent-lost', detail: `${reason}; the framework does not checkpoint, so the executor exits` });
        return;
      }
      const elapsed = this.clock.now() - lostSince;
      if (elapsed >= this.environment.recoveryTimeoutMs) {
        await this.shutdown({ kind: 'recovery-timeout', detail: `no agent at ${this.environment.agentEndpoint} for ${elapsed} ms (${reason})` });
        return;
      }
      const retryInMs = Math.round(this.random() * this.environment.subscriptionBackoffMaxMs);
      await this.emitter.emit('disconnected', { reason, retryInMs });
      await this.sleep(retryInMs);
    }
  }

  /** One subscription, until it ends; returns why it ended. */
  private async connect(): Promise<{ reason: string; subscribed: boolean }> {
    let stream: EventStream<'mesos.v1.executor.Event'>;
    try {
      const response = await subscribe({
        url: this.url(),
        callType: 'mesos.v1.executor.Call',
        eventType: 'mesos.v1.executor.Event',
        call: this.envelope({
          type: 'SUBSCRIBE',
          subscribe: { unacknowledged_tasks: this.book.unacknowledgedTasks(), unacknowledged_updates: this.book.unacknowledgedUpdates() },
        }),
        contentType: this.contentType,
        headers: this.headers(),
        signal: this.abort.signal,
        peer: 'agent',
      });
      if (response.kind === 'redirect') {
        return { reason: `agent answered ${response.status} (redirect to ${response.location}), which executors do not follow`, subscribed: false };
      }
      stream = response;
    } catch (e) {
      return { reason: (e as Error).message, subscribed: false };
    }
    let subscribed = false;
    try {
      for await (const event of stream.events) {
        if (event.type === 'SUBSCRIBED') {
          subscribed = true;
          this.stream = stream;
          this.onSubscribed();
        }
        await this.dispatch(event);
      }
      return { reason: `agent at ${this.environment.agentEndpoint} closed the event stream`, subscribed };
    } catch (e) {
      return { reason: (e as Error).message, subscribed };
    } finally {
      this.stream = undefined;
      this.timers.get('resend')?.cancel();
      this.timers.get('heartbeat')?.cancel();
      stream.close();
    }
  }

  private onSubscribed(): void {
    // SUBSCRIBE carried every pending update: they count as handed over now.
    for (const u of this.book.unacknowledgedUpdates()) this.book.sent(u.status.uuid!, this.clock.now());
    const resendMs = this.options.resendIntervalMs ?? 10_000;
    const resend = (): void => {
      for (const status of this.book.due(this.clock.now(), resendMs)) void this.sendUpdate(status);
      this.timer('resend', resendMs, resend);
    };
    this.timer('resend', resendMs, resend);
    const heartbeatMs = this.options.heartbeatIntervalMs ?? 30_000;
    if (heartbeatMs > 0) {
      const beat = (): void => {
        this.call({ type: 'HEARTBEAT' }).catch((e: unknown) => this.log.debug({ err: e }, 'heartbeat call failed'));
        this.timer('heartbeat', heartbeatMs, beat);
      };
      this.timer('heartbeat', heartbeatMs, beat);
    }
  }

  private async dispatch(event: executor.Event): Promise<void> {
    switch (event.type) {
      case 'SUBSCRIBED':
        await this.emitter.emit('subscribed', { ...event.subscribed!, resubscribed: this.subscribedOnce });
        this.subscribedOnce = true;
        return;
      case 'LAUNCH':
        if (event.launch === undefined) return;
        this.book.launched(event.launch.task);
        await this.emitter.emit('launch', event.launch.task);
        return;
      case 'LAUNCH_GROUP':
        if (event.launch_group === undefined) return;
        for (const task of event.launch_group.task_group.tasks ?? []) this.book.launched(task);
        await this.emitter.emit('launchGroup', event.launch_group.task_group);
        return;
      case 'KILL':
        if (event.kill !== undefined) await this.emitter.emit('kill', event.kill);
        return;
      case 'ACKNOWLEDGED': {
        const status = event.acknowledged === undefined ? undefined : this.book.acknowledged(event.acknowledged.uuid);
        if (status !== undefined) await this.emitter.emit('acknowledged', status);
        return;
      }
      case 'MESSAGE':
        if (event.message !== undefined) await this.emitter.emit('message', event.message.data);
        return;
      case 'HEARTBEAT':
        await this.emitter.emit('heartbeat');
        return;
      case 'ERROR':
        this.log.error({ message: event.error?.message }, 'agent sent ERROR');
        await this.emitter.emit('error', event.error?.message ?? '');
        return;
      case 'SHUTDOWN':
        // Not awaited: the stream must keep flowing so ACKNOWLEDGED events for the final updates arrive.
        void this.shutdown({ kind: 'shutdown' });
        return;
      default:
        this.log.debug({ type: event.type }, 'ignoring unknown event type');
    }
  }

  /** Runs the 'shutdown' handlers, waits for acknowledgements until the grace period ends, then finishes. */
  private async shutdown(reason: ExitReason): Promise<void> {
    if (this.shuttingDown || this.stopped) return;
    this.shuttingDown = true;
    const deadline = this.clock.now() + this.environment.shutdownGracePeriodMs;
    this.log.info({ reason, deadline }, 'executor shutting down');
    let expire!: () => void;
    const expired = new Promise<void>((resolve) => (expire = resolve));
    this.timer('grace', this.environment.shutdownGracePeriodMs, expire);
    await Promise.race([this.emitter.emit('shutdown', { reason, deadline }), expired]);
    // Give the final (terminal) updates their chance to be acknowledged, but never past the deadline.
    if (this.stream !== undefined && this.book.pendingCount > 0) {
      await Promise.race([this.allAcknowledged(), expired]);
    }
    this.finish(reason);
  }

  private allAcknowledged(): Promise<void> {
    return new Promise((resolve) => {
      if (this.book.pendingCount === 0) return resolve();
      const off = this.on('acknowledged', () => {
        if (this.book.pendingCount > 0) return;
        off();
        resolve();
      });
    });
  }

  private finish(reason: ExitReason): void {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    for (const t of this.timers.values()) t.cancel();
    this.wake?.();
    this.stream?.close();
    this.resolveFinished(reason);
  }

  private async sendUpdate(status: v1.TaskStatus): Promise<void> {
    try {
      await this.call({ type: 'UPDATE', update: { status } });
      this.book.sent(status.uuid!, this.clock.now());
    } catch (e) {
      // Kept in the book: resent by the timer, or listed in the next SUBSCRIBE.
      this.log.warn({ err: e, taskId: status.task_id.value }, 'status update not delivered yet; will resend');
    }
  }

  private async call(call: Omit<executor.Call, 'executor_id' | 'framework_id'>): Promise<void> {
    if (this.stream === undefined) {
      throw new ExecutorError('NOT_SUBSCRIBED', `cannot send ${call.type}: not subscribed to the agent at ${this.environment.agentEndpoint}; retry after the 'subscribed' event`);
    }
    try {
      const response = await post({ url: this.url(), callType: 'mesos.v1.executor.Call', call: this.envelope(call), contentType: this.contentType, headers: this.headers(), peer: 'agent' });
      if (response.kind === 'redirect') throw new ExecutorError('CALL_FAILED', `${call.type}: agent redirected to ${response.location}; executors talk to their own agent only`);
    } catch (e) {
      if (e instanceof ExecutorError) throw e;
      const status = isWireError(e) ? e.status : undefined;
      const code = status !== undefined && status >= 400 && status < 500 ? 'CALL_REJECTED' : 'CALL_FAILED';
      throw new ExecutorError(code, `${call.type} failed: ${(e as Error).message}`, { cause: e, ...(status === undefined ? {} : { status }) });
    }
  }

  private envelope(call: Omit<executor.Call, 'executor_id' | 'framework_id'>): executor.Call {
    return { ...call, executor_id: { value: this.environment.executorId }, framework_id: { value: this.environment.frameworkId } };
  }

  private url(): string {
    return `http://${this.environment.agentEndpoint}/api/v1/executor`;
  }

  private headers(): Record<string, string> {
    const token = this.environment.authenticationToken;
    return token === undefined ? {} : { Authorization: `Bearer ${token}` };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer('sleep', ms, resolve);
    });
  }

  private timer(name: 'sleep' | 'grace' | 'resend' | 'heartbeat', ms: number, fn: () => void): void {
    this.timers.get(name)?.cancel();
    this.timers.set(name, this.clock.setTimer(ms, fn));
  }
}
