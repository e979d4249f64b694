// One task process of the built-in executor: `sh -c value` or argv, in its own process group so a kill
// reaches everything it started; SIGTERM first, SIGKILL when the grace period is over.
import { spawn, type ChildProcess } from 'node:child_process';
import type { v1 } from '@mesos-ts/proto';

export interface TaskExit {
  /** Exit code, when it exited. */
  code: number | null;
  /** Signal name, when a signal ended it. */
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  error?: string;
}

const SIGNAL_TEXT: Readonly<Partial<Record<NodeJS.Signals, string>>> = { SIGKILL: 'Killed', SIGTERM: 'Terminated', SIGINT: 'Interrupt', SIGSEGV: 'Segmentation fault', SIGABRT: 'Aborted' };

/** Upstream's wording: "Command exited with status 1", "Command terminated with signal Killed". */
export function describeExit(exit: TaskExit): string {
  if (exit.error !== undefined) return `Failed to launch the command: ${exit.error}`;
  if (exit.signal !== null) return `Command terminated with signal ${SIGNAL_TEXT[exit.signal] ?? exit.signal}`;
  return `Command exited with status ${exit.code ?? 0}`;
}

export class TaskProcess {
  readonly exited: Promise<TaskExit>;
  private readonly child: ChildProcess;
  private killTimer: NodeJS.Timeout | undefined;
  private done = false;
  killing = false;

  constructor(command: v1.CommandInfo, env: Readonly<Record<string, string>>, cwd: string) {
    const shell = command.shell ?? true;
    const file = shell ? '/bin/sh' : command.value ?? '';
    const args = shell ? ['-c', command.value ?? ''] : (command.arguments ?? []).slice(1);
    this.child = spawn(file, args, {
      cwd,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
      ...(!shell && command.arguments?.[0] !== undefined ? { argv0: command.arguments[0] } : {}),
    });
    this.exited = new Promise<TaskExit>((resolve) => {
      this.child.once('error', (e) => {
        this.done = true;
        resolve({ code: null, signal: null, error: e.message });
      });
      this.child.once('exit', (code, sig) => {
        this.done = true;
        if (this.killTimer) clearTimeout(this.killTimer);
        // Whatever the task left in its group (background jobs) goes with it.
        this.signalGroup('SIGKILL');
        resolve({ code, signal: sig });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** SIGTERM the group now, SIGKILL it after `graceMs` (0: SIGKILL at once). */
  kill(graceMs: number): void {
    if (this.done) return;
    this.killing = true;
    if (graceMs <= 0) {
      this.signalGroup('SIGKILL');
      return;
    }
    this.signalGroup('SIGTERM');
    if (!this.killTimer) this.killTimer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
  }

  private signalGroup(sig: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, sig);
    } catch {
      // already gone
    }
  }
}
