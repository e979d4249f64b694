// The Docker containerizer (--containerizers=…,docker): a command task whose ContainerInfo.type is DOCKER runs
// as a foreground `docker run` that the agent supervises like an inline command task (STARTING, RUNNING, the
// final state from the container's exit code; stdout/stderr of the attached CLI land in the sandbox files).
// The CLI process is the container's pid for checkpointing and recovery; the docker container itself is named
// mesos-<containerId> and labelled with the agent's work_dir, so a restarted agent finds its own containers and
// removes the ones no recovered task owns (orphans). Kill is `docker stop -t <grace>`; an ended container is
// removed after --docker_remove_delay.
import type { Logger } from 'pino';
import type { v1 } from '@mesos-ts/proto';
import type { Clock, Timer } from '@mesos-ts/common';
import type { AgentFlags } from '../flags.js';
import type { ExecutorRec } from '../model.js';
import { DockerCli } from './docker-cli.js';
import { DockerTaskError, dockerName, dockerRunArgs } from './docker-run-args.js';

export function isDockerTask(task: v1.TaskInfo | undefined): boolean {
  return task?.container?.type === 'DOCKER';
}

/** The DOCKER task of an inline executor, if it has one. */
export function dockerTaskOf(ex: ExecutorRec): v1.TaskInfo | undefined {
  if (!ex.inline) return undefined;
  const task = [...ex.taskInfos.values()][0];
  return isDockerTask(task) ? task : undefined;
}

export class DockerContainerizer {
  readonly cli: DockerCli;
  /** Set by probe(): docker is in --containerizers and the CLI reaches a daemon. */
  private available = false;
  private readonly removals = new Set<Timer>();

  constructor(
    private readonly flags: AgentFlags,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {
    this.cli = new DockerCli(flags.docker);
  }

  get enabled(): boolean {
    return this.available;
  }

  /** Decides once at start whether this agent can run DOCKER tasks (the capability is offered only then). */
  async probe(): Promise<void> {
    if (!this.flags.containerizers.includes('docker')) return;
    this.available = await this.cli.answers();
    if (this.available) this.log.info({ docker: this.flags.docker }, 'docker containerizer enabled');
    else this.log.warn({ docker: this.flags.docker }, `--containerizers lists docker but '${this.flags.docker} version' does not reach a daemon; DOCKER tasks will fail until the agent restarts with docker running`);
  }

  /**
   * The CommandInfo (argv form) that runs the task's container: checks the containerizer is usable and the
   * image is present (pulled when force_pull_image or missing). Throws DockerTaskError with a clear message.
   */
  async command(ex: ExecutorRec, task: v1.TaskInfo, env: Readonly<Record<string, string>>): Promise<v1.CommandInfo> {
    if (!this.available) {
      throw new DockerTaskError(this.flags.containerizers.includes('docker') ? `the docker containerizer is not available on this agent ('${this.flags.docker} version' did not reach a daemon at start)` : `no containerizer of this agent supports DOCKER containers (--containerizers=${this.flags.containerizers.join(',')}); start the agent with --containerizers=mesos,docker`);
    }
    const args = dockerRunArgs({ containerId: ex.containerId, sandbox: ex.sandbox, workDir: this.flags.work_dir, task, env: dockerEnv(env, task) });
    const image = task.container!.docker!.image;
    const force = task.container?.docker?.force_pull_image === true;
    if (force || !(await this.cli.imageExists(image))) {
      const pulled = await this.cli.pull(image);
      if (!pulled.ok) {
        const why = pulled.stderr.trim().split('\n').pop() ?? '';
        throw new DockerTaskError(`Failed to launch container: docker image '${image}' is not on this agent and could not be pulled${force ? ' (force_pull_image)' : ''}: ${why}`);
      }
    }
    return { shell: false, value: this.flags.docker, arguments: [this.flags.docker, ...args] };
  }

  /** Stops the container of `ex` (SIGTERM, SIGKILL after the grace period); the CLI then exits too. */
  async stop(ex: ExecutorRec, graceMs: number | undefined): Promise<void> {
    const r = await this.cli.stop(dockerName(ex.containerId), graceMs ?? this.flags.docker_stop_timeout_ms);
    if (!r.ok && !/No such container/i.test(r.stderr)) this.log.warn({ container: dockerName(ex.containerId), err: r.stderr.trim() }, 'docker stop failed');
  }

  /** Removes the ended container of `ex` after --docker_remove_delay. */
  scheduleRemove(ex: ExecutorRec): void {
    const name = dockerName(ex.containerId);
    const remove = (): void => {
      void this.cli.remove(name);
    };
    if (this.flags.docker_remove_delay_ms <= 0) {
      remove();
      return;
    }
    const timer = this.clock.setTimer(this.flags.docker_remove_delay_ms, () => {
      this.removals.delete(timer);
      remove();
    });
    this.removals.add(timer);
  }

  /** After recovery: removes this agent's containers that no recovered executor owns (orphans). */
  async reapOrphans(liveContainerIds: ReadonlySet<string>): Promise<string[]> {
    if (!this.available) return [];
    const orphans = (await this.cli.containersOf(this.flags.work_dir)).filter((n) => !liveContainerIds.has(n.slice('mesos-'.length)));
    for (const name of orphans) {
      this.log.info({ container: name }, 'removing an orphan docker container');
      await this.cli.remove(name);
    }
    return orphans;
  }

  /** Forgets pending removals (the agent stops; a restarted agent reaps what is left). */
  stopTimers(): void {
    for (const t of this.removals) t.cancel();
    this.removals.clear();
  }
}

/**
 * What the container sees of the executor environment: the MESOS_* variables and the task's own
 * CommandInfo.environment, never the agent host's environment (PATH, HOME… are the image's own).
 */
function dockerEnv(env: Readonly<Record<string, string>>, task: v1.TaskInfo): Record<string, string> {
  const own = new Set((task.command?.environment?.variables ?? []).map((v) => v.name));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith('MESOS_') || own.has(k)) out[k] = v;
  return out;
}
