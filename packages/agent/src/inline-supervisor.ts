// Supervision of inline command tasks (--command_executor=inline): the agent starts the task's wrapper
// process as the container, sends the updates a command executor would send (STARTING, RUNNING, health,
// KILLING, the final state with upstream's messages), runs its health check and kills it with its grace period.
import { close, open } from 'node:fs';
import path from 'node:path';
import type { v1 } from '@mesos-ts/proto';
import type { AgentContext } from './agent-context.js';
import type { Container, Termination } from './containerizer.js';
import { HealthChecker } from './health/index.js';
import { inlineArgv, inlineOutcome } from './inline-command.js';
import { isDockerTask } from './docker/docker-containerizer.js';
import type { UserIds } from './launcher.js';
import { setState } from './executor-state.js';
import { hasCapability, isTerminal, nsToMs, type ExecutorRec } from './model.js';

/** What the supervisor needs of the executor runner. */
export interface InlineRunner {
  env(ex: ExecutorRec, task: v1.TaskInfo | undefined): Record<string, string>;
  destroy(ex: ExecutorRec, graceMs: number): Promise<void>;
  exited(ex: ExecutorRec, t: Termination): Promise<void>;
}

const FROM_EXECUTOR = { source: 'SOURCE_EXECUTOR' } as const;

export class InlineSupervisor {
  private readonly health = new Map<ExecutorRec, HealthChecker>();
  private readonly healthKilled = new Set<ExecutorRec>();

  constructor(
    private readonly agent: AgentContext,
    private readonly runner: InlineRunner,
  ) {}

  async start(ex: ExecutorRec, task: v1.TaskInfo, ids: UserIds | undefined): Promise<void> {
    const agent = this.agent;
    const env = this.runner.env(ex, task);
    if (ids) env.HOME = ids.home;
    const id = task.task_id.value;
    // A DOCKER task runs `docker run …` in place of its command; a bad image/port/volume fails it here.
    const command = isDockerTask(task) ? await this.agent.docker.command(ex, task, env) : task.command!;
    ex.queued = []; // delivered: from here on a kill goes to the process
    // The containerizer opens stdout/stderr synchronously: creating them here, off the event loop and while
    // STARTING is logged, leaves it opening existing files (creating them there blocked the loop ~0.5 ms each).
    const outputs = Promise.all(['stdout', 'stderr'].map((name) => touch(path.join(ex.sandbox, name))));
    outputs.catch(() => undefined); // awaited below; a failed STARTING must not leave it unhandled
    await agent.agentUpdate(ex, id, 'TASK_STARTING', undefined, undefined, FROM_EXECUTOR);
    await outputs;
    if (ex.state !== 'launching') {
      await this.runner.exited(ex, { status: undefined, message: 'was shut down before it started' });
      return;
    }
    const attach = agent.isolation.attacher(ex);
    const container = agent.containerizer.launch({
      containerId: ex.containerId,
      sandbox: ex.sandbox,
      argv: inlineArgv(command, ex.sandbox, ex.checkpoint),
      env,
      ...(ids ? { uid: ids.uid, gid: ids.gid } : {}),
      ...(attach ? { attach } : {}),
    });
    ex.container = container;
    setState(ex, 'running');
    // RUNNING goes out only once the container is recorded (a restarted agent must know every task the master
    // saw running), and before the exit is handled, so a task that ends at once still reports in order.
    const recorded = ex.checkpoint
      ? agent.checkpointer.run(ex.frameworkId, ex.id, { container_id: ex.containerId, pid: container.pid, start_ticks: container.startTicks, sandbox: ex.sandbox, ...(ex.gpus.length > 0 ? { gpus: ex.gpus } : {}) })
      : agent.checkpointer.inlineRecord(ex.containerId, container.pid, container.startTicks);
    const running = recorded.then(() => agent.agentUpdate(ex, id, 'TASK_RUNNING', undefined, undefined, FROM_EXECUTOR));
    agent.background(
      container.exited.then(async (t) => {
        await running.catch(() => undefined);
        await this.exited(ex, task, t);
      }),
      'settling an ended task',
    );
    await running;
    if (task.health_check && ex.tasks.get(id)?.state === 'TASK_RUNNING') this.startHealth(ex, task, task.health_check, env);
  }

  /** A recovered inline task: re-attached when it still runs, settled from its status file otherwise. */
  async recovered(ex: ExecutorRec, container: Container | undefined): Promise<void> {
    const task = [...ex.taskInfos.values()][0];
    if (!task) return;
    ex.queued = [];
    if (container) {
      ex.container = container;
      setState(ex, 'running');
      this.agent.background(container.exited.then((t) => this.exited(ex, task, t)), 'settling an ended task');
      return;
    }
    await this.exited(ex, task, { status: undefined, message: 'ended while the agent was down' });
  }

  kill(ex: ExecutorRec, task: v1.Task, policy: v1.KillPolicy | undefined): void {
    const fw = this.agent.frameworks.get(ex.frameworkId);
    this.health.get(ex)?.stop();
    const grace = nsToMs(policy?.grace_period) ?? nsToMs(task.kill_policy?.grace_period) ?? this.agent.flags.executor_shutdown_grace_period_ms;
    this.agent.background((async () => {
      if (fw && hasCapability(fw.info, 'TASK_KILLING_STATE')) await this.agent.agentUpdate(ex, task.task_id.value, 'TASK_KILLING', undefined, undefined, FROM_EXECUTOR);
      await this.runner.destroy(ex, grace);
    })(), 'killing a task');
  }

  private startHealth(ex: ExecutorRec, task: v1.TaskInfo, check: v1.HealthCheck, env: Record<string, string>): void {
    const checker = new HealthChecker(check, {
      sandbox: ex.sandbox,
      env,
      onStatus: (healthy) => {
        const t = ex.tasks.get(task.task_id.value);
        if (!t || isTerminal(t.state) || ex.killRequested.has(task.task_id.value)) return;
        this.agent.background(this.agent.agentUpdate(ex, task.task_id.value, 'TASK_RUNNING', 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED', undefined, { ...FROM_EXECUTOR, healthy }), 'a health update');
      },
      onKill: () => {
        this.healthKilled.add(ex);
        ex.killRequested.add(task.task_id.value);
        const t = ex.tasks.get(task.task_id.value);
        if (t) this.kill(ex, t, task.kill_policy);
      },
    });
    this.health.set(ex, checker);
    checker.start();
  }

  private async exited(ex: ExecutorRec, task: v1.TaskInfo, t: Termination): Promise<void> {
    if (this.agent.stopped) return;
    this.health.get(ex)?.stop();
    this.health.delete(ex);
    const id = task.task_id.value;
    const current = ex.tasks.get(id);
    if (current && !isTerminal(current.state)) {
      const killed = ex.killRequested.has(id) || ex.state === 'terminating';
      // OOM-killed under cgroups/mem: the agent reports the memory limitation, as upstream's containerizer does.
      const limited = killed ? undefined : this.agent.isolation.limitation(ex);
      const outcome = limited ? undefined : (await inlineOutcome(ex.sandbox, t, killed)) ?? (t.message.startsWith('cannot start') ? { state: 'TASK_FAILED' as const, message: `Failed to launch the command: ${t.message}` } : undefined);
      if (outcome) {
        const health = this.healthKilled.has(ex) ? { healthy: false, reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED' as const } : {};
        await this.agent.agentUpdate(ex, id, outcome.state, undefined, outcome.message, { ...FROM_EXECUTOR, ...health });
      }
      if (limited) await this.agent.agentUpdate(ex, id, 'TASK_FAILED', limited.reason, limited.message, { limitation: limited.limitation });
    }
    this.healthKilled.delete(ex);
    if (isDockerTask(task)) this.agent.docker.scheduleRemove(ex);
    if (!ex.checkpoint) await this.agent.checkpointer.removeInlineRecord(ex.containerId);
    await this.runner.exited(ex, t);
  }
}

/** Creates `file` if missing (callback API: two thread-pool trips, no FileHandle). */
function touch(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    open(file, 'a', (e, fd) => {
      if (e) reject(e);
      else close(fd, (e2) => (e2 ? reject(e2) : resolve()));
    });
  });
}
