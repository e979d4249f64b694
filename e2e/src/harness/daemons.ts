// Real mesos-master and mesos-agent processes (their TypeScript bins run through tsx) on 127.0.0.1 with
// temporary work_dirs, for multi-process scenarios: kill -9 and restart on the same port / work_dir, and a
// cleanup that kills the daemons and every task process started under the cluster's directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestScheduler } from '@mesos-ts/master/testing';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { freePort } from './ports.js';

export { freePort };

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const tsxLoader = path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs');

export interface Daemon {
  readonly proc: ChildProcess;
  /** host:port the daemon listens on. */
  readonly address: string;
  /** Everything the daemon logged to stderr so far (pino JSON lines). */
  log(): string;
  kill9(): Promise<void>;
}

/** Spawns a bin and resolves once `readyLine` matched its stderr (capturing the address) and /health answers. */
async function spawnDaemon(pkg: string, bin: string, flags: string[], readyLine: RegExp, timeoutMs: number): Promise<Daemon> {
  const proc = spawn(process.execPath, ['--conditions=@mesos-ts/source', '--import', tsxLoader, path.join(repo, 'packages', pkg, 'src', 'bin', `${bin}.ts`), ...flags], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const daemon: Daemon = {
    proc,
    address: '',
    log: () => err,
    async kill9() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
  try {
    const address = await new Promise<string>((resolve, reject) => {
      const finish = (fn: () => void): void => {
        clearInterval(poll);
        clearTimeout(limit);
        fn();
      };
      const poll = setInterval(() => {
        const m = readyLine.exec(err);
        if (m) finish(() => resolve(m[1]!));
        else if (proc.exitCode !== null || proc.signalCode !== null) finish(() => reject(new Error(`${bin} exited (${proc.exitCode ?? proc.signalCode}) before it was ready:\n${err}`)));
      }, 20);
      const limit = setTimeout(() => finish(() => reject(new Error(`${bin} was not ready within ${timeoutMs} ms:\n${err}`))), timeoutMs);
    });
    await waitUntil(async () => (await fetch(`http://${address}/health`).catch(() => undefined))?.status === 200, timeoutMs, `${bin} /health to answer 200`);
    return Object.assign(daemon, { address });
  } catch (e) {
    await daemon.kill9();
    throw e;
  }
}

/** Polls `probe` every 25 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function waitUntil(probe: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** One master and its agents under a single temporary directory. */
export class Cluster {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'mesos-e2e-'));
  readonly masterDir = path.join(this.dir, 'master');
  master: Daemon | undefined;
  readonly agents: Daemon[] = [];

  /** Starts (or restarts, when `port` is given) the master with the file registry under masterDir. */
  async startMaster(port = 0): Promise<Daemon> {
    this.master = await spawnDaemon('master', 'mesos-master', [`--port=${port}`, '--ip=127.0.0.1', `--work_dir=${this.masterDir}`, '--registry=file', '--allocation_interval=50ms'], /"url":"http:\/\/([^"]+)".*"msg":"mesos-master is serving"/, 20_000);
    return this.master;
  }

  /** The master's URL (http://host:port). */
  get masterUrl(): string {
    if (!this.master) throw new Error('the master is not started');
    return `http://${this.master.address}`;
  }

  /** Starts an agent whose work_dir is <dir>/<name> (the same name after a kill -9 recovers that agent). */
  async startAgent(name = 'agent-1', extra: string[] = []): Promise<Daemon> {
    if (!this.master) throw new Error('start the master before agents');
    const agent = await spawnDaemon(
      'agent',
      'mesos-agent',
      [
        `--master=${this.master.address}`,
        '--ip=127.0.0.1',
        '--port=0',
        `--work_dir=${this.agentDir(name)}`,
        `--hostname=${name}`,
        '--resources=cpus:2;mem:1024;disk:1024',
        '--registration_backoff_factor=50ms',
        '--switch_user=false',
        `--fetcher_cache_dir=${path.join(this.dir, 'fetch-cache')}`,
        ...extra,
      ],
      /"address":"([^"]+)".*"msg":"agent started"/,
      20_000,
    );
    this.agents.push(agent);
    return agent;
  }

  agentDir(name: string): string {
    return path.join(this.dir, name);
  }

  /** Pids of task processes (and executors) whose sandbox lies under this cluster's directory, optionally only those whose command line includes `cmdline`. */
  taskPids(cmdline?: string): number[] {
    const out: number[] = [];
    for (const name of safeReaddir('/proc')) {
      const pid = Number(name);
      if (!Number.isInteger(pid) || pid === process.pid) continue;
      try {
        if (!readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`MESOS_SANDBOX=${this.dir}/`)) continue;
        if (cmdline === undefined || readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(cmdline)) out.push(pid);
      } catch {
        // exited meanwhile, or not ours to read
      }
    }
    return out;
  }

  /** Kills the daemons, then every task process, then removes the directory. */
  async stop(): Promise<void> {
    for (const a of this.agents.splice(0)) await a.kill9();
    await this.master?.kill9();
    for (const pid of this.taskPids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** A command task of `resources` (e.g. 'cpus:0.1;mem:32') on the offer's agent. */
export function commandTask(id: string, offer: v1.Offer, command: string, resources = 'cpus:0.1;mem:32', extra: Partial<v1.TaskInfo> = {}): v1.TaskInfo {
  return { name: id, task_id: { value: id }, agent_id: offer.agent_id, command: { value: command }, resources: Resources.parse(resources).toProto(), ...extra };
}

/** Accepts `offer` with LAUNCH of `tasks`; throws with the master's answer unless it is 202. */
export async function launch(s: TestScheduler, offer: v1.Offer, tasks: v1.TaskInfo[]): Promise<void> {
  const r = await s.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: tasks } }], filters: { refuse_seconds: 0 } } });
  if (r.status !== 202) throw new Error(`ACCEPT answered ${r.status}: ${r.message}`);
}

/** Acknowledges an update that carries a uuid (checkpointed frameworks must, or the agent resends it). */
export async function acknowledge(s: TestScheduler, status: v1.TaskStatus): Promise<void> {
  if (!status.uuid || status.uuid.length === 0 || !status.agent_id) return;
  const r = await s.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid } });
  if (r.status !== 202) throw new Error(`ACKNOWLEDGE answered ${r.status}: ${r.message}`);
}

/**
 * Acknowledges every UPDATE `s` receives (polled every 20 ms), as a checkpointing framework must: the agent
 * sends a task's next update only once the previous one is acknowledged. Each event is acknowledged once, but
 * a retried update (same uuid, a new event: the first acknowledgement was lost) is acknowledged again.
 * Returns a stop function and how many acknowledgements were accepted.
 */
export function autoAcknowledge(s: TestScheduler): { stop(): void; count(): number } {
  const done = new WeakSet<object>();
  let count = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void (async () => {
      for (const e of [...s.events]) {
        const st = e.type === 'UPDATE' ? e.update?.status : undefined;
        if (!st?.uuid || st.uuid.length === 0 || done.has(e)) continue;
        try {
          await acknowledge(s, st);
          done.add(e);
          count += 1;
        } catch {
          // master down or stream changing: retried on the next tick
        }
      }
    })().finally(() => {
      busy = false;
    });
  }, 20);
  return { stop: () => clearInterval(timer), count: () => count };
}

/** A real master and agent, and one subscribed framework that acknowledges every update: where agent specs start. */
export interface SubscribedCluster {
  cluster: Cluster;
  s: TestScheduler;
  /** Stops acknowledging, closes the framework's stream, then stops the daemons and their tasks. */
  stop(): Promise<void>;
}

/** Starts a master and one agent and subscribes a checkpointing framework with `info` (e.g. its name and role). */
export async function startSubscribedCluster(info: Partial<v1.FrameworkInfo>): Promise<SubscribedCluster> {
  const cluster = new Cluster();
  try {
    await cluster.startMaster();
    await cluster.startAgent();
    const s = new TestScheduler(cluster.masterUrl);
    const sub = await s.subscribe({ checkpoint: true, ...info });
    if (sub.type !== 'SUBSCRIBED') {
      s.close();
      throw new Error(`the framework did not subscribe: ${JSON.stringify(sub)}`);
    }
    const acks = autoAcknowledge(s);
    return {
      cluster,
      s,
      stop: async () => {
        acks.stop();
        s.close();
        await cluster.stop();
      },
    };
  } catch (e) {
    await cluster.stop();
    throw e;
  }
}

/** The sandbox of a command task (its executor id is the task id) under an agent's work_dir. */
export function sandboxOf(agentWorkDir: string, agentId: string, frameworkId: string, taskId: string): string {
  return path.join(agentWorkDir, 'slaves', agentId, 'frameworks', frameworkId, 'executors', taskId, 'runs', 'latest');
}

/** A port free on 127.0.0.1 right now (listen(0), then closed), for a task's own server. */

const TERMINAL = new Set<v1.TaskState>(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE']);

/** Waits for a terminal update of `taskId` (any terminal state, so a wrong one fails with its message). */
export async function terminal(s: TestScheduler, taskId: string, timeoutMs = 10_000, from = 0): Promise<v1.TaskStatus> {
  const e = await s.waitFor((x) => x.type === 'UPDATE' && x.update?.status.task_id.value === taskId && TERMINAL.has(x.update.status.state), timeoutMs, from);
  return e.update!.status;
}
