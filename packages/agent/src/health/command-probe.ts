// COMMAND health checks: run the command in the sandbox with the task's environment; exit 0 is
// healthy. The command gets its own process group so a timeout kills everything it started.
import { spawn } from 'node:child_process';
import type { v1 } from '@mesos-ts/proto';
import type { Probe, ProbeResult } from './probe.js';

export interface CommandProbeOptions {
  sandbox: string;
  /** The task's environment; CommandInfo.environment values are laid over it. */
  env: Record<string, string>;
}

export function commandProbe(command: v1.CommandInfo, opts: CommandProbeOptions): Probe {
  const env = { ...opts.env };
  for (const variable of command.environment?.variables ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
  }
  const value = command.value ?? '';
  // Shell form (the default) runs `sh -c value`; argv form runs value with arguments[1..] (arguments[0] is argv[0]).
  const [file, args, argv0] =
    command.shell === false
      ? [value, (command.arguments ?? []).slice(1), command.arguments?.[0]]
      : ['/bin/sh', ['-c', value], undefined];

  return (signal) =>
    new Promise<ProbeResult>((resolve) => {
      if (signal.aborted) return resolve({ healthy: false, message: 'aborted' });
      const child = spawn(file, args, {
        cwd: opts.sandbox,
        env,
        stdio: 'ignore',
        detached: true,
        ...(argv0 !== undefined ? { argv0 } : {}),
      });
      const killGroup = () => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // The group is already gone.
        }
      };
      signal.addEventListener('abort', killGroup, { once: true });
      child.on('error', (err) => {
        signal.removeEventListener('abort', killGroup);
        resolve({ healthy: false, message: `could not run health check command: ${err.message}` });
      });
      child.on('exit', (code, sig) => {
        signal.removeEventListener('abort', killGroup);
        // Children the command left behind must not outlive the check.
        killGroup();
        if (code === 0) resolve({ healthy: true, message: 'command exited with code 0' });
        else if (signal.aborted) resolve({ healthy: false, message: 'aborted' });
        else resolve({ healthy: false, message: code === null ? `command was killed by ${sig}` : `command exited with code ${code}` });
      });
    });
}
