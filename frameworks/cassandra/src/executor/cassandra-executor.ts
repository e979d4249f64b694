// The custom executor that runs one Cassandra node: on LAUNCH it finds the distribution (fetched into the
// sandbox, or an absolute path), writes the node's conf directory and the data directories on its persistent
// volume (node-files.ts from the pure nodeLaunch()), starts the distribution's `bin/cassandra -f` in its own
// process group, and reports TASK_RUNNING only once the node answers CQL. Then it reports health (mode, load,
// pid) to the scheduler every health interval. KILL drains the node with nodetool, then SIGTERM, then SIGKILL
// when the kill grace period runs out. A Cassandra process that dies on its own fails the task; the scheduler
// restarts the node on the same agent and volume. Framework messages ask for a cluster-job step (nodetool).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ExecutorClient, Logger } from '@mesos-ts/executor';
import type { v1 } from '@mesos-ts/proto';
import { nodeLaunch } from '../domain/node-launch.js';
import { encodeMessage, parseJobRequest, type HealthReport, type NodeTaskData } from '../domain/task-data.js';
import type { ProbeResult } from './cql-probe.js';
import { prepareNode } from './node-files.js';
import { JOB_NODETOOL_ARGS } from './nodetool.js';

export interface CassandraExecutorOptions {
  sandbox: string;
  probe: (address: string, port: number, dc: string) => Promise<ProbeResult>;
  nodetool: (distDir: string, jmxPort: number, args: readonly string[], timeoutMs?: number) => Promise<{ ok: boolean; output: string }>;
  logger: Logger;
  /** How often to probe while the node starts, ms. Default 2000. */
  probeIntervalMs?: number;
}

interface Running {
  taskId: v1.TaskID;
  data: NodeTaskData;
  distDir: string;
  volumeDir: string;
  process: ChildProcess;
  killed: boolean;
  exited: Promise<number | null>;
  hasExited: boolean;
}

export class CassandraExecutor {
  private running: Running | undefined;
  /** Resolves once the task reached a terminal state (the executor may then exit). */
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private killGraceMs = 60_000;

  constructor(
    private readonly client: ExecutorClient,
    private readonly o: CassandraExecutorOptions,
  ) {
    this.done = new Promise((r) => (this.resolveDone = r));
    client.on('launch', (task) => this.launch(task));
    client.on('kill', ({ task_id }) => this.kill(task_id));
    // On shutdown the agent allows only its short grace period: stop at once, without a drain.
    client.on('shutdown', () => (this.running === undefined ? undefined : this.kill(this.running.taskId, false)));
    client.on('message', (data) => void this.onMessage(data));
  }

  private async launch(task: v1.TaskInfo): Promise<void> {
    const taskId = task.task_id;
    if (this.running !== undefined) {
      await this.client.update({ task_id: taskId, state: 'TASK_FAILED', message: 'this executor already runs a Cassandra node' });
      return;
    }
    const grace = task.kill_policy?.grace_period?.nanoseconds;
    if (grace !== undefined) this.killGraceMs = Number(grace / 1_000_000n);
    let data: NodeTaskData;
    let distDir: string;
    let volumeDir: string;
    let spec: ReturnType<typeof prepareNode>;
    try {
      data = JSON.parse(new TextDecoder().decode(task.data ?? new Uint8Array())) as NodeTaskData;
      distDir = await findDistribution(this.o.sandbox, data.distribution);
      volumeDir = path.resolve(this.o.sandbox, data.launch.volumeDir);
      const launch = nodeLaunch({ ...data.launch, volumeDir });
      spec = prepareNode(launch, { distDir, confDir: path.join(this.o.sandbox, 'conf'), volumeDir, logDir: path.join(this.o.sandbox, 'logs') });
    } catch (e) {
      await this.fail(taskId, `cannot start the Cassandra node: ${(e as Error).message}`);
      return;
    }
    await this.client.update({ task_id: taskId, state: 'TASK_STARTING', message: `starting ${data.launch.node.name} at ${data.launch.address}` });
    const child = spawn(spec.command, spec.args, { cwd: this.o.sandbox, env: { ...process.env, ...spec.env }, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code, signal) => resolve(code ?? (signal === null ? null : -1)));
      child.once('error', () => resolve(-1));
    });
    const running: Running = { taskId, data, distDir, volumeDir, process: child, killed: false, exited, hasExited: false };
    this.running = running;
    this.o.logger.info({ node: data.launch.node.name, pid: child.pid, address: data.launch.address, ports: data.launch.ports, replacing: data.launch.node.replacementForIp }, 'cassandra started');
    void exited.then((code) => {
      running.hasExited = true;
      return this.exited(running, code);
    });
    void this.awaitReady(running);
  }

  private report(r: Running, probe: ProbeResult, loadBytes: number): HealthReport {
    return { type: 'health', node: r.data.launch.node.name, mode: probe.mode, healthy: probe.answers, loadBytes, ...(r.process.pid === undefined ? {} : { pid: r.process.pid }) };
  }

  private async probe(r: Running): Promise<ProbeResult> {
    const { address, ports, config } = r.data.launch;
    return this.o.probe(address, ports.native, config.defaultDc).catch(() => ({ answers: false, mode: 'DOWN' as const }));
  }

  private async awaitReady(r: Running): Promise<void> {
    while (!r.hasExited && !r.killed) {
      const probe = await this.probe(r);
      if (probe.answers) {
        if (r.hasExited || r.killed) return;
        const report = this.report(r, probe, await dirSize(path.join(r.volumeDir, 'data')));
        await this.client.update({ task_id: r.taskId, state: 'TASK_RUNNING', message: `${report.node} answers CQL at ${r.data.launch.address}:${r.data.launch.ports.native}`, data: encodeMessage(report) });
        void this.reportHealth(r);
        return;
      }
      await sleep(this.o.probeIntervalMs ?? 2_000);
    }
  }

  /** Sends a health report every health interval until the node exits. */
  private async reportHealth(r: Running): Promise<void> {
    const interval = Math.max(1, r.data.healthIntervalSeconds) * 1000;
    for (;;) {
      await Promise.race([r.exited, sleep(interval)]);
      if (r.hasExited || r.killed) return;
      const probe = await this.probe(r);
      if (r.hasExited || r.killed) return;
      const report = this.report(r, probe, await dirSize(path.join(r.volumeDir, 'data')));
      await this.client.message(encodeMessage(report)).catch((e: unknown) => this.o.logger.warn({ err: e }, 'health report not delivered; the next one follows'));
    }
  }

  private async exited(r: Running, code: number | null): Promise<void> {
    this.o.logger.info({ node: r.data.launch.node.name, code, killed: r.killed }, 'cassandra exited');
    if (r.killed) {
      await this.client.update({ task_id: r.taskId, state: 'TASK_KILLED', message: `${r.data.launch.node.name} drained and stopped (exit ${code})` });
      this.resolveDone();
    } else {
      await this.fail(r.taskId, `bin/cassandra of ${r.data.launch.node.name} exited with ${code}; see the sandbox's logs/system.log and stderr`);
    }
  }

  private async fail(taskId: v1.TaskID, message: string): Promise<void> {
    this.o.logger.error({ task: taskId.value }, message);
    await this.client.update({ task_id: taskId, state: 'TASK_FAILED', message });
    this.resolveDone();
  }

  /** Drain (flushes memtables, stops accepting writes), then SIGTERM, then SIGKILL at the end of the grace period. */
  private async kill(taskId: v1.TaskID, drainFirst = true): Promise<void> {
    const r = this.running;
    if (r === undefined || r.taskId.value !== taskId.value) {
      await this.client.update({ task_id: taskId, state: 'TASK_KILLED', message: 'no Cassandra node was running' });
      this.resolveDone();
      return;
    }
    if (r.killed) return;
    r.killed = true;
    const deadline = Date.now() + this.killGraceMs;
    await this.client.update({ task_id: taskId, state: 'TASK_KILLING', message: 'draining' });
    const hardKill = setTimeout(() => signal(r.process, 'SIGKILL'), this.killGraceMs);
    if (!r.hasExited && drainFirst) {
      const drain = await this.o.nodetool(r.distDir, r.data.launch.ports.jmx, JOB_NODETOOL_ARGS['rolling-restart'], Math.max(1_000, Math.floor(this.killGraceMs * 0.6)));
      this.o.logger.info({ node: r.data.launch.node.name, drained: drain.ok, ms: this.killGraceMs - (deadline - Date.now()) }, drain.ok ? 'node drained' : `drain failed: ${drain.output.slice(-300)}`);
    }
    if (!r.hasExited) signal(r.process, 'SIGTERM');
    await r.exited;
    clearTimeout(hardKill);
  }

  private async onMessage(data: Uint8Array): Promise<void> {
    const request = parseJobRequest(data);
    const r = this.running;
    if (request === undefined || r === undefined) return;
    this.o.logger.info({ job: request.job, node: r.data.launch.node.name }, 'running cluster job step');
    const result = await this.o.nodetool(r.distDir, r.data.launch.ports.jmx, JOB_NODETOOL_ARGS[request.job]);
    await this.client.message(encodeMessage({ type: 'job-result', jobId: request.jobId, node: r.data.launch.node.name, ok: result.ok, output: result.output.slice(-4000) }));
  }
}

/** The distribution: an absolute directory as is, else a directory with bin/cassandra in the sandbox (the fetcher extracted it). */
export async function findDistribution(sandbox: string, distribution: string): Promise<string> {
  const start = path.join('bin', 'cassandra');
  if (path.isAbsolute(distribution) && existsSync(path.join(distribution, start))) return distribution;
  const named = path.join(sandbox, distribution);
  if (distribution !== '' && existsSync(path.join(named, start))) return named;
  for (const entry of (await readdir(sandbox, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory() && existsSync(path.join(sandbox, entry.name, start))) return path.join(sandbox, entry.name);
  }
  throw new Error(`no Cassandra distribution (a directory with ${start}) at '${distribution}' or in the sandbox ${sandbox}; check CASSANDRA_DIST of the scheduler`);
}

/** Bytes under `dir` (the node's data directory: what nodetool calls Load, near enough). */
async function dirSize(dir: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += await dirSize(p);
    else if (e.isFile()) total += await stat(p).then((s) => s.size, () => 0);
  }
  return total;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Signals the node's process group (bin/cassandra execs java in it). */
function signal(child: ChildProcess, sig: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, sig);
  } catch {
    child.kill(sig);
  }
}
