// The custom executor that runs one search node: on LAUNCH it finds the distribution the fetcher unpacked
// into the sandbox, computes the node's settings for that product (task data: domain/offer-plan.ts NodeLaunch;
// relative paths are the sandbox's, `data/` is the persistent volume), starts it (node-runner.ts), reports
// TASK_STARTING, then TASK_RUNNING once the node answers a cluster health call as a member of a cluster, and
// afterwards a TASK_RUNNING whose data is {"health": colour} whenever the colour changes (checked every few
// seconds, re-sent at least every minute). KILL and SHUTDOWN stop the node (SIGTERM, SIGKILL after a grace);
// a node that exits on its own is TASK_FAILED, so the scheduler starts it again on its agent.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ExecutorClient, Logger } from '@mesos-ts/executor';
import type { v1 } from '@mesos-ts/proto';
import type { HealthColour } from '../domain/health.js';
import { nodeSettings } from '../domain/node-settings.js';
import type { NodeLaunch } from '../domain/offer-plan.js';
import { distributionFlavour, SearchNode } from './node-runner.js';

export interface EsExecutorOptions {
  sandbox: string;
  logger: Logger;
  /** How often the node's health is checked, ms. Default 5000. */
  healthIntervalMs?: number;
  /** SIGTERM -> SIGKILL, ms. Default 15000. */
  killGraceMs?: number;
  /** How long the node may take to join before the task fails, ms. Default 300000. */
  joinTimeoutMs?: number;
}

interface Running {
  taskId: v1.TaskID;
  node: SearchNode;
  killed: boolean;
  exited: Promise<void>;
}

const RESEND_MS = 60_000;

export class EsExecutor {
  private running: Running | undefined;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    private readonly client: ExecutorClient,
    private readonly o: EsExecutorOptions,
  ) {
    this.done = new Promise((r) => (this.resolveDone = r));
    client.on('launch', (task) => this.launch(task));
    client.on('kill', ({ task_id }) => this.kill(task_id));
    client.on('shutdown', () => (this.running === undefined ? undefined : this.kill(this.running.taskId)));
  }

  /** Kills the node at once (the executor itself is being terminated). */
  killNow(): void {
    this.running?.node.kill('SIGKILL');
  }

  private async launch(task: v1.TaskInfo): Promise<void> {
    const taskId = task.task_id;
    if (this.running !== undefined) {
      await this.client.update({ task_id: taskId, state: 'TASK_FAILED', message: 'this executor already runs a node' });
      return;
    }
    let node: SearchNode;
    try {
      const launch = JSON.parse(new TextDecoder().decode(task.data ?? new Uint8Array())) as NodeLaunch;
      const home = findDistribution(this.o.sandbox);
      const abs = (p: string): string => (path.isAbsolute(p) ? p : path.join(this.o.sandbox, p));
      const settings = nodeSettings({ ...launch.settings, dataPath: abs(launch.settings.dataPath), logsPath: abs(launch.settings.logsPath), flavour: distributionFlavour(home)! });
      node = SearchNode.start({
        home,
        confDir: path.join(this.o.sandbox, 'config'),
        settings,
        javaOpts: `-Xms${launch.heapMb}m -Xmx${launch.heapMb}m`,
        stdio: 1,
        ...(launch.yml === undefined ? {} : { yml: launch.yml }),
      });
      this.o.logger.info({ home, node: launch.settings.nodeName, http: node.httpUrl, seeds: settings['discovery.seed_hosts'] }, 'search node started');
    } catch (e) {
      await this.fail(taskId, `cannot start the node: ${(e as Error).message}`);
      return;
    }
    await this.client.update({ task_id: taskId, state: 'TASK_STARTING', message: `node starting at ${node.httpUrl}` });
    const exited = new Promise<void>((resolve) => {
      node.process.once('exit', () => resolve());
      node.process.once('error', () => resolve());
    });
    const r: Running = { taskId, node, killed: false, exited };
    this.running = r;
    void exited.then(() => this.exited(r));
    void this.watch(r);
  }

  /** TASK_RUNNING once joined, then the health colour whenever it changes. */
  private async watch(r: Running): Promise<void> {
    let gone = false;
    void r.exited.then(() => (gone = true));
    const joined = await r.node.waitJoined(1, this.o.joinTimeoutMs ?? 300_000);
    if (gone || r.killed) return;
    if (!joined) {
      await this.fail(r.taskId, 'the node did not join a cluster in time; see the sandbox stdout');
      r.killed = true;
      r.node.kill('SIGKILL');
      return;
    }
    let last: HealthColour | undefined;
    let sentAt = 0;
    while (!gone && !r.killed) {
      const h = await r.node.health();
      if (gone || r.killed) return;
      if (h.colour !== last || Date.now() - sentAt >= RESEND_MS) {
        await this.client.update({ task_id: r.taskId, state: 'TASK_RUNNING', message: `health: ${h.colour}, ${h.nodes} node(s)`, data: new TextEncoder().encode(JSON.stringify({ health: h.colour, nodes: h.nodes })) });
        last = h.colour;
        sentAt = Date.now();
      }
      await Promise.race([r.exited, new Promise((resolve) => setTimeout(resolve, this.o.healthIntervalMs ?? 5_000).unref())]);
    }
  }

  private async exited(r: Running): Promise<void> {
    const code = r.node.process.exitCode ?? r.node.process.signalCode;
    this.o.logger.info({ code, killed: r.killed }, 'search node exited');
    if (r.killed) await this.client.update({ task_id: r.taskId, state: 'TASK_KILLED', message: `node stopped (${code})` });
    else await this.client.update({ task_id: r.taskId, state: 'TASK_FAILED', message: `the node exited (${code}); see the sandbox stdout` });
    this.resolveDone();
  }

  private async fail(taskId: v1.TaskID, message: string): Promise<void> {
    this.o.logger.error({ task: taskId.value }, message);
    await this.client.update({ task_id: taskId, state: 'TASK_FAILED', message });
    if (this.running === undefined) this.resolveDone();
  }

  private async kill(taskId: v1.TaskID): Promise<void> {
    const r = this.running;
    if (r === undefined || r.taskId.value !== taskId.value) {
      await this.client.update({ task_id: taskId, state: 'TASK_KILLED', message: 'no node was running' });
      this.resolveDone();
      return;
    }
    if (r.killed) return;
    r.killed = true;
    await this.client.update({ task_id: taskId, state: 'TASK_KILLING' });
    r.node.kill('SIGTERM');
    const timer = setTimeout(() => r.node.kill('SIGKILL'), this.o.killGraceMs ?? 15_000);
    await r.exited;
    clearTimeout(timer);
  }
}

/** The unpacked distribution in the sandbox: the sandbox itself or a directory in it with a launcher. */
export function findDistribution(sandbox: string): string {
  if (distributionFlavour(sandbox) !== undefined) return sandbox;
  for (const entry of readdirSync(sandbox).sort()) {
    const dir = path.join(sandbox, entry);
    if (statSync(dir).isDirectory() && distributionFlavour(dir) !== undefined) return dir;
  }
  throw new Error(`no Elasticsearch or OpenSearch distribution in ${sandbox}; pass --elasticsearchBinaryUrl=<.tgz URL> to the scheduler`);
}
