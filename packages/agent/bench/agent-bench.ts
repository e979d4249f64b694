// Agent benchmark: (1) trivial command tasks (`true`) launched and acknowledged per second through a master
// (the fake master, over real HTTP) and one real mesos-agent process; (2) the agent's RSS with many sleeping
// tasks. The agent and mesos-executor are bundled first (esbuild, as a built install would run them), so the
// figures do not include TypeScript compilation.
//   npm run bench -- [--tasks=300] [--window=64] [--sleepers=100] [--flags=--foo=bar,...]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { v1 } from '@mesos-ts/proto';
import { FakeMaster } from '../src/testing/fake-master.js';

const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, ...v] = a.replace(/^--/, '').split('=');
  return [k, v.join('=')];
}));
const TASKS = Number(args.tasks ?? 300);
const WINDOW = Number(args.window ?? 64);
const SLEEPERS = Number(args.sleepers ?? 100);
const EXTRA = args.flags ? args.flags.split(',') : [];
const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'agent-bench-'));

async function bundle(): Promise<string> {
  const esbuild = await import('esbuild');
  const outdir = path.join(tmp, 'bin');
  await esbuild.build({
    entryPoints: [path.join(here, '..', 'src', 'bin', 'mesos-agent.ts'), path.join(here, '..', 'src', 'bin', 'mesos-executor.ts')],
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

function agentCpuSecs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0);
}

function startAgent(bin: string, master: string): ChildProcess {
  const prof = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [];
  const proc = spawn(process.execPath, [...prof, path.join(bin, 'mesos-agent.js'), `--master=${master}`, '--ip=127.0.0.1', '--port=0', `--work_dir=${path.join(tmp, 'work')}`, `--launcher_dir=${bin}`, '--resources=cpus:1000;mem:1000000', '--gc_delay=1mins', ...EXTRA], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MESOS_LOG_LEVEL: 'warn' },
  });
  proc.stderr!.on('data', (c: Buffer) => process.stderr.write(c));
  return proc;
}

/** Pids of the bench's containers: their environment points into the bench's work_dir. */
function benchPids(): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, 'utf8').includes(`MESOS_DIRECTORY=${tmp}`)) out.push(Number(name));
    } catch {
      // gone
    }
  }
  return out;
}

function task(id: string, cmd: string): v1.TaskInfo {
  return { name: id, task_id: { value: id }, agent_id: { value: 'x' }, command: { value: cmd }, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.01 } }] };
}

async function main(): Promise<void> {
  const bin = await bundle();
  const master = new FakeMaster({ autoAck: true });
  await master.start();
  const proc = startAgent(bin, master.address);
  try {
    await master.waitForCall((c) => c.type === 'REGISTER', 20_000);
    const fw: v1.FrameworkInfo = { id: { value: 'bench' }, name: 'bench', user: os.userInfo().username };
    const baseline = rssKb(proc.pid!);

    // (1) throughput: keep WINDOW tasks in flight until TASKS have finished and been acknowledged.
    let launched = 0;
    let finished = 0;
    let running = 0;
    let killed = 0;
    master.onCall((c) => {
      const st = c.status_update?.status;
      if (st?.state === 'TASK_FINISHED') finished++;
      else if (st?.state === 'TASK_RUNNING' && st.task_id.value.startsWith('s')) running++;
      else if (st?.state === 'TASK_KILLED') killed++;
    });
    const started = Date.now();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${finished}/${TASKS} tasks finished in 300 s`)), 300_000);
      const launchMore = (): void => {
        while (launched < TASKS && launched - finished < WINDOW) {
          master.send({ type: 'RUN_TASK', run_task: { framework_info: fw, task: task(`t${launched++}`, 'true') } });
        }
      };
      const poll = setInterval(() => {
        if (finished >= TASKS) {
          clearInterval(poll);
          clearTimeout(timer);
          resolve();
        } else launchMore();
      }, 5);
      launchMore();
    });
    const secs = (Date.now() - started) / 1000;
    const agentCpu = agentCpuSecs(proc.pid!);
    const benchCpu = process.cpuUsage();
    console.log(`cpu: agent ${agentCpu.toFixed(2)} s, bench+fake master ${((benchCpu.user + benchCpu.system) / 1e6).toFixed(2)} s (whole run so far)`);
    console.log(`throughput: ${TASKS} 'true' tasks launched, finished and acknowledged in ${secs.toFixed(2)} s = ${(TASKS / secs).toFixed(1)} tasks/s (window ${WINDOW})`);

    // (2) memory: SLEEPERS sleeping tasks.
    const before = rssKb(proc.pid!);
    for (let i = 0; i < SLEEPERS; i++) master.send({ type: 'RUN_TASK', run_task: { framework_info: fw, task: task(`s${i}`, 'sleep 600') } });
    const end = Date.now() + 300_000;
    while (running < SLEEPERS) {
      if (Date.now() > end) throw new Error(`only ${running}/${SLEEPERS} tasks running after 300 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 2000));
    const after = rssKb(proc.pid!);
    const containers = benchPids();
    const containerKb = containers.reduce((sum, pid) => {
      try {
        return sum + rssKb(pid);
      } catch {
        return sum;
      }
    }, 0);
    console.log(`containers: ${containers.length} processes, ${(containerKb / 1024).toFixed(1)} MiB RSS in total = ${(containerKb / 1024 / SLEEPERS).toFixed(2)} MiB per sleeping task (executor + task)`);
    console.log(`memory: agent RSS ${(baseline / 1024).toFixed(1)} MiB at start, ${(before / 1024).toFixed(1)} MiB after the throughput run, ${(after / 1024).toFixed(1)} MiB with ${SLEEPERS} sleeping tasks = ${((after - before) / SLEEPERS).toFixed(0)} KiB per running task`);
    for (let i = 0; i < SLEEPERS; i++) master.send({ type: 'KILL_TASK', kill_task: { framework_id: fw.id!, task_id: { value: `s${i}` } } });
    const killEnd = Date.now() + 60_000;
    while (killed < SLEEPERS && Date.now() < killEnd) await new Promise((r) => setTimeout(r, 200));
  } finally {
    proc.kill(args.profile ? 'SIGINT' : 'SIGKILL');
    if (args.profile) await new Promise((r) => proc.once('exit', r));
    await master.stop();
    for (const pid of benchPids()) process.kill(pid, 'SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
