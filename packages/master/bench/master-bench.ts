// Master benchmark over loopback: a mesos-master child process, 1000 fake agents and 50 schedulers in
// worker threads. Prints offers/s (decline-everything churn), launch throughput, status updates/s end to end
// (agent -> master -> scheduler -> ACKNOWLEDGE -> master -> agent) and the master's RSS per running task.
// Usage: npm run bench [-- --agents=1000 --frameworks=50 --tasks=10000 --updates=2 --window=4 --pipeline=1 --agent-workers=1 --sockets=256 --settle=3]
//                        [--profile=DIR]   (the master's V8 CPU profile, for node tools/cpuprofile-top.mjs DIR)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromWorker, Mode, ToWorker, WorkerInput } from './bench-schedulers.js';
import type { AgentsInput, FromAgents, ToAgents } from './bench-agents.js';

const arg = (name: string, def: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const AGENTS = arg('agents', 1000);
const FRAMEWORKS = arg('frameworks', 50);
const TASKS = arg('tasks', 10_000);
const UPDATES_PER_TASK = arg('updates', 2);
/** Worker threads simulating the agents, keep-alive sockets they share, updates in flight per agent. */
const AGENT_WORKERS = arg('agent-workers', 1);
const SOCKETS = arg('sockets', 256);
const WINDOW = arg('window', 4);
/** 1: agents' updates and schedulers' calls pipelined on raw connections (bench/pipelined-client.ts); 0: wire post(). */
const PIPELINE = arg('pipeline', 1) === 1;
/** Seconds to let the master settle (GC, V8's memory reducer) before reading its RSS with the tasks running. */
const SETTLE = arg('settle', 3);
const PROFILE = process.argv.find((a) => a.startsWith('--profile='))?.slice('--profile='.length);

function startMaster(): Promise<{ child: ChildProcess; url: string }> {
  const bin = join(import.meta.dirname, '../src/bin/mesos-master.ts');
  const profile = PROFILE === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`];
  const child = spawn(process.execPath, [...profile, '--conditions=@mesos-ts/source', '--import', 'tsx', bin, '--port=0', '--registry=in_memory', '--allocation_interval=250ms', '--agent_ping_timeout=1mins'], { stdio: ['ignore', 'ignore', 'pipe'] });
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

/** The master's `registrar/registry_saves` counter: status updates must not write the registry. */
async function registrySaves(url: string): Promise<number> {
  const snapshot = (await (await fetch(`${url}/metrics/snapshot`)).json()) as Record<string, number>;
  return snapshot['registrar/registry_saves'] ?? NaN;
}

async function waitUntil(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts a bench worker thread running `file` (a .ts beside this one) and resolves once it says 'ready'. */
function startWorker<From extends { type: string }>(file: string, data: unknown, onMessage: (msg: From) => void): Promise<{ worker: Worker; ready: From }> {
  // Workers do not inherit tsx's loader hooks on Node 20: register them inside the worker, then load the .ts.
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL(file, import.meta.url).href;
  const boot = `import(${JSON.stringify(api)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: data });
  return new Promise((resolve, reject) => {
    worker.on('message', (msg: From) => {
      if (msg.type === 'ready') resolve({ worker, ready: msg });
      else onMessage(msg);
    });
    worker.on('error', reject);
  });
}

async function main(): Promise<void> {
  // MASTER_URL + MASTER_PID point the benchmark at a master started by hand (e.g. under --cpu-prof).
  const external = process.env['MASTER_URL'];
  const { child, url } = external ? { child: undefined, url: external } : await startMaster();
  const pid = external ? Number(process.env['MASTER_PID']) : (child?.pid as number);
  const baseline = rssKiB(pid);
  const workers: Worker[] = [];
  try {
    console.log(`master pid ${pid} at ${url}; ${AGENTS} agents in ${AGENT_WORKERS} worker(s), ${FRAMEWORKS} frameworks, ${TASKS} tasks; load ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
    // Fake agents and schedulers each run in worker threads: this thread only orchestrates and measures.
    const acked: number[] = new Array<number>(AGENT_WORKERS).fill(0);
    const agentElu: number[] = new Array<number>(AGENT_WORKERS).fill(0);
    let sent = 0;
    let t = Date.now();
    const agentWorkers = await Promise.all(
      Array.from({ length: AGENT_WORKERS }, (_, w) => {
        const first = Math.floor((AGENTS * w) / AGENT_WORKERS);
        const count = Math.floor((AGENTS * (w + 1)) / AGENT_WORKERS) - first;
        const input: AgentsInput = { url, agents: count, first, sockets: Math.ceil(SOCKETS / AGENT_WORKERS), pipeline: PIPELINE };
        return startWorker<FromAgents>('./bench-agents.ts', input, (msg) => {
          if (msg.type === 'counts') {
            acked[w] = msg.acknowledged;
            agentElu[w] = msg.elu;
          } else if (msg.type === 'sent') sent++;
        });
      }),
    );
    workers.push(...agentWorkers.map((a) => a.worker));
    console.log(`registered ${AGENTS} agents in ${Date.now() - t} ms`);
    const acknowledged = (): number => acked.reduce((a, b) => a + b, 0);
    const counts = { offers: 0, running: 0, updates: 0, elu: 0 };
    const schedulers = await startWorker<FromWorker>('./bench-schedulers.ts', { url, frameworks: FRAMEWORKS, tasks: TASKS, pipeline: PIPELINE } satisfies WorkerInput, (msg) => {
      if (msg.type === 'counts') Object.assign(counts, msg);
    });
    workers.push(schedulers.worker);
    const setMode = (mode: Mode): void => schedulers.worker.postMessage({ type: 'mode', mode } satisfies ToWorker);

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
    await waitUntil(() => acknowledged() >= TASKS, 60_000, 'acknowledgements');
    console.log(`launched ${TASKS} tasks to TASK_RUNNING in ${launchMs} ms (${((TASKS * 1000) / launchMs).toFixed(0)} tasks/s)`);
    await new Promise((r) => setTimeout(r, SETTLE * 1000));
    const busyRss = rssKiB(pid);
    console.log(`master RSS: start ${(baseline / 1024).toFixed(1)} MiB, idle with agents ${(idleRss / 1024).toFixed(1)} MiB, with ${TASKS} running tasks ${(busyRss / 1024).toFixed(1)} MiB`);
    console.log(`master memory per running task: ${(((busyRss - idleRss) * 1024) / TASKS / 1024).toFixed(2)} KiB (${(((busyRss - idleRss) / 1024) * (10_000 / TASKS)).toFixed(1)} MiB per 10k tasks)`);

    // 3. Status updates end to end: every task reports UPDATES_PER_TASK more updates; schedulers acknowledge.
    const acked0 = acknowledged();
    const saves0 = await registrySaves(url);
    const total = TASKS * UPDATES_PER_TASK;
    const cpu0 = cpuSeconds(pid);
    const self0 = cpuSeconds(process.pid);
    const agentElu0 = agentElu.reduce((a, b) => a + b, 0);
    const workerElu0 = counts.elu;
    t = Date.now();
    for (const w of agentWorkers) w.worker.postMessage({ type: 'updates', perTask: UPDATES_PER_TASK, window: WINDOW } satisfies ToAgents);
    await waitUntil(() => sent === AGENT_WORKERS && acknowledged() - acked0 >= total, 120_000, 'update acknowledgements');
    const ms = Date.now() - t;
    const cpu = cpuSeconds(pid) - cpu0;
    const clientCpu = cpuSeconds(process.pid) - self0;
    const agentsBusy = (agentElu.reduce((a, b) => a + b, 0) - agentElu0) / ms / AGENT_WORKERS;
    const schedulersBusy = (counts.elu - workerElu0) / ms;
    console.log(`status updates/s end to end (agent -> master -> scheduler -> ack -> agent): ${((total * 1000) / ms).toFixed(0)} (${total} in ${ms} ms, ${WINDOW} in flight per agent, ${PIPELINE ? 'pipelined' : "wire post()"})`);
    console.log(`master CPU for those updates: ${cpu.toFixed(2)} s, i.e. ${(total / Math.max(cpu, 0.01)).toFixed(0)} updates per master CPU-second (clients used ${clientCpu.toFixed(2)} CPU-s; ${os.cpus().length} cores in all)`);
    console.log(`registry saves during the update phase: ${(await registrySaves(url)) - saves0}`);
    console.log(`client event loops busy: agents ${(agentsBusy * 100).toFixed(0)} % (mean of ${AGENT_WORKERS}), schedulers ${(schedulersBusy * 100).toFixed(0)} %`);
    console.log(`retained master heap per running task (in-process, after GC): ${retainedPerTask(TASKS)}`);
    console.log(`load after: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
    if (PROFILE !== undefined && child !== undefined) {
      // A profile is written only by an orderly exit: SIGTERM, then SIGKILL if the master takes too long.
      child.kill('SIGTERM');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    child?.kill('SIGKILL');
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
