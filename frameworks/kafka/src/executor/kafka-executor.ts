// The custom executor that runs one Kafka broker: on LAUNCH it finds the distribution, writes
// server.properties from the task data (log.dirs on the persistent volume), formats the storage once per
// volume in KRaft mode, starts `bin/kafka-server-start.sh server.properties` with KAFKA_HEAP_OPTS from
// --heap, and reports TASK_RUNNING only once the broker answers a Kafka metadata request. KILL/SHUTDOWN send
// SIGTERM (Kafka's clean shutdown) then SIGKILL after the grace period. Framework messages ask for log tails.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExecutorClient, Logger } from '@mesos-ts/executor';
import type { v1 } from '@mesos-ts/proto';
import { formatProperties, type BrokerLaunch } from '../domain/broker-launch.js';
import type { BrokerMetrics, MetricsMessage } from '../domain/broker-metrics.js';
import type { LogReply, LogRequest } from '../scheduler/log-requests.js';
import { findDistribution, logPath, tailFile } from './sandbox-files.js';

export interface KafkaExecutorOptions {
  sandbox: string;
  /** Does the broker answer Kafka requests at host:port? (kafkajs metadata in production.) */
  probe: (endpoint: string) => Promise<boolean>;
  probeIntervalMs?: number;
  /** SIGTERM -> SIGKILL, ms. Default 30000 (Kafka's controlled shutdown can take a while). */
  killGraceMs?: number;
  logger: Logger;
  /** Extra environment for the broker process. */
  env?: Record<string, string>;
  /** Collects the broker's metrics (kafkajs metadata in production); none = no metrics reported. */
  metrics?: (endpoint: string, brokerId: number) => Promise<BrokerMetrics>;
  /** How often metrics go to the scheduler after the first report at TASK_RUNNING, ms. Default 30000 (kafka-mesos'). */
  metricsIntervalMs?: number;
}

interface Running {
  taskId: v1.TaskID;
  process: ChildProcess;
  launch: BrokerLaunch;
  distDir: string;
  killed: boolean;
  exited: Promise<number | null>;
}

export class KafkaExecutor {
  private running: Running | undefined;
  /** Resolves once the task reached a terminal state (the executor may then exit). */
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    private readonly client: ExecutorClient,
    private readonly o: KafkaExecutorOptions,
  ) {
    this.done = new Promise((r) => (this.resolveDone = r));
    client.on('launch', (task) => this.launch(task));
    client.on('kill', ({ task_id }) => this.kill(task_id));
    client.on('shutdown', () => (this.running === undefined ? undefined : this.kill(this.running.taskId)));
    client.on('message', (data) => this.onMessage(data));
  }

  private async launch(task: v1.TaskInfo): Promise<void> {
    const taskId = task.task_id;
    if (this.running !== undefined) {
      await this.client.update({ task_id: taskId, state: 'TASK_FAILED', message: 'this executor already runs a broker' });
      return;
    }
    let launch: BrokerLaunch;
    let distDir: string;
    try {
      launch = JSON.parse(new TextDecoder().decode(task.data ?? new Uint8Array())) as BrokerLaunch;
      distDir = await findDistribution(this.o.sandbox, launch.distribution);
      await this.prepare(launch, distDir);
    } catch (e) {
      await this.fail(taskId, `cannot start the broker: ${(e as Error).message}`);
      return;
    }
    await this.client.update({ task_id: taskId, state: 'TASK_STARTING' });
    const child = spawn(path.join(distDir, 'bin', 'kafka-server-start.sh'), [path.join(this.o.sandbox, 'server.properties')], {
      cwd: distDir,
      env: { ...process.env, ...this.o.env, ...this.environment(launch, distDir) },
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code, signal) => resolve(code ?? (signal === null ? null : -1)));
      child.once('error', () => resolve(-1));
    });
    const running: Running = { taskId, process: child, launch, distDir, killed: false, exited };
    this.running = running;
    void exited.then((code) => this.exited(running, code));
    void this.awaitReady(running);
  }

  /** server.properties (absolute log.dirs), KRaft storage format once per volume, log4j overrides. */
  private async prepare(launch: BrokerLaunch, distDir: string): Promise<void> {
    const props = { ...launch.properties };
    props['log.dirs'] = (props['log.dirs'] ?? 'kafka-logs')
      .split(',')
      .map((d) => (path.isAbsolute(d) ? d : path.join(this.o.sandbox, d)))
      .join(',');
    for (const dir of props['log.dirs'].split(',')) await mkdir(dir, { recursive: true });
    const file = path.join(this.o.sandbox, 'server.properties');
    await writeFile(file, formatProperties(props));
    if (Object.keys(launch.log4jOptions).length > 0) {
      const log4j = path.join(this.o.sandbox, 'log4j.properties');
      const shipped = path.join(distDir, 'config', 'log4j.properties');
      if (existsSync(shipped)) await copyFile(shipped, log4j);
      await appendFile(log4j, formatProperties(launch.log4jOptions));
    }
    const firstDir = props['log.dirs'].split(',')[0]!;
    if (launch.clusterId !== undefined && !existsSync(path.join(firstDir, 'meta.properties'))) {
      const code = await new Promise<number | null>((resolve) => {
        const format = spawn(path.join(distDir, 'bin', 'kafka-storage.sh'), ['format', '-t', launch.clusterId!, '-c', file, '--ignore-formatted'], { cwd: distDir, stdio: ['ignore', 'inherit', 'inherit'] });
        format.once('exit', resolve);
        format.once('error', () => resolve(-1));
      });
      if (code !== 0) throw new Error(`bin/kafka-storage.sh format exited with ${code}; see stderr`);
    }
  }

  private environment(launch: BrokerLaunch, distDir: string): Record<string, string> {
    const env: Record<string, string> = { KAFKA_HEAP_OPTS: `-Xmx${launch.heap}M -Xms${launch.heap}M`, LOG_DIR: path.join(distDir, 'logs') };
    if (launch.jvmOptions !== undefined) env.KAFKA_OPTS = launch.jvmOptions;
    if (Object.keys(launch.log4jOptions).length > 0) env.KAFKA_LOG4J_OPTS = `-Dlog4j.configuration=file:${path.join(this.o.sandbox, 'log4j.properties')}`;
    const jre = process.env.KAFKA_MESOS_JRE;
    if (jre !== undefined && existsSync(path.join(this.o.sandbox, jre))) env.JAVA_HOME = path.join(this.o.sandbox, jre);
    return env;
  }

  private async awaitReady(r: Running): Promise<void> {
    const endpoint = `${r.launch.hostname}:${r.launch.port}`;
    let exited = false;
    void r.exited.then(() => (exited = true));
    while (!exited && !r.killed) {
      if (await this.o.probe(endpoint).catch(() => false)) {
        if (exited || r.killed) return;
        await this.client.update({ task_id: r.taskId, state: 'TASK_RUNNING', message: `broker ${r.launch.brokerId} answers at ${endpoint}`, data: new TextEncoder().encode(JSON.stringify({ endpoint })) });
        void this.reportMetrics(r, endpoint, () => exited);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, this.o.probeIntervalMs ?? 1000));
    }
  }

  /** Sends the broker's metrics now and every metricsIntervalMs until it exits; a failed collection is skipped. */
  private async reportMetrics(r: Running, endpoint: string, exited: () => boolean): Promise<void> {
    const collect = this.o.metrics;
    if (collect === undefined) return;
    while (!exited() && !r.killed) {
      try {
        const message: MetricsMessage = { type: 'metrics', brokerId: r.launch.brokerId, metrics: await collect(endpoint, r.launch.brokerId) };
        if (!exited() && !r.killed) await this.client.message(new TextEncoder().encode(JSON.stringify(message)));
      } catch (e) {
        this.o.logger.warn({ err: e, broker: r.launch.brokerId }, 'collecting broker metrics failed; retried at the next interval');
      }
      await Promise.race([r.exited, new Promise((resolve) => setTimeout(resolve, this.o.metricsIntervalMs ?? 30_000).unref())]);
    }
  }

  private async exited(r: Running, code: number | null): Promise<void> {
    this.o.logger.info({ broker: r.launch.brokerId, code, killed: r.killed }, 'kafka exited');
    if (r.killed) await this.client.update({ task_id: r.taskId, state: 'TASK_KILLED', message: `broker stopped (exit ${code})` });
    else await this.fail(r.taskId, `kafka-server-start.sh exited with ${code}; see 'broker log ${r.launch.brokerId} --name stderr'`);
  }

  private async fail(taskId: v1.TaskID, message: string): Promise<void> {
    this.o.logger.error({ task: taskId.value }, message);
    await this.client.update({ task_id: taskId, state: 'TASK_FAILED', message });
    this.resolveDone();
  }

  private async kill(taskId: v1.TaskID): Promise<void> {
    const r = this.running;
    if (r === undefined || r.taskId.value !== taskId.value) {
      await this.client.update({ task_id: taskId, state: 'TASK_KILLED', message: 'no broker was running' });
      this.resolveDone();
      return;
    }
    if (r.killed) return;
    r.killed = true;
    await this.client.update({ task_id: taskId, state: 'TASK_KILLING' });
    signal(r.process, 'SIGTERM');
    const timer = setTimeout(() => signal(r.process, 'SIGKILL'), this.o.killGraceMs ?? 30_000);
    await r.exited;
    clearTimeout(timer);
    this.resolveDone();
  }

  private async onMessage(data: Uint8Array): Promise<void> {
    let request: Partial<LogRequest>;
    try {
      request = JSON.parse(new TextDecoder().decode(data)) as Partial<LogRequest>;
    } catch {
      return;
    }
    if (request.type !== 'log' || typeof request.id !== 'string') return;
    let reply: LogReply;
    try {
      const file = logPath(String(request.name ?? 'stdout'), this.o.sandbox, this.running === undefined ? undefined : path.join(this.running.distDir, 'logs'));
      reply = { type: 'log', id: request.id, content: await tailFile(file, Number(request.lines ?? 100)) };
    } catch (e) {
      reply = { type: 'log', id: request.id, error: (e as Error).message };
    }
    await this.client.message(new TextEncoder().encode(JSON.stringify(reply)));
  }
}

/** Signals the broker's process group (the start script and the JVM it execs or forks). */
function signal(child: ChildProcess, sig: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, sig);
  } catch {
    child.kill(sig);
  }
}
