// Agent benchmark through the real path: a framework (bench-scheduler.ts, v1 scheduler API over HTTP) ->
// mesos-master (offers, ACCEPT, status update forwarding, acknowledgements) -> one mesos-agent (launch, spawn,
// checkpointed status updates), beside the machine's own spawn ceiling. For each configuration (--command_executor mode, and whether the framework
// checkpoints) it measures (1) trivial command tasks (`true`) launched, finished and acknowledged per second,
// as the median of several runs, with the CPU each process spent per task, and (2) once, the agent's RSS per
// running task with many sleeping tasks. Master, agent and mesos-executor are bundled first (esbuild, as a
// built install runs them), so the figures do not include TypeScript compilation. Every process it starts,
// and every task, is killed before it exits (also when it crashes).
// Each configuration starts after a `sync`: on ext4 without a journal (this machine) allocating an inode skips
// every inode deleted in the last 5 s, or in the last 5 min while its inode table block is not yet written
// back, so the tens of thousands of inodes a previous run (or the last configuration) deleted would slow this
// one down by half.
//   npm run bench -- [--configs=inline,inline+checkpoint,process] [--runs=5] [--tasks=600] [--process-tasks=60]
//                    [--window=64] [--sleepers=500] [--profile=DIR] [--flags=--foo=bar,...]
// --profile=DIR writes V8 CPU profiles of the master and the agent there (node --cpu-prof).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchScheduler } from './bench-scheduler.js';

const args: Record<string, string | undefined> = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, ...v] = a.replace(/^--/, '').split('=');
  return [k, v.join('=')];
}));
interface Config {
  name: string;
  mode: string;
  checkpoint: boolean;
}
/** `<command_executor mode>[+checkpoint]`; the first inline one also measures memory with sleeping tasks. */
const CONFIGS: Config[] = (args.configs ?? 'inline,inline+checkpoint,process').split(',').map((c) => ({ name: c, mode: c.split('+')[0]!, checkpoint: c.endsWith('+checkpoint') }));
const RUNS = Number(args.runs ?? 5);
const TASKS = Number(args.tasks ?? 600);
/** A Node executor process per task costs ~80 ms of CPU: process mode gets fewer tasks and one run. */
const PROCESS_TASKS = Number(args['process-tasks'] ?? 60);
const WINDOW = Number(args.window ?? 64);
const SLEEPERS = Number(args.sleepers ?? 500);
const EXTRA = args.flags ? args.flags.split(',') : [];
const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'agent-bench-'));
const children: ChildProcess[] = [];

async function bundle(): Promise<string> {
  const esbuild = await import('esbuild');
  const outdir = path.join(tmp, 'bin');
  await esbuild.build({
    entryPoints: {
      'mesos-agent': path.join(here, '..', 'src', 'bin', 'mesos-agent.ts'),
      'mesos-executor': path.join(here, '..', 'src', 'bin', 'mesos-executor.ts'),
      // The master is spawned as a program (never imported): the agent package may not depend on it.
      'mesos-master': path.join(here, '..', '..', 'master', 'src', 'bin', 'mesos-master.ts'),
    },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@mesos-ts/source'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'error',
  });
  return outdir;
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0);
}

/** CPU seconds (user + system) the process has used; /proc/<pid>/stat utime and stime are in 1/100 s ticks. */
function cpuSecs(pid: number): { user: number; system: number; total: number; children: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const user = Number(f[11]) / 100;
  const system = Number(f[12]) / 100;
  // cutime + cstime: the reaped children, i.e. the tasks' own processes.
  return { user, system, total: user + system, children: (Number(f[13]) + Number(f[14])) / 100 };
}

function node(bin: string, name: string, argv: string[], env: Record<string, string>): ChildProcess {
  const prof = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`, `--cpu-prof-name=${name}-${children.length}.cpuprofile`] : [];
  const proc = spawn(process.execPath, [...prof, path.join(bin, `${name}.js`), ...argv], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  children.push(proc);
  return proc;
}

/** Starts a master on a free port and resolves with its URL once it serves. */
function startMaster(bin: string): Promise<{ proc: ChildProcess; url: string }> {
  const proc = node(bin, 'mesos-master', ['--ip=127.0.0.1', '--port=0', `--work_dir=${path.join(tmp, 'master')}`, '--registry=file'], {});
  return new Promise((resolve, reject) => {
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const line = err.split('\n').find((l) => l.includes('mesos-master is serving'));
      if (line) {
        err = '';
        resolve({ proc, url: (JSON.parse(line) as { url: string }).url });
      }
    });
    proc.once('exit', (code) => reject(new Error(`master exited ${code}: ${err}`)));
    setTimeout(() => reject(new Error(`master did not start: ${err}`)), 20_000).unref();
  });
}

function startAgent(bin: string, master: string, mode: string, workDir: string): ChildProcess {
  const proc = node(bin, 'mesos-agent', [
    `--master=${new URL(master).host}`, '--ip=127.0.0.1', '--port=0', `--work_dir=${workDir}`, `--launcher_dir=${bin}`,
    '--resources=cpus:1000;mem:1000000', '--gc_delay=1mins', `--command_executor=${mode}`, ...EXTRA,
  ], { MESOS_LOG_LEVEL: 'warn' });
  proc.stderr!.on('data', (c: Buffer) => process.stderr.write(c));
  return proc;
}

async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  // Under --profile the daemons must exit on their own to write their profiles.
  proc.kill(args.profile ? 'SIGINT' : 'SIGKILL');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Pids of the bench's containers: their environment points into the bench's temp dir. */
function benchPids(): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'utf8').includes(`MESOS_DIRECTORY=${tmp}`)) out.push(Number(name));
    } catch {
      // gone, or not ours
    }
  }
  return out;
}

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface ModeResult {
  config: string;
  tasks: number;
  rates: number[];
  /** CPU seconds per task: agent, master. */
  agentCpuMs: number;
  /** Of which in the kernel (fork, file system, fsync). */
  agentSysMs: number;
  masterCpuMs: number;
  benchCpuMs: number;
  /** The tasks' own processes (wrapper shell, command). */
  taskCpuMs: number;
  /** Agent RSS in MiB right after the runs: fork() copies its page tables, so spawning costs more as it grows. */
  agentRssMiB: number;
  rssPerTaskKiB?: number;
  sleepers?: number;
}

/** Runs `work` against a fresh master and agent for `config`, and stops both afterwards. */
async function withCluster<T>(bin: string, config: Config, name: string, work: (c: { master: ChildProcess; agent: ChildProcess; sched: BenchScheduler }) => Promise<T>): Promise<T> {
  execFileSync('sync');
  const { proc: master, url } = await startMaster(bin);
  const agent = startAgent(bin, url, config.mode, path.join(tmp, `work-${name}`));
  const sched = new BenchScheduler(url, WINDOW, config.checkpoint);
  try {
    await sched.subscribe(os.userInfo().username);
    return await work({ master, agent, sched });
  } finally {
    sched.close();
    await stopChild(agent);
    await stopChild(master);
  }
}

/** Throughput: a warm-up batch, then `runs` batches of `tasks` 'true' tasks, timed one by one. */
function benchConfig(bin: string, config: Config): Promise<ModeResult> {
  return withCluster(bin, config, config.name, async ({ master, agent, sched }) => {
    const inline = config.mode === 'inline';
    const tasks = inline ? TASKS : PROCESS_TASKS;
    const runs = inline ? RUNS : 1;
    // Warm-up: JIT, first offers, the framework's checkpoint.
    await sched.run({ prefix: 'warm-', count: Math.min(WINDOW, tasks), command: 'true', until: 'TASK_FINISHED' });
    const rates: number[] = [];
    const cpu0 = { agent: cpuSecs(agent.pid!), master: cpuSecs(master.pid!), bench: process.cpuUsage() };
    for (let r = 0; r < runs; r++) {
      const t0 = process.hrtime.bigint();
      await sched.run({ prefix: `r${r}-`, count: tasks, command: 'true', until: 'TASK_FINISHED' });
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      rates.push(tasks / secs);
    }
    const n = runs * tasks;
    return {
      config: config.name,
      tasks,
      rates,
      agentCpuMs: ((cpuSecs(agent.pid!).total - cpu0.agent.total) * 1000) / n,
      agentSysMs: ((cpuSecs(agent.pid!).system - cpu0.agent.system) * 1000) / n,
      taskCpuMs: ((cpuSecs(agent.pid!).children - cpu0.agent.children) * 1000) / n,
      masterCpuMs: ((cpuSecs(master.pid!).total - cpu0.master.total) * 1000) / n,
      benchCpuMs: (((u) => u.user + u.system)(process.cpuUsage(cpu0.bench)) / 1000) / n,
      agentRssMiB: rssKb(agent.pid!) / 1024,
    };
  });
}

/**
 * Agent RSS per running task, on a fresh agent: after a warm-up batch, before and with `sleepers` sleeping
 * tasks. An upper bound: it includes what launching them grew the heap by.
 */
function benchMemory(bin: string, config: Config, sleepers: number): Promise<number> {
  return withCluster(bin, config, `${config.name}-memory`, async ({ agent, sched }) => {
    await sched.run({ prefix: 'warm-', count: WINDOW, command: 'true', until: 'TASK_FINISHED' });
    await new Promise((r) => setTimeout(r, 1000));
    const before = rssKb(agent.pid!);
    await sched.run({ prefix: 's', count: sleepers, command: 'sleep 600', until: 'TASK_RUNNING' });
    await new Promise((r) => setTimeout(r, 2000));
    const perTask = (rssKb(agent.pid!) - before) / sleepers;
    for (let i = 0; i < sleepers; i++) void sched.kill(`s${i}`, sched.agentId!).catch(() => undefined);
    await waitFor(() => [...sched.states].filter(([id, st]) => id.startsWith('s') && st === 'TASK_KILLED').length >= sleepers, 60_000, 'sleeping tasks to be killed');
    return perTask;
  });
}

/**
 * The machine's own spawn ceiling, measured in the same run: `sh -c true` spawned from this Node process with the
 * bench's window in flight, processes per second (median of `runs`). Issue 22's launch target is 70 % of it.
 */
async function spawnCeiling(count: number, window: number, runs: number): Promise<number> {
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    await new Promise<void>((resolve, reject) => {
      let started = 0;
      let done = 0;
      const next = (): void => {
        while (started < count && started - done < window) {
          started++;
          const child = spawn('sh', ['-c', 'true'], { stdio: 'ignore' });
          child.once('error', reject);
          child.once('exit', () => {
            if (++done === count) resolve();
            else next();
          });
        }
      };
      next();
    });
    rates.push(count / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  return median(rates);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function table(results: ModeResult[]): string {
  const header = ['config', 'runs x tasks', 'median tasks/s', 'min-max tasks/s', 'CPU ms/task: agent', 'master', 'framework', 'task processes', 'agent RSS', 'agent RSS per running task'];
  const rows = results.map((r) => [
    r.config,
    `${r.rates.length} x ${r.tasks}`,
    median(r.rates).toFixed(0),
    `${Math.min(...r.rates).toFixed(0)}-${Math.max(...r.rates).toFixed(0)}`,
    `${r.agentCpuMs.toFixed(2)} (${r.agentSysMs.toFixed(2)} sys)`,
    r.masterCpuMs.toFixed(2),
    r.benchCpuMs.toFixed(2),
    r.taskCpuMs.toFixed(2),
    `${r.agentRssMiB.toFixed(0)} MiB`,
    r.rssPerTaskKiB === undefined ? '-' : `${r.rssPerTaskKiB.toFixed(0)} KiB (${r.sleepers} sleeping tasks)`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function cleanup(): Promise<void> {
  await Promise.all(children.map(stopChild));
  for (const pid of benchPids()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(tmp, { recursive: true, force: true });
}

/** Last resort when the bench dies before its own clean-up (a crash): nothing it started may outlive it. */
function killEverything(): void {
  for (const c of children) c.kill('SIGKILL');
  for (const pid of benchPids()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  execFileSync('sync');
}

async function main(): Promise<void> {
  process.once('exit', killEverything);
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  const started = Date.now();
  const bin = await bundle();
  const results: ModeResult[] = [];
  const ceiling = await spawnCeiling(TASKS, WINDOW, RUNS);
  try {
    const memory = CONFIGS.find((c) => c.mode === 'inline');
    for (const c of CONFIGS) {
      const result = await benchConfig(bin, c);
      if (c === memory && SLEEPERS > 0) Object.assign(result, { rssPerTaskKiB: await benchMemory(bin, c, SLEEPERS), sleepers: SLEEPERS });
      results.push(result);
    }
  } finally {
    await cleanup();
  }
  console.log(`\nagent bench: 'true' tasks launched -> finished -> acknowledged through one mesos-master and one mesos-agent, ` +
    `window ${WINDOW} in flight; ${os.cpus().length} cores, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  console.log(table(results));
  console.log(`spawn ceiling: ${ceiling.toFixed(0)} 'sh -c true'/s from Node, window ${WINDOW} (median of ${RUNS}); ` +
    `issue 22's launch target here: ${Math.min(800, 0.7 * ceiling).toFixed(0)} tasks/s (checkpointing: 400)`);
  console.log(`(took ${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
