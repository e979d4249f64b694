// The posix containerizer: an executor runs as a detached process (its own session and process group),
// with stdout/stderr appended to files in its sandbox and MESOS_CONTAINER_ID in its environment, which every
// process it starts inherits. Destroying a container sends SIGTERM to the executor's process group, then after
// the grace period SIGKILL to every process carrying the container's id (so re-parented or setsid'd
// descendants die too). Containers of a previous agent run are re-attached by pid and start time.
// With an `attach` hook (cgroups), the executor starts behind a gate: see GATE below.
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import type { Clock, Timer } from '@mesos-ts/common';
import { descendants, isAlive, pidsWithEnv, readAllStats, readStat, signal, PAGE_SIZE, TICKS_PER_SECOND } from './proc.js';

export const CONTAINER_ENV = 'MESOS_CONTAINER_ID';

export interface LaunchSpec {
  containerId: string;
  sandbox: string;
  /** argv[0] and arguments (no shell). */
  argv: readonly string[];
  env: Readonly<Record<string, string>>;
  uid?: number;
  gid?: number;
  /**
   * Puts the first process into the container's cgroups (throws when it cannot). Runs after spawn and before
   * the process runs anything of the task: see GATE.
   */
  attach?: (pid: number) => void;
}

/**
 * The gate the first process waits at when it must be moved into cgroups: `sh` blocks reading fd 3 until the
 * agent has written its pid into every cgroup.procs, then execs the real argv (same pid). This is race-free
 * (nothing of the task runs, allocates or forks outside the cgroup) and, unlike the child writing itself into
 * cgroup.procs, works when the task runs as a non-root user (the agent moves it, as root). If the agent dies
 * or fails before opening the gate, `read` sees EOF and the task never starts.
 */
const GATE = 'read -r go <&3 && [ "$go" = go ] || exit 125; exec 3<&-; exec "$@"';

/** wait(2)-style termination: `status` is the raw wait status (exit code << 8, or the signal number). */
export interface Termination {
  status: number | undefined;
  message: string;
}

export interface Container {
  readonly id: string;
  readonly pid: number;
  readonly startTicks: number;
  /** Resolves once the executor process is gone. */
  readonly exited: Promise<Termination>;
}

export interface ContainerUsage {
  cpusUserTimeSecs: number;
  cpusSystemTimeSecs: number;
  memRssBytes: number;
  processes: number;
}

/** Attaches the gated process, then lets it run; kills it (and rethrows) when it cannot be attached. */
function openGate(gate: Writable | null, pid: number, attach: (pid: number) => void): void {
  gate?.on('error', () => undefined); // the process may be gone already: its exit is reported anyway
  try {
    attach(pid);
  } catch (e) {
    signal(-pid, 'SIGKILL');
    gate?.destroy();
    throw e;
  }
  gate?.end('go\n');
}

const SIGNALS: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 };

export class PosixContainerizer {
  /** How often re-attached containers (not our children) are polled for exit, in ms. */
  static readonly RECOVERED_POLL_MS = 500;

  constructor(private readonly clock: Clock) {}

  launch(spec: LaunchSpec): Container {
    const stdout = openSync(path.join(spec.sandbox, 'stdout'), 'a');
    const stderr = openSync(path.join(spec.sandbox, 'stderr'), 'a');
    const argv = spec.attach ? ['/bin/sh', '-c', GATE, 'mesos-cgroup-gate', ...spec.argv] : spec.argv;
    try {
      const child = spawn(argv[0]!, argv.slice(1), {
        cwd: spec.sandbox,
        env: { ...spec.env, [CONTAINER_ENV]: spec.containerId },
        stdio: spec.attach ? ['ignore', stdout, stderr, 'pipe'] : ['ignore', stdout, stderr],
        detached: true,
        ...(spec.uid !== undefined ? { uid: spec.uid } : {}),
        ...(spec.gid !== undefined ? { gid: spec.gid } : {}),
      });
      const exited = new Promise<Termination>((resolve) => {
        child.once('error', (e) => resolve({ status: undefined, message: `cannot start ${spec.argv[0]}: ${e.message}` }));
        child.once('exit', (code, sig) => {
          if (sig !== null) resolve({ status: SIGNALS[sig] ?? 0, message: `terminated by ${sig}` });
          else resolve({ status: (code ?? 0) << 8, message: `exited with status ${code ?? 0}` });
        });
      });
      child.unref();
      const pid = child.pid ?? -1;
      if (spec.attach && pid > 0) openGate(child.stdio[3] as Writable | null, pid, spec.attach);
      return { id: spec.containerId, pid, startTicks: readStat(pid)?.startTicks ?? 0, exited };
    } finally {
      closeSync(stdout);
      closeSync(stderr);
    }
  }

  /** Re-attaches a container of an earlier agent run; undefined when its executor is gone (or the pid reused). */
  recover(id: string, pid: number, startTicks: number): Container | undefined {
    if (!isAlive(pid, startTicks)) return undefined;
    const exited = new Promise<Termination>((resolve) => {
      const poll = (): void => {
        if (isAlive(pid, startTicks)) this.clock.setTimer(PosixContainerizer.RECOVERED_POLL_MS, poll);
        else resolve({ status: undefined, message: 'exited while not a child of this agent (status unknown)' });
      };
      poll();
    });
    return { id, pid, startTicks, exited };
  }

  /**
   * SIGTERM to the executor's process group, SIGKILL to everything of the container after `graceMs`
   * (or at once when the executor exits first). Resolves when the executor is gone.
   */
  async destroy(container: Container, graceMs: number): Promise<Termination> {
    signal(-container.pid, 'SIGTERM');
    let timer: Timer | undefined;
    const graceOver = new Promise<void>((resolve) => {
      timer = this.clock.setTimer(graceMs, resolve);
    });
    await Promise.race([container.exited, graceOver]);
    if (timer) timer.cancel();
    this.killAll(container);
    return container.exited;
  }

  /** SIGKILL to every process of the container: its process group and anything carrying its id. */
  killAll(container: Pick<Container, 'id' | 'pid'>): void {
    signal(-container.pid, 'SIGKILL');
    for (const pid of pidsWithEnv(CONTAINER_ENV, container.id)) signal(pid, 'SIGKILL');
  }

  /** CPU and memory of the executor and its descendants, from one /proc snapshot per call. */
  usage(containers: readonly Container[]): Map<string, ContainerUsage> {
    const stats = readAllStats();
    const out = new Map<string, ContainerUsage>();
    for (const c of containers) {
      const procs = descendants(c.pid, stats);
      let user = 0;
      let system = 0;
      let rss = 0;
      for (const p of procs) {
        user += p.utimeTicks;
        system += p.stimeTicks;
        rss += p.rssPages;
      }
      out.set(c.id, { cpusUserTimeSecs: user / TICKS_PER_SECOND, cpusSystemTimeSecs: system / TICKS_PER_SECOND, memRssBytes: rss * PAGE_SIZE, processes: procs.length });
    }
    return out;
  }
}
