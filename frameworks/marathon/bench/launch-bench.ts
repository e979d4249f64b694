// `npm run bench`: time from POST /v2/apps to all N instances TASK_RUNNING, for N = 1, 10, 100 `sleep` apps
// on the embedded cluster (mesos-local with its in-process launcher, started as a child process), and the
// growth of that process's RSS per running task (launcher + master + agents bookkeeping; tasks are separate
// processes). Prints one line per N and the median of --runs (default 3) runs.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
const sizes = [1, 10, 100];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'marathon-bench-'));
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@mesos-ts/source', path.join(ROOT, 'packages/cli/src/bin/mesos-local.ts'), '--port=0', '--launcher_port=0', `--work_dir=${workDir}`, '--resources=cpus:8;mem:8192;disk:1024', '--allocation_interval=100ms'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  try {
    const deadline = Date.now() + 60_000;
    let api: string | undefined;
    while (api === undefined) {
      if (Date.now() > deadline) throw new Error(`mesos-local did not print its launcher URL within 60 s:\n${out}`);
      api = /launcher\s+(http:\/\/\S+)/.exec(out)?.[1];
      await sleep(50);
    }
    const rss = async (): Promise<number> => ((await (await fetch(`${api}/metrics`)).json()) as { gauges: Record<string, { value: number }> }).gauges['process.rss.bytes']!.value;
    for (const n of sizes) {
      const times: number[] = [];
      let perTask = 0;
      for (let r = 0; r < runs; r++) {
        const id = `/bench/n${n}-r${r}`;
        const before = await rss();
        const t0 = performance.now();
        const res = await fetch(`${api}/v2/apps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id, cmd: 'exec sleep 1000', cpus: 0.01, mem: 8, instances: n }) });
        if (res.status !== 201) throw new Error(`POST ${id}: ${res.status} ${await res.text()}`);
        for (;;) {
          const app = ((await (await fetch(`${api}/v2/apps${id}`)).json()) as { app: { tasksRunning: number } }).app;
          if (app.tasksRunning === n) break;
          if (performance.now() - t0 > 120_000) throw new Error(`${id}: only ${app.tasksRunning} of ${n} running after 120 s`);
          await sleep(20);
        }
        times.push(performance.now() - t0);
        perTask = Math.max(0, (await rss()) - before) / n;
        await fetch(`${api}/v2/apps${id}?force=true`, { method: 'DELETE' });
        for (let i = 0; i < 600; i++) {
          if (((await (await fetch(`${api}/v2/tasks`)).json()) as { tasks: unknown[] }).tasks.length === 0) break;
          await sleep(50);
        }
      }
      process.stdout.write(`N=${String(n).padStart(3)}  POST → all running: median ${median(times).toFixed(0)} ms (runs: ${times.map((t) => t.toFixed(0)).join(', ')})  RSS growth per task ≈ ${(perTask / 1024).toFixed(0)} KiB\n`);
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
