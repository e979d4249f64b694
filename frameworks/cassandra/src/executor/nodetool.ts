// Cluster-job steps on one node: the distribution's bin/nodetool against the node's JMX port (bound to
// 127.0.0.1 by -Dcassandra.jmx.local.port). Resolves with the outcome instead of throwing, so a job records a
// failed node and moves on as upstream's jobs do.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { JobType } from '../domain/jobs.js';

/** nodetool arguments of each job's step (rolling-restart is a drain, then the scheduler restarts the task). */
export const JOB_NODETOOL_ARGS: Readonly<Record<JobType, readonly string[]>> = {
  repair: ['repair', '--full'],
  cleanup: ['cleanup'],
  'rolling-restart': ['drain'],
};

export function runNodetool(distDir: string, jmxPort: number, args: readonly string[], timeoutMs = 300_000): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(distDir, 'bin', 'nodetool'), ['-h', '127.0.0.1', '-p', String(jmxPort), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-8000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, output: `cannot run nodetool: ${e.message}` });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, output: signal !== null ? `${output}\nnodetool ${args.join(' ')} killed after ${timeoutMs} ms` : output });
    });
  });
}
