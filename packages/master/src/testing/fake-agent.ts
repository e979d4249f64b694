// An in-process fake agent speaking the master <-> agent protocol (packages/wire/docs/master-agent-protocol.md)
// over real HTTP. It runs no processes: a launched task goes straight to TASK_RUNNING (status update with a
// uuid, resent until acknowledged is NOT simulated), KILL_TASK answers TASK_KILLED, PINGs get PONGs.
// For master tests, e2e scenarios and the benchmark.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { internal, v1 } from '@mesos-ts/proto';
import { Resources, parseAttributes } from '@mesos-ts/resources';
import { APPLICATION_JSON, post, subscribe, type ContentType, type EventStream } from '@mesos-ts/wire';

export interface FakeAgentOptions {
  /** Master base URL, e.g. http://127.0.0.1:5050 */
  master: string;
  hostname?: string;
  port?: number;
  /** `--resources` text; default `cpus:4;mem:4096;disk:10000;ports:[31000-32000]`. */
  resources?: string;
  attributes?: string;
  contentType?: ContentType;
  /** Answer RUN_TASK with TASK_RUNNING at once (default true). */
  autoRun?: boolean;
  /** Answer PING with PONG (default true). */
  autoPong?: boolean;
  /** Connection pool for the agent's calls (the benchmark shares one). */
  httpAgent?: http.Agent;
}

export interface FakeTask {
  frameworkId: string;
  task: v1.TaskInfo;
  state: v1.TaskState;
  executorId: string | undefined;
}

export class FakeAgent {
  id: string | undefined;
  streamId: string | undefined;
  /** The master's session token (Mesos-Agent-Session), sent back on REREGISTER; tests may forge or drop it. */
  sessionToken: string | undefined;
  readonly events: internal.AgentEvent[] = [];
  readonly tasks = new Map<string, FakeTask>();
  readonly frameworks = new Map<string, v1.FrameworkInfo>();
  /** Executors started for tasks, by executor id (reported on REREGISTER). */
  readonly executors = new Map<string, v1.ExecutorInfo>();
  /** uuid (hex) of updates the master acknowledged. */
  readonly acknowledged = new Set<string>();
  checkpointed: v1.Resource[] = [];
  shutdownMessage: string | undefined;
  /** Answer PINGs; tests switch it off to make the agent go silent. */
  autoPong: boolean;
  private stream: EventStream<'mesosts.internal.v1.AgentEvent'> | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly info: v1.AgentInfo;
  private readonly contentType: ContentType;
  private readonly httpAgent: http.Agent;

  constructor(private readonly options: FakeAgentOptions) {
    this.contentType = options.contentType ?? APPLICATION_JSON;
    this.autoPong = options.autoPong !== false;
    this.httpAgent = options.httpAgent ?? new http.Agent({ keepAlive: true, maxSockets: 4 });
    const info: v1.AgentInfo = {
      hostname: options.hostname ?? 'fake-agent.local',
      port: options.port ?? 5051,
      resources: Resources.parse(options.resources ?? 'cpus:4;mem:4096;disk:10000;ports:[31000-32000]').toProto(),
    };
    if (options.attributes) info.attributes = parseAttributes(options.attributes);
    this.info = info;
  }

  /** REGISTER the first time, REREGISTER (with every task it runs) once it has an id. Resolves on REGISTERED. */
  async connect(): Promise<void> {
    this.stream?.close();
    const call: internal.AgentCall = this.id === undefined
      ? { type: 'REGISTER', register: { agent_info: this.info, version: 'fake', checkpointed_resources: this.checkpointed } }
      : { type: 'REREGISTER', reregister: this.reregistration() };
    const answer = await subscribe({
      url: `${this.options.master}/internal/v1/agent`,
      callType: 'mesosts.internal.v1.AgentCall',
      eventType: 'mesosts.internal.v1.AgentEvent',
      call,
      contentType: this.contentType,
      peer: 'master',
      ...(this.id !== undefined && this.sessionToken !== undefined ? { headers: { 'Mesos-Agent-Session': this.sessionToken } } : {}),
    });
    if (answer.kind !== 'stream') throw new Error(`master redirected the agent to ${answer.location}`);
    const token = answer.headers['mesos-agent-session'];
    if (typeof token === 'string') this.sessionToken = token;
    this.stream = answer;
    this.streamId = answer.streamId;
    const from = this.events.length;
    void this.pump(answer);
    const registered = await this.waitFor((e) => e.type === 'REGISTERED' || e.type === 'ERROR', 5000, from);
    if (registered.type === 'ERROR') throw new Error(`master refused the agent: ${registered.error?.message ?? ''}`);
    this.id = registered.registered?.agent_id.value;
  }

  private reregistration(): internal.AgentCall.Reregister {
    const tasks: v1.Task[] = [...this.tasks.values()].map((t) => ({
      name: t.task.name,
      task_id: t.task.task_id,
      framework_id: { value: t.frameworkId },
      agent_id: { value: this.id as string },
      state: t.state,
      resources: t.task.resources ?? [],
      ...(t.executorId ? { executor_id: { value: t.executorId } } : {}),
    }));
    return { agent_info: { ...this.info, id: { value: this.id as string } }, version: 'fake', checkpointed_resources: this.checkpointed, frameworks: [...this.frameworks.values()], executors: [...this.executors.values()], tasks };
  }

  private async pump(stream: EventStream<'mesosts.internal.v1.AgentEvent'>): Promise<void> {
    try {
      for await (const event of stream.events) {
        this.events.push(event);
        this.react(event);
        for (const w of [...this.waiters]) w();
      }
    } catch {
      // The stream broke (master stopped); tests look at `events` and reconnect explicitly.
    } finally {
      if (this.stream === stream) this.stream = undefined;
      for (const w of [...this.waiters]) w();
    }
  }

  private react(event: internal.AgentEvent): void {
    switch (event.type) {
      case 'RUN_TASK': {
        const run = event.run_task as internal.AgentEvent.RunTask;
        if (run.task.executor) this.executors.set(run.task.executor.executor_id.value, run.task.executor);
        this.launch(run.framework_info, run.task, run.task.executor?.executor_id.value);
        break;
      }
      case 'RUN_TASK_GROUP': {
        const run = event.run_task_group as internal.AgentEvent.RunTaskGroup;
        this.executors.set(run.executor.executor_id.value, run.executor);
        for (const t of run.task_group.tasks ?? []) this.launch(run.framework_info, t, run.executor.executor_id.value);
        break;
      }
      case 'KILL_TASK': {
        const k = event.kill_task as internal.AgentEvent.KillTask;
        if (this.tasks.has(k.task_id.value)) void this.update(k.framework_id.value, k.task_id.value, 'TASK_KILLED').catch(() => undefined);
        break;
      }
      case 'ACKNOWLEDGE':
        this.acknowledged.add(Buffer.from((event.acknowledge as internal.AgentEvent.Acknowledge).uuid).toString('hex'));
        break;
      case 'PING':
        if (this.autoPong) void this.call({ type: 'PONG', pong: { sequence: event.ping?.sequence ?? 0 } }).catch(() => undefined);
        break;
      case 'CHECKPOINT_RESOURCES':
        this.checkpointed = event.checkpoint_resources?.resources ?? [];
        break;
      case 'SHUTDOWN_FRAMEWORK': {
        const fwId = event.shutdown_framework?.framework_id.value;
        for (const [id, t] of this.tasks) if (t.frameworkId === fwId) this.tasks.delete(id);
        for (const [id, e] of this.executors) if (e.framework_id?.value === fwId) this.executors.delete(id);
        break;
      }
      case 'SHUTDOWN_EXECUTOR':
        this.executors.delete(event.shutdown_executor?.executor_id.value ?? '');
        break;
      case 'SHUTDOWN':
        this.shutdownMessage = event.shutdown?.message ?? '';
        break;
      default:
        break;
    }
  }

  private launch(framework: v1.FrameworkInfo, task: v1.TaskInfo, executorId: string | undefined): void {
    const frameworkId = framework.id?.value as string;
    this.frameworks.set(frameworkId, framework);
    this.tasks.set(task.task_id.value, { frameworkId, task, state: 'TASK_STAGING', executorId });
    if (this.options.autoRun !== false) void this.update(frameworkId, task.task_id.value, 'TASK_RUNNING').catch(() => undefined);
  }

  /** Sends a STATUS_UPDATE with a fresh uuid (returned, hex) and records the task's new state. */
  async update(frameworkId: string, taskId: string, state: v1.TaskState, extra: Partial<v1.TaskStatus> = {}): Promise<string> {
    const uuid = Buffer.from(randomUUID().replace(/-/g, ''), 'hex');
    const t = this.tasks.get(taskId);
    if (t) t.state = state;
    const status: v1.TaskStatus = { task_id: { value: taskId }, state, source: 'SOURCE_EXECUTOR', uuid, timestamp: Date.now() / 1000, agent_id: { value: this.id as string }, ...extra };
    await this.call({ type: 'STATUS_UPDATE', status_update: { framework_id: { value: frameworkId }, status, latest_state: state } });
    return uuid.toString('hex');
  }

  async call(call: Omit<internal.AgentCall, 'agent_id'>): Promise<number> {
    const r = await post({
      url: `${this.options.master}/internal/v1/agent`,
      callType: 'mesosts.internal.v1.AgentCall',
      call: { ...call, agent_id: { value: this.id as string } } as internal.AgentCall,
      contentType: this.contentType,
      headers: { 'Mesos-Stream-Id': this.streamId ?? '' },
      agent: this.httpAgent,
    });
    return r.status;
  }

  /** Resolves with the first event from index `from` on (already received or coming) matching `pred`. */
  waitFor(pred: (e: internal.AgentEvent) => boolean, timeoutMs = 5000, from = 0): Promise<internal.AgentEvent> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const hit = this.events.slice(from).find(pred);
        if (hit) {
          this.waiters.delete(waiter);
          clearTimeout(timer);
          resolve(hit);
          return true;
        }
        return false;
      };
      const waiter = (): void => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`fake agent: no matching event within ${timeoutMs} ms (got ${this.events.map((e) => e.type).join(',')})`));
      }, timeoutMs);
      this.waiters.add(waiter);
      check();
    });
  }

  get connected(): boolean {
    return this.stream !== undefined;
  }

  /** Drops the connection (the master sees the stream end). */
  disconnect(): void {
    this.stream?.close();
    this.stream = undefined;
  }

  close(): void {
    this.disconnect();
    if (!this.options.httpAgent) this.httpAgent.destroy();
  }
}
