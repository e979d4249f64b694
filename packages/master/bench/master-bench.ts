// Master benchmark over loopback: a mesos-master child process, 1000 fake agents and 50 schedulers in this
// process. Prints offers/s (decline-everything churn), launch throughput, status updates/s end to end
// (agent -> master -> scheduler -> ACKNOWLEDGE -> master -> agent) and the master's RSS per running task.
// Usage: npm run bench [-- --agents=1000 --frameworks=50 --tasks=10000 --updates=2]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { APPLICATION_PROTOBUF } from '@mesos-ts/wire';
import type { FromWorker, Mode, ToWorker, WorkerInput } from './bench-schedulers.js';
import { FakeAgent } from '../src/testing/fake-agent.js';

const arg = (name: string, def: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const AGENTS = arg('agents', 1000);
const FRAMEWORKS = arg('frameworks', 50);
const TASKS = arg('tasks', 10_000);
const UPDATES_PER_TASK = arg('updates', 2);
const CT = APPLICATION_PROTOBUF;
const pool = new http.Agent({ keepAlive: true, maxSockets: 256 });

function startMaster(): Promise<{ child: ChildProcess; url: string }> {
  const bin = join(import.meta.dirname, '../src/bin/mesos-master.ts');
  const child = spawn(process.execPath, ['--conditions=@mesos-ts/source', '--import', 'tsx', bin, '--port=0', '--registry=in_memory', '--allocation_interval=250ms', '--agent_ping_timeout=1mins'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const line = err.split('\n').find((l) => l.includes('mesos-master is serving'));
      if (line) resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
    child.on('exit', (code) => reject(new Error(`master exited ${code}: ${err}`)));
    setTimeout(() => reject(new Error(`master did not start: ${err}`)), 15_000).unref();
  });
}

/** CPU seconds (user + system) the process has used; /proc/<pid>/stat fields 14 and 15 are in 1/100 s ticks. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Retained heap per running task without HTTP noise (bench/task-memory.ts under --expose-gc). */
function retainedPerTask(tasks: number): string {
  const script = join(import.meta.dirname, 'task-memory.ts');
  const out = spawnSync(process.execPath, ['--expose-gc', '--conditions=@mesos-ts/source', '--import', 'tsx', script, `--tasks=${tasks}`], { encoding: 'utf8', timeout: 300_000 });
  const line = out.stdout.trim().split('\n').pop() ?? '';
  try {
    const r = JSON.parse(line) as { bytesPerTask: number };
    return `${(r.bytesPerTask / 1024).toFixed(2)} KiB`;
  } catch {
    return `unknown (${out.stderr.slice(0, 200)})`;
  }
}

function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

async function waitUntil(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main(): Promise<void> {
  // MASTER_URL + MASTER_PID point the benchmark at a master started by hand (e.g. under --cpu-prof).
  const external = process.env['MASTER_URL'];
  const { child, url } = external ? { child: undefined, url: external } : await startMaster();
  const pid = external ? Number(process.env['MASTER_PID']) : (child?.pid as number);
  const baseline = rssKiB(pid);
  try {
    console.log(`master pid ${pid} at ${url}; ${AGENTS} agents, ${FRAMEWORKS} frameworks, ${TASKS} tasks`);
    const agents: FakeAgent[] = [];
    let t = Date.now();
    for (let i = 0; i < AGENTS; i += 100) {
      const batch = Array.from({ length: Math.min(100, AGENTS - i) }, (_, j) => new FakeAgent({ master: url, hostname: `agent-${i + j}`, resources: 'cpus:32;mem:65536;disk:100000;ports:[31000-32000]', contentType: CT, httpAgent: pool }));
      await Promise.all(batch.map((a) => a.connect()));
      agents.push(...batch);
    }
    console.log(`registered ${AGENTS} agents in ${Date.now() - t} ms`);
    // Workers do not inherit tsx's loader hooks on Node 20: register them inside the worker, then load the .ts.
    const api = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./bench-schedulers.ts', import.meta.url).href;
    const boot = `import(${JSON.stringify(api)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: { url, frameworks: FRAMEWORKS, tasks: TASKS } satisfies WorkerInput });
    const counts = { offers: 0, running: 0, updates: 0, elu: 0 };
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (msg: FromWorker) => {
        if (msg.type === 'ready') resolve();
        else Object.assign(counts, msg);
      });
      worker.on('error', reject);
    });
    const setMode = (mode: Mode): void => worker.postMessage({ type: 'mode', mode } satisfies ToWorker);

    // 1. Offer churn: every offer is declined without a filter and offered again next cycle.
    await new Promise((r) => setTimeout(r, 1000));
    const offers0 = counts.offers;
    t = Date.now();
    await new Promise((r) => setTimeout(r, 5000));
    const offerRate = ((counts.offers - offers0) * 1000) / (Date.now() - t);
    console.log(`offers/s (decline churn, allocation_interval=250ms): ${offerRate.toFixed(0)}`);

    // 2. Launch TASKS tasks; each goes TASK_RUNNING on its agent and is acknowledged.
    const idleRss = rssKiB(pid);
    setMode('launch');
    t = Date.now();
    await waitUntil(() => counts.running >= TASKS, 120_000, 'tasks running');
    const launchMs = Date.now() - t;
    // Done launching: SUPPRESS, as well-behaved frameworks do, so offers stop cycling.
    setMode('idle');
    await waitUntil(() => agents.reduce((acc, a) => acc + a.acknowledged.size, 0) >= TASKS, 60_000, 'acknowledgements');
    console.log(`launched ${TASKS} tasks to TASK_RUNNING in ${launchMs} ms (${((TASKS * 1000) / launchMs).toFixed(0)} tasks/s)`);
    await new Promise((r) => setTimeout(r, 3000));
    const busyRss = rssKiB(pid);
    console.log(`master RSS: start ${(baseline / 1024).toFixed(1)} MiB, idle with agents ${(idleRss / 1024).toFixed(1)} MiB, with ${TASKS} running tasks ${(busyRss / 1024).toFixed(1)} MiB`);
    console.log(`master memory per running task: ${(((busyRss - idleRss) * 1024) / TASKS / 1024).toFixed(2)} KiB (${(((busyRss - idleRss) / 1024) * (10_000 / TASKS)).toFixed(1)} MiB per 10k tasks)`);

    // 3. Status updates end to end: every task reports UPDATES_PER_TASK more updates; schedulers acknowledge.
    const acked0 = agents.reduce((acc, a) => acc + a.acknowledged.size, 0);
    const total = TASKS * UPDATES_PER_TASK;
    const cpu0 = cpuSeconds(pid);
    const self0 = cpuSeconds(process.pid);
    const elu0 = performance.eventLoopUtilization();
    const workerElu0 = counts.elu;
    t = Date.now();
    // Each agent sends its updates one after the other (in order per task); agents run concurrently.
    await Promise.all(
      agents.map(async (a) => {
        for (let k = 0; k < UPDATES_PER_TASK; k++) {
          for (const [taskId, task] of a.tasks) await a.update(task.frameworkId, taskId, 'TASK_RUNNING', { healthy: true });
        }
      }),
    );
    await waitUntil(() => agents.reduce((acc, a) => acc + a.acknowledged.size, 0) - acked0 >= total, 120_000, 'update acknowledgements');
    const ms = Date.now() - t;
    const cpu = cpuSeconds(pid) - cpu0;
    const clientCpu = cpuSeconds(process.pid) - self0;
    const mainBusy = performance.eventLoopUtilization(elu0).utilization;
    const workerBusy = (counts.elu - workerElu0) / ms;
    console.log(`status updates/s end to end (agent -> master -> scheduler -> ack -> agent): ${((total * 1000) / ms).toFixed(0)} (${total} in ${ms} ms)`);
    console.log(`master CPU for those updates: ${cpu.toFixed(2)} s, i.e. ${(total / Math.max(cpu, 0.01)).toFixed(0)} updates per master CPU-second (clients used ${clientCpu.toFixed(2)} CPU-s; ${os.cpus().length} cores in all)`);
    console.log(`client event loops busy: agents ${(mainBusy * 100).toFixed(0)} %, schedulers ${(workerBusy * 100).toFixed(0)} %`);
    console.log(`retained master heap per running task (in-process, after GC): ${retainedPerTask(TASKS)}`);
    for (const a of agents) a.close();
    await worker.terminate();
  } finally {
    child?.kill('SIGKILL');
    pool.destroy();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
