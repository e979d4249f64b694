// Issue 6's figures: time from `npm start` to a ready cluster, and `mesos-execute` wall time for `echo hi`
// (medians of 5, on this machine, with its load printed). Uses the built bins, as a user does after `npm ci`.
// Run: `npx nx bench @mesos-ts/cli` (or `npm run bench` for every package).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const RUNS = 5;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Starts `npm start` on ephemeral ports; resolves with ms until its banner names the master, and a stop(). */
function npmStart(workDir: string): Promise<{ readyMs: number; master: string; stop: () => Promise<void> }> {
  const started = performance.now();
  const child = spawn('npm', ['start', '--', '--port=0', `--work_dir=${workDir}`], { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start not ready within 120 s:\n${out}`)), 120_000);
    const onData = (c: Buffer): void => {
      out += c.toString();
      const master = /master {2}http:\/\/(127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (master === undefined) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      const stop = (): Promise<void> =>
        new Promise((done) => {
          child.once('exit', () => done());
          process.kill(-child.pid!, 'SIGINT');
        });
      resolve({ readyMs: performance.now() - started, master, stop });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  });
}

function executeEchoMs(master: string): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'packages/cli/dist/bin/mesos-execute.js'), `--master=${master}`, '--name=echo-hi', '--command=echo hi'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mesos-execute exited ${r.status}:\n${r.stdout}${r.stderr}`);
  return performance.now() - started;
}

const ready: number[] = [];
const execute: number[] = [];
console.log(`load average before: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
for (let i = 0; i < RUNS; i++) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cli-bench-'));
  try {
    const cluster = await npmStart(path.join(dir, 'state'));
    ready.push(cluster.readyMs);
    execute.push(executeEchoMs(cluster.master));
    await cluster.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const row = (name: string, xs: number[]): string => `${name.padEnd(44)}${median(xs).toFixed(0).padStart(8)} ms   (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`;
console.log(row('npm start -> ready cluster (median of 5)', ready));
console.log(row("mesos-execute --command='echo hi' (median of 5)", execute));
console.log(`load average after: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
