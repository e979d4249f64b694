// The pieces of the kafka-mesos used-by scenario that talk to processes: mesos-local with two agents, the built
// `kafka-mesos scheduler` process, `kafka-mesos` CLI processes, and /proc look-ups for the processes and
// sandboxes under mesos-local's work_dir. Shared by the stand-in run and the opt-in real-Kafka run.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mountPoints } from '@mesos-ts/agent/testing';
import { startLocal, until } from './cli-harness.js';
import { freePort } from './harness/ports.js';

const BIN = fileURLToPath(new URL('../../frameworks/kafka/dist/bin/kafka-mesos.js', import.meta.url));

export interface Run {
  code: number | null;
  out: string;
  err: string;
}

export interface BrokerJson {
  id: string;
  state?: string;
  task?: { id: string; slaveId: string; endpoint: string; state: string };
}

/** One `kafka-mesos …` CLI process (built bin), bounded by 150 s (above the longest `--timeout` a scenario gives). */
export function km(api: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, KM_API: api }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

/** The block of broker `id` in a CLI answer (from `  id: N` to the next block). */
export function block(out: string, id: number): string {
  const found = out.split(/\n(?=  id: \d+\n)/).find((b) => b.includes(`  id: ${id}\n`));
  if (found === undefined) throw new Error(`no block for broker ${id} in:\n${out}`);
  return found.replace(/^brokers? \w+:\n/, '').replace(/^brokers?:\n/, '');
}

/** Pids of processes started under `dir` (their sandbox is there) whose command line includes `cmdline`. */
export function pidsUnder(dir: string, cmdline = ''): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${name}/environ`, 'utf8').includes(`MESOS_SANDBOX=${dir}/`)) continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(cmdline)) out.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Whether process `pid` belongs to executor `executorId` (the agent puts MESOS_EXECUTOR_ID in its environment). */
export function ofExecutor(pid: number, executorId: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`MESOS_EXECUTOR_ID=${executorId}\0`);
  } catch {
    return false;
  }
}

/** The sandbox of an executor (its id is the task id) under mesos-local's work_dir. */
export function sandboxOf(workDir: string, executorId: string): string {
  for (const agent of readdirSync(workDir).filter((d) => d.startsWith('agent-'))) {
    const slaves = path.join(workDir, agent, 'slaves');
    if (!existsSync(slaves)) continue;
    for (const slave of readdirSync(slaves)) {
      const frameworks = path.join(slaves, slave, 'frameworks');
      for (const fw of existsSync(frameworks) ? readdirSync(frameworks) : []) {
        const run = path.join(frameworks, fw, 'executors', executorId, 'runs', 'latest');
        if (existsSync(run)) return realpathSync(run);
      }
    }
  }
  throw new Error(`no sandbox for executor ${executorId} under ${workDir}`);
}

export interface SetupOptions {
  /** The Kafka distribution the scheduler serves (`--kafka-dist`: a directory or a .tgz). */
  dist: string;
  /** Mode flags: `--zk=…` for ZooKeeper mode, none for KRaft. */
  mode: string[];
  /** Each agent's `--resources`: the scenario wants room for two brokers per agent. */
  agentResources: string;
  /** Environment mesos-local gets on top of this process' (agents, executors and brokers inherit it). */
  agentEnv: Record<string, string>;
}

export interface Setup {
  dir: string;
  workDir: string;
  api: string;
  startScheduler(): Promise<ChildProcess>;
  brokers(): Promise<BrokerJson[]>;
}

/**
 * mesos-local with two agents and the built scheduler's flags, everything under a temp dir; `cleanups` (run
 * in reverse after the test) kill what runs under it and unmount the volumes the agents bind-mounted.
 */
export async function setup(o: SetupOptions, cleanups: Array<() => unknown>): Promise<Setup> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kafka-used-by-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const workDir = path.join(dir, 'mesos');
  // Whatever happens, no broker or executor outlives the test, and no volume stays bind-mounted in a sandbox.
  cleanups.push(() => {
    for (const mount of mountPoints(workDir)) spawnSync('umount', ['-l', mount]);
  });
  cleanups.push(() => pidsUnder(workDir).forEach((pid) => process.kill(pid, 'SIGKILL')));
  // startLocal spawns with this process' environment: set agentEnv for that spawn only.
  const saved = Object.keys(o.agentEnv).map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, o.agentEnv);
  // The scenario's expected output names one host (127.0.0.1): the old single-address mode.
  const starting = startLocal(workDir, ['--allocation_interval=100ms', `--resources=${o.agentResources}`, '--single_address']);
  for (const [k, v] of saved) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const cluster = await starting;
  cleanups.push(() => cluster.stop('SIGINT'));

  const api = `http://127.0.0.1:${await freePort()}`;
  const flags = [`--master=${cluster.master}`, `--api=${api}`, '--bind-address=127.0.0.1', ...o.mode, `--kafka-dist=${o.dist}`, `--storage=file:${path.join(dir, 'kafka-mesos.json')}`, '--framework-role=kafka', '--principal=kafka'];
  const schedulers: ChildProcess[] = [];
  cleanups.push(() => schedulers.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL')));
  return {
    dir,
    workDir,
    api,
    async startScheduler() {
      const child = spawn(process.execPath, [BIN, 'scheduler', ...flags], { cwd: dir, stdio: 'ignore' });
      schedulers.push(child);
      await until(async () => (await fetch(`${api}/health`)).ok, 'the scheduler API');
      return child;
    },
    brokers: async () => ((await (await fetch(`${api}/api/broker/list`)).json()) as { brokers: BrokerJson[] }).brokers,
  };
}
