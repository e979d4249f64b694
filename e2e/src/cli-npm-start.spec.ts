// `npm start` as a new user runs it (README's first command): it builds what is needed, starts the embedded
// cluster, and Ctrl-C (SIGINT to the terminal's process group) stops it with every task it ran: nothing left
// behind. Ports and work_dir are the test's own (`npm start -- --port=0 --work_dir=…`).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { descendants, runCli, spawnCli, until } from './cli-harness.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** True while the process exists and is not a zombie waiting to be reaped. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it('builds, runs the embedded cluster, and Ctrl-C leaves no process behind', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'npm-start-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const npm = spawn('npm', ['start', '--', '--port=0', `--work_dir=${path.join(dir, 'state')}`, '--allocation_interval=100ms'], {
      cwd: repoRoot,
      detached: true, // its own process group, like a terminal's foreground job
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => {
      try {
        process.kill(-npm.pid!, 'SIGKILL'); // whatever of the group is still there
      } catch {
        // the group is gone: the normal case
      }
    });
    let out = '';
    npm.stdout.on('data', (c: Buffer) => (out += c.toString()));
    npm.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => npm.on('exit', (code, signal) => resolve({ code, signal })));

    const master = await until(async () => /master {2}http:\/\/(127\.0\.0\.1:\d+)/.exec(out)?.[1], `the ready banner of npm start:\n${out}`, 120_000);
    const m = `--master=${master}`;
    const task = spawnCli('mesos-execute', [m, '--name=long-task', '--command=sleep 1000']);
    cleanups.push(() => {
      if (task.child.exitCode === null) task.child.kill('SIGKILL');
    });
    await until(async () => (await runCli('mesos', ['ps', '--json', m])).out.includes('"TASK_RUNNING"'), 'long-task to run');
    const before = descendants(npm.pid!);
    const sleeper = before.find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('sleep\u00001000'));
    expect(sleeper, `the task's sleep among npm start's processes: ${before.join(' ')}`).toBeDefined();

    process.kill(-npm.pid!, 'SIGINT');
    // npm re-raises the SIGINT its child got (a shell shows exit 130); mesos-local itself exits 0.
    const { code, signal } = await exited;
    expect(code === 0 || signal === 'SIGINT', `npm start ended with code ${code}, signal ${signal}:\n${out}`).toBe(true);
    await until(async () => before.every((pid) => !running(pid)), `every process of npm start to exit (left: ${before.filter(running).join(' ')})`, 10_000);
    expect(out).not.toMatch(/Error|error:/);
  }, 180_000);
});
