// The built-in executor (mesos-executor): the command executor for command tasks (one task, LAUNCH) and the
// default executor for task groups (LAUNCH_GROUP), speaking the v1 executor API to its agent.
// Updates are kept until ACKNOWLEDGED and resent on every re-subscription; with checkpointing they are also
// written to the sandbox, so an agent that restarts after this executor ended still learns how its tasks
// ended. Without checkpointing, losing the agent means killing the tasks and exiting (as upstream).
import { randomUUID } from 'node:crypto';
import type { executor, v1 } from '@mesos-ts/proto';
import { encodeJson, post, subscribe } from '@mesos-ts/wire';
import { writeFileAtomic } from '../atomic-file.js';
import { describeExit, TaskProcess, type TaskExit } from './task-process.js';
import { TOKEN_ENV } from '../executor-token.js';

export interface HealthCheckerLike {
  start(): void;
  stop(): void;
}

export type HealthCheckerFactory = (
  check: v1.HealthCheck,
  opts: { sandbox: string; env: Record<string, string>; onStatus: (healthy: boolean, consecutiveFailures: number) => void; onKill: () => void },
) => HealthCheckerLike;

export interface ExecutorConfig {
  frameworkId: string;
  executorId: string;
  agentEndpoint: string;
  sandbox: string;
  checkpoint: boolean;
  shutdownGraceMs: number;
  recoveryTimeoutMs: number;
  backoffMaxMs: number;
  env: Record<string, string>;
  /** Where unacknowledged updates are written for a restarted agent (checkpointing only). */
  updatesFile: string;
  healthCheckers?: HealthCheckerFactory;
  log: (msg: string) => void;
}

interface RunningTask {
  info: v1.TaskInfo;
  proc: TaskProcess | undefined;
  state: v1.TaskState;
  group: string | undefined;
  health: HealthCheckerLike | undefined;
  healthKilled: boolean;
}

/**
 * How long an executor whose tasks are all terminal waits for the acknowledgements of updates the agent has
 * already accepted (they are safe with the agent's status update manager), in ms. Upstream's command
 * executor likewise leaves shortly after its task ended instead of lingering until it is killed.
 */
export const ACK_WAIT_MS = 1000;

const TERMINAL = new Set<v1.TaskState>(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE']);

export class BuiltinExecutor {
  private readonly tasks = new Map<string, RunningTask>();
  /** Unacknowledged updates by uuid (base64), in the order they were sent. */
  private readonly unacked = new Map<string, executor.Call.Update>();
  /** Uuids (base64) of unacknowledged updates the agent accepted (its UPDATE call succeeded). */
  private readonly delivered = new Set<string>();
  private ackWait: NodeJS.Timeout | undefined;
  private framework: v1.FrameworkInfo | undefined;
  private shuttingDown = false;
  private finished: ((code: number) => void) | undefined;
  private closeStream: (() => void) | undefined;
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly cfg: ExecutorConfig) {}

  /** Runs until every task ended and its updates were acknowledged; resolves with the exit code. */
  run(): Promise<number> {
    const done = new Promise<number>((resolve) => (this.finished = resolve));
    void this.connectLoop();
    return done;
  }

  /** SIGTERM from the agent: kill the tasks within the grace period and leave. */
  terminate(): void {
    this.shutdown();
  }

  /** The agent's per-container token (TOKEN_ENV), sent on every call. */
  private get authHeaders(): Record<string, string> {
    const token = this.cfg.env[TOKEN_ENV];
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  private get url(): string {
    return `http://${this.cfg.agentEndpoint}/api/v1/executor`;
  }

  private async connectLoop(): Promise<void> {
    let lostAt: number | undefined;
    let delay = 100;
    while (this.finished) {
      try {
        const result = await subscribe({
          url: this.url,
          callType: 'mesos.v1.executor.Call',
          eventType: 'mesos.v1.executor.Event',
          peer: 'agent',
          headers: this.authHeaders,
          call: {
            type: 'SUBSCRIBE',
            framework_id: { value: this.cfg.frameworkId },
            executor_id: { value: this.cfg.executorId },
            subscribe: {
              unacknowledged_tasks: [...this.tasks.values()].map((t) => t.info),
              unacknowledged_updates: [...this.unacked.values()],
            },
          },
        });
        if (result.kind === 'redirect') throw new Error(`agent redirected to ${result.location}`);
        this.closeStream = result.close;
        for await (const event of result.events) {
          lostAt = undefined;
          delay = 100;
          this.onEvent(event);
        }
      } catch (e) {
        this.cfg.log(`connection to the agent failed: ${(e as Error).message}`);
      }
      this.closeStream = undefined;
      if (!this.finished) return;
      if (!this.cfg.checkpoint) {
        this.cfg.log('lost the agent and the framework does not checkpoint: killing the tasks and exiting');
        this.killAllAndExit(1);
        return;
      }
      lostAt ??= Date.now();
      if (Date.now() - lostAt > this.cfg.recoveryTimeoutMs) {
        this.cfg.log(`the agent did not come back within the recovery timeout: killing the tasks and exiting`);
        this.killAllAndExit(1);
        return;
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(this.cfg.backoffMaxMs, delay * 2);
    }
  }

  private onEvent(event: executor.Event): void {
    switch (event.type) {
      case 'SUBSCRIBED':
        this.framework = event.subscribed?.framework_info;
        return;
      case 'LAUNCH':
        if (event.launch) this.launch(event.launch.task, undefined);
        return;
      case 'LAUNCH_GROUP': {
        const group = randomUUID();
        for (const t of event.launch_group?.task_group.tasks ?? []) this.launch(t, group);
        return;
      }
      case 'KILL':
        if (event.kill) this.kill(event.kill.task_id.value, event.kill.kill_policy);
        return;
      case 'ACKNOWLEDGED':
        if (event.acknowledged) {
          const id = Buffer.from(event.acknowledged.uuid).toString('base64');
          this.unacked.delete(id);
          this.delivered.delete(id);
          this.persist();
          this.maybeExit();
        }
        return;
      case 'SHUTDOWN':
        this.shutdown();
        return;
      case 'ERROR':
        this.cfg.log(`agent error: ${event.error?.message ?? ''}`);
        return;
      default:
        return; // HEARTBEAT, MESSAGE: nothing to do for a command executor
    }
  }

  private launch(info: v1.TaskInfo, group: string | undefined): void {
    const id = info.task_id.value;
    if (this.tasks.has(id)) return; // re-delivered after an agent restart
    const task: RunningTask = { info, proc: undefined, state: 'TASK_STAGING', group, health: undefined, healthKilled: false };
    this.tasks.set(id, task);
    if (this.shuttingDown || !info.command) {
      this.update(task, 'TASK_FAILED', info.command ? 'Executor is shutting down' : 'Task has no command; the built-in executor runs CommandInfo only');
      return;
    }
    this.update(task, 'TASK_STARTING');
    const env: Record<string, string> = { ...this.cfg.env, MESOS_TASK_ID: id };
    for (const v of info.command.environment?.variables ?? []) if (v.type !== 'SECRET') env[v.name] = v.value ?? '';
    const proc = new TaskProcess(info.command, env, this.cfg.sandbox);
    task.proc = proc;
    void proc.exited.then((exit) => this.taskExited(task, exit));
    if (proc.pid !== undefined) {
      this.update(task, 'TASK_RUNNING');
      if (info.health_check) this.startHealth(task, info.health_check, env);
    }
  }

  private startHealth(task: RunningTask, check: v1.HealthCheck, env: Record<string, string>): void {
    if (!this.cfg.healthCheckers) {
      this.cfg.log(`task ${task.info.task_id.value} asks for a health check, but no health checker is available`);
      return;
    }
    task.health = this.cfg.healthCheckers(check, {
      sandbox: this.cfg.sandbox,
      env,
      onStatus: (healthy) => {
        if (TERMINAL.has(task.state) || task.proc?.killing) return;
        this.update(task, 'TASK_RUNNING', undefined, { healthy, reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED' });
      },
      onKill: () => {
        task.healthKilled = true;
        this.kill(task.info.task_id.value, task.info.kill_policy);
      },
    });
    task.health.start();
  }

  private kill(taskId: string, policy: v1.KillPolicy | undefined): void {
    const task = this.tasks.get(taskId);
    if (!task || TERMINAL.has(task.state) || task.proc?.killing) return;
    const graceMs = policy?.grace_period ? Number(policy.grace_period.nanoseconds / 1_000_000n) : task.info.kill_policy?.grace_period ? Number(task.info.kill_policy.grace_period.nanoseconds / 1_000_000n) : this.cfg.shutdownGraceMs;
    if ((this.framework?.capabilities ?? []).some((c) => c.type === 'TASK_KILLING_STATE')) this.update(task, 'TASK_KILLING');
    task.health?.stop();
    if (task.proc) task.proc.kill(graceMs);
    else this.update(task, 'TASK_KILLED', 'Task killed before it started');
  }

  private taskExited(task: RunningTask, exit: TaskExit): void {
    task.health?.stop();
    const message = describeExit(exit);
    let state: v1.TaskState;
    if (task.proc?.killing) state = 'TASK_KILLED';
    else if (exit.error === undefined && exit.signal === null && exit.code === 0) state = 'TASK_FINISHED';
    else state = 'TASK_FAILED';
    this.update(task, state, message, task.healthKilled ? { healthy: false, reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED' } : {});
    // Default executor: one task of a group failing or being killed ends the whole group.
    if (task.group !== undefined && state !== 'TASK_FINISHED') {
      for (const other of this.tasks.values()) if (other.group === task.group && other !== task) this.kill(other.info.task_id.value, other.info.kill_policy);
    }
    this.maybeExit();
  }

  private update(task: RunningTask, state: v1.TaskState, message?: string, extra: Partial<v1.TaskStatus> = {}): void {
    task.state = state;
    const uuid = Buffer.from(randomUUID().replace(/-/g, ''), 'hex');
    const status: v1.TaskStatus = {
      task_id: task.info.task_id,
      state,
      source: 'SOURCE_EXECUTOR',
      executor_id: { value: this.cfg.executorId },
      timestamp: Date.now() / 1000,
      uuid: Uint8Array.from(uuid),
      ...(message !== undefined ? { message } : {}),
      ...extra,
    };
    const update: executor.Call.Update = { status };
    const id = uuid.toString('base64');
    this.unacked.set(id, update);
    this.persist();
    void post({
      url: this.url,
      callType: 'mesos.v1.executor.Call',
      peer: 'agent',
      headers: this.authHeaders,
      call: { type: 'UPDATE', framework_id: { value: this.cfg.frameworkId }, executor_id: { value: this.cfg.executorId }, update },
    })
      .then(() => {
        if (!this.unacked.has(id)) return;
        this.delivered.add(id);
        this.maybeExit();
      })
      .catch((e: unknown) => this.cfg.log(`update ${state} of ${task.info.task_id.value} not delivered yet (${(e as Error).message}); it is resent on reconnection`));
  }

  /** Checkpointing: the unacknowledged updates go to the sandbox, for an agent that restarts after we are gone. */
  private persist(): void {
    if (!this.cfg.checkpoint) return;
    const text = `[${[...this.unacked.values()].map((u) => encodeJson('mesos.v1.executor.Call.Update', u)).join(',')}]`;
    this.writes = this.writes.then(() => writeFileAtomic(this.cfg.updatesFile, text)).catch((e: unknown) => this.cfg.log(`cannot checkpoint updates: ${(e as Error).message}`));
  }

  private shutdown(): void {
    this.shuttingDown = true;
    for (const t of this.tasks.values()) if (!TERMINAL.has(t.state)) this.kill(t.info.task_id.value, { grace_period: { nanoseconds: BigInt(this.cfg.shutdownGraceMs) * 1_000_000n } });
    this.maybeExit();
    // Leave even if the agent never acknowledges the final updates.
    setTimeout(() => this.exit(0), this.cfg.shutdownGraceMs + 1000).unref();
  }

  private killAllAndExit(code: number): void {
    for (const t of this.tasks.values()) t.proc?.kill(this.cfg.shutdownGraceMs);
    void Promise.all([...this.tasks.values()].map((t) => t.proc?.exited)).then(() => this.exit(code));
  }

  /**
   * Leaves once every task is terminal and every update is acknowledged; when the agent has accepted all the
   * unacknowledged ones, at once if shutting down (a torn down framework's updates may never be
   * acknowledged), else after waiting ACK_WAIT_MS for the acknowledgements.
   */
  private maybeExit(): void {
    if (this.tasks.size === 0 && !this.shuttingDown) return;
    for (const t of this.tasks.values()) if (!TERMINAL.has(t.state)) return;
    if (this.unacked.size === 0) return this.exit(0);
    for (const id of this.unacked.keys()) if (!this.delivered.has(id)) return;
    if (this.shuttingDown) return this.exit(0);
    this.ackWait ??= setTimeout(() => this.exit(0), ACK_WAIT_MS);
  }

  private exit(code: number): void {
    const finished = this.finished;
    if (!finished) return;
    this.finished = undefined;
    if (this.ackWait) clearTimeout(this.ackWait);
    this.closeStream?.();
    void this.writes.then(() => finished(code));
  }
}
