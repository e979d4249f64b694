// The sandbox-touching steps of a fetch, run as the task's user when the agent runs as root: reading a
// file:// source, creating directories, writing, renaming and chmod-ing in the sandbox. Root only moves bytes it
// fetched over the network (from a root-private staging file, through stdin). So a task running as `nobody`
// cannot copy /etc/shadow with a file:// URI, and a symlink the task plants in its sandbox leads nowhere
// the user could not already write.
import { open } from 'node:fs/promises';
import { runTool } from './run-tool.js';

export interface UserIds {
  uid: number;
  gid: number;
}

export function mkdirAs(ids: UserIds, dir: string, signal?: AbortSignal): Promise<unknown> {
  return runTool('mkdir', ['-p', '--', dir], { ...ids, signal });
}

/** Copies a local file the user can read (as the user: their permissions decide). */
export function copyAs(ids: UserIds, from: string, to: string, signal?: AbortSignal): Promise<unknown> {
  return runTool('cp', ['--', from, to], { ...ids, signal });
}

/** Writes the bytes of root's `staged` file to `to`, the writing done as the user. */
export async function writeAs(ids: UserIds, staged: string, to: string, signal?: AbortSignal): Promise<void> {
  const input = await open(staged, 'r');
  try {
    await runTool('dd', [`of=${to}`, 'conv=excl', 'status=none', 'bs=1M'], { ...ids, signal, stdinFd: input.fd });
  } finally {
    await input.close();
  }
}

export function renameAs(ids: UserIds, from: string, to: string, signal?: AbortSignal): Promise<unknown> {
  return runTool('mv', ['-f', '-T', '--', from, to], { ...ids, signal });
}

export function chmodAs(ids: UserIds, mode: string, file: string, signal?: AbortSignal): Promise<unknown> {
  return runTool('chmod', [mode, '--', file], { ...ids, signal });
}

export function removeAs(ids: UserIds, file: string): Promise<unknown> {
  return runTool('rm', ['-f', '--', file], ids).catch(() => undefined);
}
