// Executors' lives on the agent: accept tasks (RUN_TASK / RUN_TASK_GROUP), start the container (see
// executor-launch.ts), hand tasks over when the executor subscribes, relay its updates, kill, shut down,
// and settle every task when the executor ends (its tasks get final updates, isolators release the
// container, the sandbox goes to GC).
import path from 'node:path';
import type { executor, v1 } from '@mesos-ts/proto';
import type { AgentContext, UriFetcher } from './agent-context.js';
import type { Termination } from './containerizer.js';
import { EXECUTOR_UPDATES_FILE } from './executor-env.js';
import { readTextIfExists } from './atomic-file.js';
import { decodeJson } from '@mesos-ts/wire';
import type { ExecutorConnection } from './executor-api.js';
import { HttpError } from './http-util.js';
import { commandExecutorInfo } from './launcher.js';
import { ExecutorLauncher } from './executor-launch.js';
import { containerResources } from './isolation.js';
import { MAX_COMPLETED_EXECUTORS, MAX_COMPLETED_TASKS, hasCapability, isTerminal, newExecutorRec, nsToMs, type ExecutorKind, type ExecutorRec, type FrameworkRec } from './model.js';
import { signal } from './proc.js';
import { InlineSupervisor } from './inline-supervisor.js';
import { dockerTaskOf, isDockerTask } from './docker/docker-containerizer.js';
import { PendingLaunches, failLaunch } from './launch-failure.js';
import { setState } from './executor-state.js';
import { randomUUID } from 'node:crypto';

export class ExecutorRunner {
  private readonly checkpointedFrameworks = new Set<string>();
  /** RUN_TASK / RUN_TASK_GROUP being accepted: such a framework is not forgotten. */
  private readonly pendingLaunches = new PendingLaunches();
  readonly inline: InlineSupervisor;
  private readonly launcher: ExecutorLauncher;

  constructor(
    private readonly agent: AgentContext,
    fetcher: UriFetcher,
  ) {
    this.inline = new InlineSupervisor(agent, this);
    this.launcher = new ExecutorLauncher(agent, fetcher, this);
  }

  async runTask(fwInfo: v1.FrameworkInfo, task: v1.TaskInfo): Promise<void> {
    await this.accepting(fwInfo, [task], async (fw, created) => {
      const kind: ExecutorKind = task.executor ? (task.executor.type === 'DEFAULT' ? 'default' : 'custom') : 'command';
      const info = task.executor ?? commandExecutorInfo(fw.id, task);
      const { ex, fresh } = await this.executorFor(fw, info, kind, created, kind === 'command' && isDockerTask(task));
      if (await this.refuseOnEndingExecutor(ex, [task])) return;
      await this.addTask(ex, task);
      if (!fresh) this.agent.isolation.update(ex);
      if (ex.state === 'running' && ex.connection) {
        await this.linkVolumes(ex, task.resources ?? []);
        ex.connection.send({ type: 'LAUNCH', launch: { task } });
      } else {
        ex.queued.push(task);
      }
      if (fresh) this.agent.background(this.launch(fw, ex, kind === 'command' ? (task.command?.uris ?? []) : (info.command?.uris ?? []), task), 'launching an executor');
    });
  }

  async runTaskGroup(fwInfo: v1.FrameworkInfo, info: v1.ExecutorInfo, group: v1.TaskGroupInfo): Promise<void> {
    await this.accepting(fwInfo, group.tasks ?? [], async (fw, created) => {
      const kind: ExecutorKind = info.command ? 'custom' : 'default';
      const { ex, fresh } = await this.executorFor(fw, info, kind, created);
      if (await this.refuseOnEndingExecutor(ex, group.tasks ?? [])) return;
      for (const t of group.tasks ?? []) await this.addTask(ex, t);
      if (!fresh) this.agent.isolation.update(ex);
      if (ex.state === 'running' && ex.connection) {
        await this.linkVolumes(ex, (group.tasks ?? []).flatMap((t) => t.resources ?? []));
        ex.connection.send({ type: 'LAUNCH_GROUP', launch_group: { task_group: group } });
      } else {
        ex.queuedGroups.push(group);
      }
      if (fresh) this.agent.background(this.launch(fw, ex, info.command?.uris ?? [], undefined), 'launching an executor');
    });
  }

  /**
   * Runs the acceptance of `tasks` with the framework pinned (it is not forgotten, nor its checkpoint dir
   * removed, while a launch is pending). Any failure ends every accepted task with a terminal update rather
   * than silence: the master and scheduler must always hear about a task they sent.
   */
  private async accepting(fwInfo: v1.FrameworkInfo, tasks: readonly v1.TaskInfo[], work: (fw: FrameworkRec, created: ExecutorRec[]) => Promise<void>): Promise<void> {
    if (!fwInfo.id?.value) throw new Error('RUN_TASK without framework_info.id');
    const fw = this.agent.framework(fwInfo);
    this.pendingLaunches.begin(fw.id);
    const created: ExecutorRec[] = [];
    try {
      await this.acceptFramework(fw);
      await work(fw, created);
    } catch (e) {
      await failLaunch(this.agent, fw, tasks, created, (e as Error).message, (ex, t) => this.exited(ex, t));
    } finally {
      this.pendingLaunches.end(fw.id);
      this.maybeForgetFramework(fw);
    }
  }

  async killTask(fwId: string, taskId: string, policy: v1.KillPolicy | undefined): Promise<void> {
    const ex = this.agent.executorOfTask(fwId, taskId);
    const task = ex?.tasks.get(taskId);
    if (!ex || !task) {
      this.agent.log.warn({ framework_id: fwId, task_id: taskId }, 'asked to kill an unknown task');
      return;
    }
    if (isTerminal(task.state)) return;
    ex.killRequested.add(taskId);
    const queued = ex.queued.findIndex((t) => t.task_id.value === taskId);
    const group = ex.queuedGroups.find((g) => (g.tasks ?? []).some((t) => t.task_id.value === taskId));
    if (queued >= 0 || group) {
      // Not yet with the executor: it ends here (a group goes as a whole, as upstream does).
      const killed = queued >= 0 ? ex.queued.splice(queued, 1) : (group!.tasks ?? []);
      if (group) ex.queuedGroups = ex.queuedGroups.filter((g) => g !== group);
      for (const t of killed) await this.agent.agentUpdate(ex, t.task_id.value, 'TASK_KILLED', 'REASON_TASK_KILLED_DURING_LAUNCH', 'Task killed before it was delivered to the executor');
      if (ex.queued.length === 0 && ex.queuedGroups.length === 0 && [...ex.tasks.values()].every((t) => isTerminal(t.state))) this.shutdown(ex);
      return;
    }
    if (ex.inline) {
      this.inline.kill(ex, task, policy);
      return;
    }
    if (ex.connection && (ex.state === 'running' || ex.state === 'terminating')) {
      ex.connection.send({ type: 'KILL', kill: { task_id: { value: taskId }, ...((policy ?? task.kill_policy) ? { kill_policy: policy ?? task.kill_policy } : {}) } });
    } else {
      // No executor to ask (still recovering): end the container; its tasks end KILLED.
      this.agent.background(this.destroy(ex, nsToMs(policy?.grace_period) ?? this.agent.flags.executor_shutdown_grace_period_ms), 'killing a container');
    }
  }

  /** Asks the executor to shut down; kills its container when it has not ended after its grace period. */
  shutdown(ex: ExecutorRec): void {
    if (ex.state === 'terminated' || ex.state === 'terminating') return;
    const launching = ex.state === 'launching';
    setState(ex, 'terminating');
    if (launching) return; // launch() sees this and gives up
    const grace = nsToMs(ex.info.shutdown_grace_period) ?? this.agent.flags.executor_shutdown_grace_period_ms;
    if (ex.connection) {
      ex.connection.send({ type: 'SHUTDOWN' });
      if (ex.timer) ex.timer.cancel();
      ex.timer = this.agent.clock.setTimer(grace, () => this.agent.background(this.destroy(ex, 0), 'killing a container'));
    } else {
      this.agent.background(this.destroy(ex, grace), 'killing a container');
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`, to the executor's container; resolves when it is gone. */
  async destroy(ex: ExecutorRec, graceMs: number): Promise<void> {
    if (ex.state === 'terminated') return;
    setState(ex, 'terminating');
    if (!ex.container) return;
    if (dockerTaskOf(ex)) await this.agent.docker.stop(ex, graceMs);
    await this.agent.containerizer.destroy(ex.container, graceMs);
  }

  subscribed(ex: ExecutorRec, sub: executor.Call.Subscribe, conn: ExecutorConnection): void {
    if (ex.connection && ex.connection !== conn) ex.connection.close();
    ex.connection = conn;
    if (ex.timer && ex.state !== 'terminating') {
      ex.timer.cancel();
      ex.timer = undefined;
    }
    if (ex.state === 'registering' || ex.state === 'recovering') setState(ex, 'running');
    const fw = this.agent.frameworks.get(ex.frameworkId)!;
    conn.send({
      type: 'SUBSCRIBED',
      subscribed: { executor_info: ex.info, framework_info: fw.info, agent_info: this.agent.agentInfo(), container_id: { value: ex.containerId } },
    });
    void (async () => {
      for (const u of sub.unacknowledged_updates ?? []) await this.executorUpdate(ex, u.status).catch(() => undefined);
      const known = new Set((sub.unacknowledged_tasks ?? []).map((t) => t.task_id.value));
      for (const t of ex.queued.splice(0)) {
        if (known.has(t.task_id.value)) continue;
        await this.linkVolumes(ex, t.resources ?? []);
        conn.send({ type: 'LAUNCH', launch: { task: t } });
      }
      for (const g of ex.queuedGroups.splice(0)) {
        await this.linkVolumes(ex, (g.tasks ?? []).flatMap((t) => t.resources ?? []));
        conn.send({ type: 'LAUNCH_GROUP', launch_group: { task_group: g } });
      }
      if (ex.state === 'terminating') conn.send({ type: 'SHUTDOWN' });
    })().catch((e: unknown) => this.agent.log.error({ err: (e as Error).message }, 'failed to hand tasks to a subscribed executor'));
  }

  /** An UPDATE call (or an unacknowledged update resent on SUBSCRIBE). */
  async executorUpdate(ex: ExecutorRec, status: v1.TaskStatus): Promise<void> {
    if (!status.uuid || status.uuid.length === 0) throw new HttpError(400, 'Expecting status.uuid in an executor UPDATE (every executor update must be acknowledgeable)');
    if (status.state === 'TASK_STAGING') throw new HttpError(400, 'Executors may not send TASK_STAGING');
    const taskId = status.task_id.value;
    const known = this.agent.sum.known(ex.frameworkId, taskId, status.uuid);
    if (known === 'acknowledged' || (!ex.tasks.has(taskId) && ex.completedTasks.some((t) => t.task_id.value === taskId))) {
      ex.connection?.send({ type: 'ACKNOWLEDGED', acknowledged: { task_id: status.task_id, uuid: status.uuid } });
      return;
    }
    if (known === 'seen') return;
    if (!ex.tasks.has(taskId)) throw new HttpError(400, `Task '${taskId}' is not known on executor '${ex.id}'`);
    // An executor reports its task failing when the kernel OOM-killed it: the agent knows why (as upstream).
    // The source stays the executor's: the executor waits for the acknowledgement of its own update.
    const limited = status.state === 'TASK_FAILED' ? this.agent.isolation.limitation(ex) : undefined;
    await this.agent.statusUpdate(ex, {
      ...status,
      ...(limited ? { reason: limited.reason, message: limited.message, limitation: limited.limitation } : {}),
      agent_id: { value: this.agent.requireAgentId() },
      source: status.source ?? 'SOURCE_EXECUTOR',
      ...(ex.kind === 'command' ? {} : { executor_id: { value: ex.id } }),
      timestamp: status.timestamp ?? this.agent.clock.now() / 1000,
    });
  }

  /** A terminal task whose updates are all acknowledged becomes completed. */
  maybeCompleteTask(ex: ExecutorRec, taskId: string): void {
    const task = ex.tasks.get(taskId);
    if (!task || !isTerminal(task.state) || this.agent.sum.pending(ex.frameworkId, taskId).length > 0) return;
    ex.tasks.delete(taskId);
    ex.taskInfos.delete(taskId);
    const fw = this.agent.frameworks.get(ex.frameworkId);
    if (fw?.taskIndex.get(taskId) === ex) fw.taskIndex.delete(taskId);
    ex.completedTasks.push(task);
    if (ex.completedTasks.length > MAX_COMPLETED_TASKS) ex.completedTasks.shift();
    this.agent.sum.remove(ex.frameworkId, taskId);
    this.maybeFinishExecutor(ex);
  }

  /** The executor's process is gone: settle its tasks, tell the master, and clean up. */
  async exited(ex: ExecutorRec, t: Termination): Promise<void> {
    if (ex.state === 'terminated' || this.agent.stopped) return;
    // Shut down on purpose (framework, master, kill): its open tasks were killed, not failed.
    const shutDown = ex.state === 'terminating' && ex.endReason === undefined;
    setState(ex, 'terminated');
    if (ex.timer) ex.timer.cancel();
    ex.timer = undefined;
    ex.connection?.close();
    ex.connection = undefined;
    this.agent.metrics.inc('executors_terminated');
    const open = [...ex.tasks.values()].filter((task) => !isTerminal(task.state));
    // Leftovers (re-parented children of a dead executor) die with it; a clean exit only needs its group.
    if (ex.container) {
      if (open.length > 0) this.agent.containerizer.killAll(ex.container);
      else signal(-ex.container.pid, 'SIGKILL');
    }
    ex.queued = [];
    ex.queuedGroups = [];
    // The built-in executor leaves updates the agent may not have seen (it ended while the agent was away).
    if (ex.checkpoint && ex.kind !== 'custom') await this.replayLeftUpdates(ex);
    // A container the kernel OOM-killed in failed its open tasks by its memory limit (upstream's limitation).
    const limited = open.length > 0 ? this.agent.isolation.limitation(ex) : undefined;
    for (const task of [...ex.tasks.values()].filter((task) => !isTerminal(task.state))) {
      const id = task.task_id.value;
      if (ex.killRequested.has(id) || shutDown) await this.agent.agentUpdate(ex, id, 'TASK_KILLED', 'REASON_EXECUTOR_TERMINATED', `Task killed: executor ${t.message}`);
      else if (limited) await this.agent.agentUpdate(ex, id, 'TASK_FAILED', limited.reason, limited.message, { limitation: limited.limitation });
      else await this.agent.agentUpdate(ex, id, 'TASK_FAILED', ex.endReason ?? 'REASON_EXECUTOR_TERMINATED', `Executor ${t.message}`);
    }
    await this.release(ex);
    void this.agent.sendToMaster({
      type: 'EXECUTOR_EXITED',
      executor_exited: { framework_id: { value: ex.frameworkId }, executor_id: { value: ex.id }, ...(t.status !== undefined ? { status: t.status } : {}) },
    });
    for (const id of [...ex.tasks.keys()]) this.maybeCompleteTask(ex, id);
    this.maybeFinishExecutor(ex);
  }

  /** The container is gone: its cgroup (stragglers killed), GPUs and volume mounts are released. */
  private async release(ex: ExecutorRec): Promise<void> {
    await this.agent.isolation.release(ex);
    if (this.agent.volumes.volumes(containerResources(ex)).length > 0) await this.agent.volumes.unmountFrom(ex.sandbox);
    await this.agent.volumes.deleteDestroyed();
  }

  private async replayLeftUpdates(ex: ExecutorRec): Promise<void> {
    const text = await readTextIfExists(path.join(ex.sandbox, EXECUTOR_UPDATES_FILE)).catch(() => undefined);
    if (text === undefined) return;
    try {
      for (const u of JSON.parse(text) as unknown[]) {
        const update = decodeJson('mesos.v1.executor.Call.Update', JSON.stringify(u));
        await this.executorUpdate(ex, update.status).catch(() => undefined);
      }
    } catch (e) {
      this.agent.log.warn({ sandbox: ex.sandbox, err: (e as Error).message }, 'cannot read the updates an executor left behind');
    }
  }

  private maybeFinishExecutor(ex: ExecutorRec): void {
    if (ex.state !== 'terminated' || ex.tasks.size > 0) return;
    const fw = this.agent.frameworks.get(ex.frameworkId);
    if (!fw || fw.executors.get(ex.id) !== ex) return;
    fw.executors.delete(ex.id);
    fw.completedExecutors.push(ex);
    if (fw.completedExecutors.length > MAX_COMPLETED_EXECUTORS) fw.completedExecutors.shift();
    if (ex.checkpoint) {
      // A launch accepted meanwhile may revive the framework (or this executor id): its records stay.
      const live = (): FrameworkRec | undefined => this.agent.frameworks.get(ex.frameworkId);
      const keep = { framework: () => live() !== undefined, executor: () => live()?.executors.has(ex.id) === true };
      void this.agent.checkpointer.removeRun(ex.frameworkId, ex.id, ex.containerId, keep).catch((e: unknown) => this.agent.log.warn({ executor_id: ex.id, err: (e as Error).message }, 'cannot remove a finished run checkpoint'));
    }
    this.agent.gc.schedule(ex.sandbox);
    this.maybeForgetFramework(fw);
  }

  /** A framework with no executors and no launch in progress is completed. */
  private maybeForgetFramework(fw: FrameworkRec): void {
    if (fw.executors.size > 0 || this.pendingLaunches.has(fw.id) || this.agent.frameworks.get(fw.id) !== fw) return;
    this.agent.frameworks.delete(fw.id);
    this.checkpointedFrameworks.delete(fw.id);
    this.agent.completedFrameworks.push(fw);
    if (this.agent.completedFrameworks.length > 50) this.agent.completedFrameworks.shift();
  }

  private async acceptFramework(fw: FrameworkRec): Promise<void> {
    if (fw.info.checkpoint && !this.checkpointedFrameworks.has(fw.id)) {
      this.checkpointedFrameworks.add(fw.id);
      try {
        await this.agent.checkpointer.framework(fw.info);
      } catch (e) {
        this.checkpointedFrameworks.delete(fw.id);
        throw e;
      }
    }
  }

  private async executorFor(fw: FrameworkRec, info: v1.ExecutorInfo, kind: ExecutorKind, created: ExecutorRec[], docker = false): Promise<{ ex: ExecutorRec; fresh: boolean }> {
    const existing = fw.executors.get(info.executor_id.value);
    if (existing) return { ex: existing, fresh: false };
    const agentId = this.agent.requireAgentId();
    const containerId = randomUUID();
    const ex = newExecutorRec({
      frameworkId: fw.id,
      id: info.executor_id.value,
      info: { ...info, framework_id: { value: fw.id } },
      kind,
      // A DOCKER command task is always supervised by the agent itself (the docker containerizer).
      inline: kind === 'command' && (docker || this.agent.flags.command_executor === 'inline'),
      containerId,
      sandbox: this.agent.dirs.sandbox(agentId, fw.id, info.executor_id.value, containerId),
      checkpoint: fw.info.checkpoint === true,
      state: 'launching',
      startedAt: this.agent.clock.now(),
    });
    fw.executors.set(ex.id, ex);
    created.push(ex);
    if (ex.checkpoint) await this.agent.checkpointer.executor(fw.id, ex.info, kind, ex.inline);
    return { ex, fresh: true };
  }

  /** Tasks for an executor that is shutting down end at once: LOST (DROPPED for partition-aware frameworks). */
  private async refuseOnEndingExecutor(ex: ExecutorRec, tasks: readonly v1.TaskInfo[]): Promise<boolean> {
    if (ex.state !== 'terminating' && ex.state !== 'terminated') return false;
    const fw = this.agent.frameworks.get(ex.frameworkId)!;
    const state: v1.TaskState = hasCapability(fw.info, 'PARTITION_AWARE') ? 'TASK_DROPPED' : 'TASK_LOST';
    for (const t of tasks) {
      await this.addTask(ex, t);
      await this.agent.agentUpdate(ex, t.task_id.value, state, 'REASON_EXECUTOR_TERMINATED', `Executor '${ex.id}' is shutting down; launch the task again once it has terminated`);
    }
    return true;
  }

  private async addTask(ex: ExecutorRec, info: v1.TaskInfo): Promise<void> {
    const fw = this.agent.frameworks.get(ex.frameworkId)!;
    ex.taskInfos.set(info.task_id.value, info);
    fw.taskIndex.set(info.task_id.value, ex);
    ex.tasks.set(info.task_id.value, {
      name: info.name,
      task_id: info.task_id,
      framework_id: { value: ex.frameworkId },
      ...(ex.kind === 'command' ? {} : { executor_id: { value: ex.id } }),
      agent_id: { value: this.agent.requireAgentId() },
      state: 'TASK_STAGING',
      resources: info.resources ?? [],
      statuses: [],
      ...(info.labels ? { labels: info.labels } : {}),
      ...(info.discovery ? { discovery: info.discovery } : {}),
      ...(info.container ? { container: info.container } : {}),
      ...(info.health_check ? { health_check: info.health_check } : {}),
      ...(info.kill_policy ? { kill_policy: info.kill_policy } : {}),
      user: info.command?.user ?? fw.info.user,
    });
    this.agent.metrics.inc('tasks_launched');
    if (ex.checkpoint) await this.agent.checkpointer.task(ex.frameworkId, ex.id, ex.containerId, info);
  }

  /** Environment of an executor (or, inline, of a command task) of `ex`. */
  env(ex: ExecutorRec, task: v1.TaskInfo | undefined): Record<string, string> {
    return this.launcher.env(ex, task);
  }

  private launch(fw: FrameworkRec, ex: ExecutorRec, uris: readonly v1.CommandInfo.URI[], task: v1.TaskInfo | undefined): Promise<void> {
    return this.launcher.launch(fw, ex, uris, task);
  }

  private linkVolumes(ex: ExecutorRec, resources: readonly v1.Resource[]): Promise<void> {
    return this.launcher.linkVolumes(ex, resources);
  }
}
