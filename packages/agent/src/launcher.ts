// How executors are started: the argv of the built-in mesos-executor (command and default executor) and of
// custom executors' CommandInfo, and the uid/gid to run as when the agent is root.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { v1 } from '@mesos-ts/proto';

export class LaunchError extends Error {
  override readonly name = 'LaunchError';
  readonly code = 'LAUNCH_FAILED' as const;
}

/**
 * argv that runs mesos-executor: `<launcherDir>/mesos-executor.js` when given; else the one built beside this
 * module; when running from TypeScript sources (tests), node with tsx and the workspace source condition.
 */
export function builtinExecutorArgv(launcherDir: string | undefined): string[] {
  if (launcherDir !== undefined) return [process.execPath, path.join(launcherDir, 'mesos-executor.js')];
  const here = path.dirname(fileURLToPath(import.meta.url));
  const js = path.join(here, 'bin', 'mesos-executor.js');
  if (existsSync(js)) return [process.execPath, js];
  const ts = path.join(here, 'bin', 'mesos-executor.ts');
  const require = createRequire(import.meta.url);
  const tsxLoader = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs');
  return [process.execPath, '--conditions=@mesos-ts/source', '--import', tsxLoader, ts];
}

/** argv of a CommandInfo: `sh -c value` in shell form (the default), `value arguments…` otherwise. */
export function commandArgv(command: v1.CommandInfo): string[] {
  if (command.shell ?? true) {
    if (command.value === undefined) throw new LaunchError('a shell command needs CommandInfo.value');
    return ['/bin/sh', '-c', command.value];
  }
  if (command.value === undefined) throw new LaunchError('a non-shell command needs CommandInfo.value (the program)');
  return [command.value, ...(command.arguments?.slice(1) ?? [])];
}

export interface UserIds {
  uid: number;
  gid: number;
  home: string;
}

/** uid/gid of `user` from /etc/passwd; throws LaunchError when unknown. */
export function lookupUser(user: string, passwd = '/etc/passwd'): UserIds {
  for (const line of readFileSync(passwd, 'utf8').split('\n')) {
    const f = line.split(':');
    if (f[0] === user && f.length >= 7) return { uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '/' };
  }
  throw new LaunchError(`user '${user}' does not exist on this agent; create it or launch as another user`);
}

/** The ExecutorInfo of the built-in command executor for a command task (its id is the task's). */
export function commandExecutorInfo(fwId: string, task: v1.TaskInfo): v1.ExecutorInfo {
  const cmd = task.command?.value ?? '';
  const summary = (task.command?.shell ?? true) ? `sh -c '${cmd}'` : [cmd, ...(task.command?.arguments?.slice(1) ?? [])].join(' ');
  return {
    executor_id: { value: task.task_id.value },
    framework_id: { value: fwId },
    name: `Command Executor (Task: ${task.task_id.value}) (Command: ${summary})`,
    source: task.task_id.value,
    command: { value: 'mesos-executor', shell: false },
    resources: task.resources ?? [],
    type: 'CUSTOM',
  };
}
