// --command_executor=inline: the agent runs a command task itself instead of under a mesos-executor process.
// The task runs under a small /bin/sh wrapper (its own process group, like any container) that writes the
// task's exit status into the sandbox, so an agent restarted after the task ended still learns how it ended.
// The agent sends the updates the command executor would (STARTING, RUNNING, health, the final state).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { v1 } from '@mesos-ts/proto';
import type { Termination } from './containerizer.js';

/** The wrapper's record of the task's exit, in the sandbox. */
export const EXIT_STATUS_FILE = '.mesos-exit-status';

/**
 * argv of the wrapper: `sh -c '<script>' <statusFile> <command…>`. The script runs the command (shell form:
 * `sh -c value`; argv form: the program and its arguments), records `$?`, and exits with it.
 */
export function inlineArgv(command: v1.CommandInfo, sandbox: string, recordStatus: boolean): string[] {
  // Without checkpointing nobody reads the status file (the agent sees the exit itself): no wrapper.
  if (!recordStatus) return command.shell ?? true ? ['/bin/sh', '-c', command.value ?? ''] : [command.value ?? '', ...(command.arguments ?? []).slice(1)];
  const statusFile = path.join(sandbox, EXIT_STATUS_FILE);
  // The wrapper outlives a SIGTERM to the group (a caught signal is reset for the child, an ignored one would
  // not be), so the task's own reaction to SIGTERM decides; SIGKILL after the grace period ends both.
  const record = 's=$?; echo $s > "$0.tmp" && mv "$0.tmp" "$0"; exit $s';
  const run = command.shell ?? true ? '/bin/sh -c "$1"' : '"$@"';
  const args = command.shell ?? true ? [command.value ?? ''] : [command.value ?? '', ...(command.arguments ?? []).slice(1)];
  return ['/bin/sh', '-c', `trap : TERM; ${run}; ${record}`, statusFile, ...args];
}

export interface InlineOutcome {
  state: v1.TaskState;
  message: string;
}

const SIGNAL_NAMES: Readonly<Record<number, string>> = { 1: 'Hangup', 2: 'Interrupt', 6: 'Aborted', 9: 'Killed', 11: 'Segmentation fault', 15: 'Terminated' };

/** Upstream's wording from an exit code as a shell reports it (128+n: signal n). */
export function outcomeOf(code: number, killed: boolean): InlineOutcome {
  const message = code > 128 && code < 160 ? `Command terminated with signal ${SIGNAL_NAMES[code - 128] ?? code - 128}` : `Command exited with status ${code}`;
  if (killed) return { state: 'TASK_KILLED', message };
  return { state: code === 0 ? 'TASK_FINISHED' : 'TASK_FAILED', message };
}

/** Outcome from the wrapper's wait status (when the agent saw it exit), or from its status file. */
export async function inlineOutcome(sandbox: string, t: Termination, killed: boolean): Promise<InlineOutcome | undefined> {
  if (t.status !== undefined) {
    const sig = t.status & 0x7f;
    return outcomeOf(sig !== 0 ? 128 + sig : t.status >> 8, killed);
  }
  try {
    const code = Number((await readFile(path.join(sandbox, EXIT_STATUS_FILE), 'utf8')).trim());
    return Number.isInteger(code) ? outcomeOf(code, killed) : undefined;
  } catch {
    return undefined; // the wrapper itself was killed: nobody knows how the task ended
  }
}
