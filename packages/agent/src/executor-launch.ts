// Starting an executor's container: sandbox (runs/latest, owner), volumes, fetched URIs, isolators (GPUs,
// cgroup), then either the inline command task or the executor process, its run checkpoint and its
// registration timeout. Any failure ends the executor with REASON_CONTAINER_LAUNCH_FAILED.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { v1 } from '@mesos-ts/proto';
import type { AgentContext, UriFetcher } from './agent-context.js';
import type { Termination } from './containerizer.js';
import { SUBSCRIPTION_BACKOFF_MAX_MS, executorEnv } from './executor-env.js';
import { TOKEN_ENV, tokensFor } from './executor-token.js';
import { setState } from './executor-state.js';
import type { InlineSupervisor } from './inline-supervisor.js';
import { builtinExecutorArgv, commandArgv, lookupUser, type UserIds } from './launcher.js';
import { nsToMs, type ExecutorRec, type FrameworkRec } from './model.js';
import { ensureTraversable } from './traversable.js';

/** What launching needs of the executor runner. */
export interface LaunchRunner {
  readonly inline: InlineSupervisor;
  exited(ex: ExecutorRec, t: Termination): Promise<void>;
  destroy(ex: ExecutorRec, graceMs: number): Promise<void>;
}

export class ExecutorLauncher {
  constructor(
    private readonly agent: AgentContext,
    private readonly fetcher: UriFetcher,
    private readonly runner: LaunchRunner,
  ) {}

  async launch(fw: FrameworkRec, ex: ExecutorRec, uris: readonly v1.CommandInfo.URI[], task: v1.TaskInfo | undefined): Promise<void> {
    const agent = this.agent;
    try {
      await fs.mkdir(ex.sandbox, { recursive: true });
      const latest = path.join(path.dirname(ex.sandbox), 'latest');
      await fs.rm(latest, { force: true });
      await fs.symlink(ex.containerId, latest);
      const userName = (ex.kind === 'command' ? task?.command?.user : ex.info.command?.user) ?? fw.info.user;
      const ids = this.runAs(userName);
      if (ids) {
        await fs.chown(ex.sandbox, ids.uid, ids.gid);
        await ensureTraversable(agent.dirs.root, ex.sandbox, agent.log);
      }
      const resources = [...(ex.info.resources ?? []), ...[...ex.taskInfos.values()].flatMap((t) => t.resources ?? [])];
      await this.linkVolumes(ex, resources);
      await this.fetcher.fetch(uris, { sandbox: ex.sandbox, ...(ids && userName ? { user: userName, ids: { uid: ids.uid, gid: ids.gid } } : {}) });
      if (ex.state !== 'launching') {
        await this.runner.exited(ex, { status: undefined, message: 'was shut down before it started' });
        return;
      }
      agent.isolation.prepare(ex);
      if (ex.inline && task) {
        await this.runner.inline.start(ex, task, ids);
        return;
      }
      const argv = ex.kind === 'custom' ? commandArgv(ex.info.command!) : builtinExecutorArgv(agent.flags.launcher_dir);
      const env = this.env(ex, task);
      if (ids) env.HOME = ids.home;
      const attach = agent.isolation.attacher(ex);
      const container = agent.containerizer.launch({ containerId: ex.containerId, sandbox: ex.sandbox, argv, env, ...(ids ? { uid: ids.uid, gid: ids.gid } : {}), ...(attach ? { attach } : {}) });
      ex.container = container;
      setState(ex, 'registering');
      agent.background(container.exited.then((t) => this.runner.exited(ex, t)), 'settling an ended executor');
      if (ex.checkpoint) {
        await agent.checkpointer.run(ex.frameworkId, ex.id, { container_id: ex.containerId, pid: container.pid, start_ticks: container.startTicks, sandbox: ex.sandbox, ...(ex.gpus.length > 0 ? { gpus: ex.gpus } : {}) });
      }
      ex.timer = agent.clock.setTimer(agent.flags.executor_registration_timeout_ms, () => {
        if (ex.state !== 'registering') return;
        agent.log.warn({ executor_id: ex.id }, 'executor did not subscribe in time; killing it');
        ex.endReason = 'REASON_EXECUTOR_REGISTRATION_TIMEOUT';
        agent.background(this.runner.destroy(ex, 0), 'killing a container');
      });
    } catch (e) {
      const message = (e as Error).message;
      agent.log.warn({ executor_id: ex.id, err: message }, 'failed to launch executor');
      ex.endReason = 'REASON_CONTAINER_LAUNCH_FAILED';
      await this.runner.exited(ex, { status: undefined, message: `could not be launched: ${message}` });
    }
  }

  /** Environment of an executor (or, inline, of a command task) of `ex`, with what its isolators add. */
  env(ex: ExecutorRec, task: v1.TaskInfo | undefined): Record<string, string> {
    const agent = this.agent;
    const env = executorEnv({
      base: agent.opts.env ?? process.env,
      frameworkId: ex.frameworkId,
      executorId: ex.id,
      agentId: agent.requireAgentId(),
      sandbox: ex.sandbox,
      agentEndpoint: agent.address,
      checkpoint: ex.checkpoint,
      shutdownGracePeriodMs: nsToMs(ex.info.shutdown_grace_period) ?? agent.flags.executor_shutdown_grace_period_ms,
      recoveryTimeoutMs: agent.flags.recovery_timeout_ms,
      subscriptionBackoffMaxMs: SUBSCRIPTION_BACKOFF_MAX_MS,
      command: ex.kind === 'custom' ? ex.info.command : ex.inline ? task?.command : undefined,
      ...(ex.kind === 'command' && task ? { taskId: task.task_id.value } : {}),
    });
    Object.assign(env, agent.isolation.env(ex));
    // Set last so that no CommandInfo variable replaces it: the executor's credential for /api/v1/executor.
    env[TOKEN_ENV] = tokensFor(agent.dirs.metaDir).token(ex.frameworkId, ex.id);
    return env;
  }

  /** Links volumes into `ex`'s sandbox; a volume another live container uses is not re-owned. */
  linkVolumes(ex: ExecutorRec, resources: readonly v1.Resource[]): Promise<void> {
    const usedElsewhere = (hostPath: string): boolean => {
      for (const other of this.agent.allExecutors()) {
        if (other === ex || other.state === 'terminated') continue;
        const held = [...(other.info.resources ?? []), ...[...other.taskInfos.values()].flatMap((t) => t.resources ?? [])];
        if (this.agent.volumes.volumes(held).some((v) => v.hostPath === hostPath)) return true;
      }
      return false;
    };
    return this.agent.volumes.linkInto(ex.sandbox, resources, usedElsewhere);
  }

  private runAs(user: string | undefined): UserIds | undefined {
    if (user === undefined || user === '' || !this.agent.flags.switch_user || process.getuid?.() !== 0) return undefined;
    const ids = lookupUser(user);
    return ids.uid === 0 ? undefined : ids;
  }
}
