// The agent: registers with the master, runs executors in containers, relays tasks and status updates
// between master and executors, checkpoints what it needs to survive a restart, and keeps volumes.
// Launch, exit and recovery mechanics live in executor-runner.ts and recovery.ts; this file is the glue.
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { createServer } from '@mesos-ts/wire';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { executor, internal, v1 } from '@mesos-ts/proto';
import { chmod } from 'node:fs/promises';
import { readTextIfExists, writeFileAtomic } from './atomic-file.js';
import { Checkpointer } from './checkpoint.js';
import { daemonClock as systemClock, type Clock } from '@mesos-ts/common';
import { PosixContainerizer } from './containerizer.js';
import { DockerContainerizer } from './docker/docker-containerizer.js';
import type { AgentFlags } from './flags.js';
import { GarbageCollector } from './gc.js';
import { Isolation } from './isolation.js';
import { HttpError } from './http-util.js';
import { createMasterDetector, type MasterDetector } from './master-detector.js';
import { MasterLink } from './master-link.js';
import { hasCapability, isTerminal, type ExecutorRec, type FrameworkRec } from './model.js';
import { WorkDir } from './paths.js';
import { StatusUpdateManager } from './status-update-manager.js';
import { VolumeManager } from './volumes.js';
import { ExecutorRunner } from './executor-runner.js';
import { AGENT_VERSION, type AgentContext, type AgentOptions } from './agent-context.js';
import { AgentMetrics } from './metrics.js';
import { handleHttp } from './http-server.js';
import type { ExecutorConnection } from './executor-api.js';
import { recoverAgent } from './recovery.js';

export { AGENT_VERSION } from './agent-context.js';
export type { AgentOptions, UriFetcher } from './agent-context.js';

export class Agent implements AgentContext {
  readonly dirs: WorkDir;
  readonly clock: Clock;
  readonly log: Logger;
  readonly flags: AgentFlags;
  readonly frameworks = new Map<string, FrameworkRec>();
  readonly completedFrameworks: FrameworkRec[] = [];
  readonly containerizer: PosixContainerizer;
  readonly docker: DockerContainerizer;
  readonly isolation: Isolation;
  readonly volumes: VolumeManager;
  readonly sum: StatusUpdateManager;
  readonly checkpointer: Checkpointer;
  readonly gc: GarbageCollector;
  readonly metrics = new AgentMetrics();
  readonly runner: ExecutorRunner;
  readonly startTime = Date.now() / 1000;
  agentId: string | undefined;
  /** The master's session token for this agent id (REREGISTER presents it); kept beside the id, mode 0600. */
  private sessionToken: string | undefined;
  /** Set by stop(): a stopped agent ignores its children's exits, as a crashed one would. */
  stopped = false;
  private link: MasterLink | undefined;
  private server: http.Server | undefined;
  private readonly detector: MasterDetector;
  /** Background work in flight (exit handling, kills, launches): stop() lets it finish. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(readonly opts: AgentOptions) {
    this.flags = opts.flags;
    this.log = opts.log;
    this.clock = opts.clock ?? systemClock;
    this.dirs = new WorkDir(opts.flags.work_dir);
    this.detector = opts.detector ?? createMasterDetector(opts.flags.master);
    this.containerizer = new PosixContainerizer(this.clock);
    this.docker = new DockerContainerizer(opts.flags, opts.log, this.clock);
    // Throws FlagsError when --isolation asks for what the host cannot give (cgroups) or GPUs do not add up.
    this.isolation = Isolation.create(opts.flags, opts.resources.scalar('gpus'), this.log);
    this.volumes = new VolumeManager(this.dirs, this.log, (hostPath) => this.volumeInUse(hostPath), bindMountsAllowed(opts.flags, this.log));
    this.checkpointer = new Checkpointer(this.dirs, () => this.requireAgentId());
    this.gc = new GarbageCollector(this.clock, this.log, opts.flags.gc_delay_ms);
    this.sum = new StatusUpdateManager({
      clock: this.clock,
      log: this.log,
      forward: (fw, status) => {
        this.metrics.inc('status_updates_forwarded');
        const task = this.findTask(fw, status.task_id.value);
        void this.link?.send({ type: 'STATUS_UPDATE', status_update: { framework_id: { value: fw }, status, ...(task ? { latest_state: task.state } : {}) } });
      },
    });
    this.runner = new ExecutorRunner(this, opts.fetcher);
  }

  get connected(): boolean {
    return this.link?.connected ?? false;
  }

  get masterInfo(): v1.MasterInfo | undefined {
    return this.link?.master;
  }

  /** host:port of the agent's HTTP server. */
  get address(): string {
    const a = this.server?.address() as AddressInfo | null;
    if (!a) throw new Error('agent is not listening');
    const host = this.flags.ip === undefined || this.flags.ip === '0.0.0.0' ? '127.0.0.1' : this.flags.ip;
    return `${host}:${a.port}`;
  }

  get hostname(): string {
    return this.flags.hostname ?? this.flags.ip ?? 'localhost';
  }

  requireAgentId(): string {
    if (this.agentId === undefined) throw new Error('the agent has no id yet (not registered and nothing recovered)');
    return this.agentId;
  }

  agentInfo(): v1.AgentInfo {
    return {
      hostname: this.hostname,
      port: Number(this.address.split(':')[1]),
      resources: this.opts.resources.toProto(),
      attributes: this.opts.attributes,
      ...(this.agentId ? { id: { value: this.agentId } } : {}),
    };
  }

  async start(): Promise<void> {
    // Like the master: a client has 10 s for its headers and 30 s for the whole request (slowloris), and
    // Node checks that every second; open responses (executor event streams) have no idle timeout.
    // HTTPS with LIBPROCESS_SSL_ENABLED (the flags checked the certificate and key at start).
    this.server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1000 }, (req, res) => void handleHttp(this, req, res), this.flags.security.tls);
    this.server.timeout = 0;
    this.server.on('clientError', (err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy(err);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.flags.port, this.flags.ip, () => resolve());
    });
    await this.docker.probe();
    await recoverAgent(this, this.runner);
    // Docker containers of this agent that no recovered task owns are orphans (their task is gone).
    await this.docker.reapOrphans(new Set([...this.allExecutors()].filter((ex) => ex.state !== 'terminated').map((ex) => ex.containerId)));
    if (this.agentId !== undefined) this.sessionToken = (await readTextIfExists(this.dirs.sessionTokenFile()))?.trim() || undefined;
    this.gc.start(this.dirs.root, this.flags.disk_watch_interval_ms, this.flags.gc_disk_headroom);
    await this.gc.adopt(this.dirs.sandboxesRoot(), new Set([...this.allExecutors()].map((ex) => ex.sandbox)));
    this.link = new MasterLink({
      detector: this.detector,
      clock: this.clock,
      log: this.log,
      backoffFactorMs: this.flags.registration_backoff_factor_ms,
      registration: () => this.registrationCall(),
      sessionToken: () => this.sessionToken,
      ...(this.flags.security.masterAuthorization ? { authorization: this.flags.security.masterAuthorization } : {}),
      onSessionToken: async (token) => {
        this.sessionToken = token;
        await writeFileAtomic(this.dirs.sessionTokenFile(), token);
        await chmod(this.dirs.sessionTokenFile(), 0o600);
      },
      onRegistered: (r) => this.background(this.registered(r), 'checkpointing the agent id'),
      onEvent: (e) => this.onMasterEvent(e),
      onDisconnected: () => {
        this.log.warn('lost the master; status updates wait for the next registration');
        this.sum.pause();
      },
    });
    this.link.start();
    this.log.info({ address: this.address, work_dir: this.dirs.root }, 'agent started');
  }

  /**
   * Stops serving. `killExecutors` destroys every container (tests, master SHUTDOWN); otherwise executors keep
   * running, as after a crash, and the next agent recovers them.
   */
  async stop(opts: { killExecutors?: boolean } = {}): Promise<void> {
    if (opts.killExecutors) {
      await this.killAllExecutors(0);
      // Let the exit handling of the killed executors (final updates, checkpoints) finish first.
      for (let round = 0; round < 10 && this.pending.size > 0; round++) await Promise.all([...this.pending]);
    }
    this.stopped = true;
    this.isolation.close();
    this.docker.stopTimers();
    await this.link?.stop();
    this.sum.stop();
    this.gc.stop();
    for (const ex of this.allExecutors()) {
      if (ex.timer) ex.timer.cancel();
      ex.connection?.close();
    }
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  async killAllExecutors(graceMs: number): Promise<void> {
    await Promise.all([...this.allExecutors()].map((ex) => this.runner.destroy(ex, graceMs)));
  }

  *allExecutors(): Generator<ExecutorRec> {
    for (const fw of this.frameworks.values()) yield* fw.executors.values();
  }

  findExecutor(fw: string, ex: string): ExecutorRec | undefined {
    return this.frameworks.get(fw)?.executors.get(ex);
  }

  findTask(fw: string, taskId: string): v1.Task | undefined {
    return this.executorOfTask(fw, taskId)?.tasks.get(taskId);
  }

  executorOfTask(fw: string, taskId: string): ExecutorRec | undefined {
    return this.frameworks.get(fw)?.taskIndex.get(taskId);
  }

  framework(info: v1.FrameworkInfo): FrameworkRec {
    const id = info.id!.value;
    let fw = this.frameworks.get(id);
    if (!fw) {
      fw = { id, info, executors: new Map(), taskIndex: new Map(), completedExecutors: [] };
      this.frameworks.set(id, fw);
    } else {
      fw.info = info;
    }
    return fw;
  }

  // ---- master side -------------------------------------------------------------------------------

  private registrationCall(): internal.AgentCall {
    const agent_info = this.agentInfo();
    const checkpointed_resources = [...this.volumes.resources];
    if (this.agentId === undefined) return { type: 'REGISTER', register: { agent_info, version: AGENT_VERSION, checkpointed_resources } };
    const frameworks: v1.FrameworkInfo[] = [];
    const executors: v1.ExecutorInfo[] = [];
    const tasks: v1.Task[] = [];
    for (const fw of this.frameworks.values()) {
      if (fw.executors.size === 0) continue;
      frameworks.push(fw.info);
      for (const ex of fw.executors.values()) {
        if (ex.state !== 'terminated' && ex.kind !== 'command') executors.push(ex.info);
        for (const t of ex.tasks.values()) tasks.push(this.taskForMaster(t));
      }
    }
    return {
      type: 'REREGISTER',
      agent_id: { value: this.agentId },
      reregister: { agent_info, version: AGENT_VERSION, checkpointed_resources, frameworks, executors, tasks },
    };
  }

  private taskForMaster(t: v1.Task): v1.Task {
    const pending = this.sum.pending(t.framework_id.value, t.task_id.value)[0];
    return {
      ...t,
      statuses: (t.statuses ?? []).slice(-1),
      ...(pending ? { status_update_state: pending.state, ...(pending.uuid ? { status_update_uuid: pending.uuid } : {}) } : {}),
    };
  }

  private async registered(r: internal.AgentEvent.Registered): Promise<void> {
    const id = r.agent_id.value;
    if (this.agentId !== id) {
      if (this.agentId !== undefined) this.log.warn({ old: this.agentId, new: id }, 'master assigned a new agent id');
      this.agentId = id;
      await writeFileAtomic(this.dirs.latestAgentFile(), id);
    }
    this.metrics.inc('registrations');
    this.sum.resume();
  }

  private onMasterEvent(event: internal.AgentEvent): void {
    this.handleMasterEvent(event).catch((e: unknown) => this.log.error({ err: (e as Error).message, event: event.type }, 'failed to handle a master event'));
  }

  private async handleMasterEvent(e: internal.AgentEvent): Promise<void> {
    switch (e.type) {
      case 'RUN_TASK':
        if (e.run_task) await this.runner.runTask(e.run_task.framework_info, e.run_task.task);
        return;
      case 'RUN_TASK_GROUP':
        if (e.run_task_group) await this.runner.runTaskGroup(e.run_task_group.framework_info, e.run_task_group.executor, e.run_task_group.task_group);
        return;
      case 'KILL_TASK':
        if (e.kill_task) await this.runner.killTask(e.kill_task.framework_id.value, e.kill_task.task_id.value, e.kill_task.kill_policy);
        return;
      case 'ACKNOWLEDGE':
        if (e.acknowledge) await this.acknowledge(e.acknowledge.framework_id.value, e.acknowledge.task_id.value, e.acknowledge.uuid);
        return;
      case 'SHUTDOWN_FRAMEWORK':
        if (e.shutdown_framework) await this.shutdownFramework(e.shutdown_framework.framework_id.value);
        return;
      case 'SHUTDOWN_EXECUTOR': {
        const ex = e.shutdown_executor && this.findExecutor(e.shutdown_executor.framework_id.value, e.shutdown_executor.executor_id.value);
        if (ex) this.runner.shutdown(ex);
        return;
      }
      case 'FRAMEWORK_TO_EXECUTOR': {
        const m = e.framework_to_executor;
        const ex = m && this.findExecutor(m.framework_id.value, m.executor_id.value);
        if (ex?.connection) ex.connection.send({ type: 'MESSAGE', message: { data: m!.data } });
        else this.log.warn({ executor_id: m?.executor_id.value }, 'dropping a framework message for an executor that is not subscribed');
        return;
      }
      case 'CHECKPOINT_RESOURCES':
        await this.volumes.apply(e.checkpoint_resources?.resources ?? []);
        return;
      case 'UPDATE_FRAMEWORK': {
        const info = e.update_framework?.framework_info;
        const fw = info?.id && this.frameworks.get(info.id.value);
        if (fw && info) {
          fw.info = info;
          if (info.checkpoint) await this.checkpointer.framework(info);
        }
        return;
      }
      case 'SHUTDOWN': {
        const message = e.shutdown?.message ?? 'the master removed this agent';
        this.log.error({ message }, 'master asked the agent to shut down');
        await this.killAllExecutors(this.flags.executor_shutdown_grace_period_ms);
        this.opts.onShutdown?.(message);
        return;
      }
      case 'ERROR':
        if (e.error?.message) this.log.error({ message: e.error.message }, 'master refused registration');
        return;
      default:
        this.log.warn({ type: e.type }, 'ignoring an unknown master event');
    }
  }

  /** True while a container that is not terminated holds this volume. */
  private volumeInUse(hostPath: string): boolean {
    for (const ex of this.allExecutors()) {
      if (ex.state === 'terminated') continue;
      const resources = [...(ex.info.resources ?? []), ...[...ex.taskInfos.values()].flatMap((t) => t.resources ?? [])];
      if (this.volumes.volumes(resources).some((v) => v.hostPath === hostPath)) return true;
    }
    return false;
  }

  async shutdownFramework(fwId: string): Promise<void> {
    const fw = this.frameworks.get(fwId);
    if (!fw) return;
    for (const ex of fw.executors.values()) this.runner.shutdown(ex);
  }

  async acknowledge(fw: string, taskId: string, uuid: Uint8Array): Promise<void> {
    const acked = await this.sum.acknowledge(fw, taskId, uuid);
    if (!acked) return;
    this.metrics.inc('status_updates_acknowledged');
    const ex = this.executorOfTask(fw, taskId);
    if (!ex) {
      // A task that never reached an executor (its launch failed): nothing else holds its stream.
      if (this.sum.pending(fw, taskId).length === 0) this.sum.remove(fw, taskId);
      return;
    }
    if (acked.source === 'SOURCE_EXECUTOR' && ex.connection) ex.connection.send({ type: 'ACKNOWLEDGED', acknowledged: { task_id: acked.task_id, uuid } });
    this.runner.maybeCompleteTask(ex, taskId);
  }

  /** Records a status in the task and hands it to the status update manager. */
  async statusUpdate(ex: ExecutorRec, status: v1.TaskStatus): Promise<void> {
    const task = ex.tasks.get(status.task_id.value);
    if (task) {
      const { data: _data, ...kept } = status;
      task.state = status.state;
      task.statuses = [...(task.statuses ?? []), kept].slice(-10);
      if (isTerminal(status.state)) this.metrics.countTerminal(status.state);
    }
    const log = ex.checkpoint ? this.checkpointer.updatesFile(ex.frameworkId, ex.id, ex.containerId, status.task_id.value) : undefined;
    await this.sum.update(ex.frameworkId, status, log);
  }

  /** An update the agent itself generates (launch failure, executor gone, kill before launch…). */
  async agentUpdate(
    ex: ExecutorRec,
    taskId: string,
    state: v1.TaskState,
    reason: v1.TaskStatus.Reason | undefined,
    message: string | undefined,
    extra: Partial<v1.TaskStatus> = {},
  ): Promise<void> {
    const fw = this.frameworks.get(ex.frameworkId);
    const status: v1.TaskStatus = {
      task_id: { value: taskId },
      state: state === 'TASK_KILLING' && fw && !hasCapability(fw.info, 'TASK_KILLING_STATE') ? 'TASK_RUNNING' : state,
      source: 'SOURCE_AGENT',
      ...(message !== undefined ? { message } : {}),
      ...(reason ? { reason } : {}),
      agent_id: { value: this.requireAgentId() },
      ...(ex.kind === 'command' ? {} : { executor_id: { value: ex.id } }),
      timestamp: this.clock.now() / 1000,
      uuid: newUuid(),
      ...extra,
    };
    await this.statusUpdate(ex, status);
  }

  // ---- executor API ------------------------------------------------------------------------------

  subscribe(call: executor.Call, conn: ExecutorConnection, onClose: (cb: () => void) => void): void {
    const ex = this.findExecutor(call.framework_id.value, call.executor_id.value);
    if (!ex || ex.state === 'terminated') throw new HttpError(400, `Executor '${call.executor_id.value}' of framework '${call.framework_id.value}' is not known to this agent (or has terminated)`);
    if (ex.state === 'launching') throw new HttpError(503, 'Executor is still being launched; retry');
    this.runner.subscribed(ex, call.subscribe ?? {}, conn);
    onClose(() => {
      if (ex.connection === conn) ex.connection = undefined;
    });
  }

  async update(call: executor.Call): Promise<void> {
    const ex = this.findExecutor(call.framework_id.value, call.executor_id.value);
    if (!ex || ex.state === 'terminated') throw new HttpError(400, `Executor '${call.executor_id.value}' is not known to this agent`);
    await this.runner.executorUpdate(ex, call.update!.status);
  }

  async message(call: executor.Call): Promise<void> {
    const ex = this.findExecutor(call.framework_id.value, call.executor_id.value);
    if (!ex) throw new HttpError(400, `Executor '${call.executor_id.value}' is not known to this agent`);
    const sent = await this.link?.send({
      type: 'EXECUTOR_TO_FRAMEWORK',
      executor_to_framework: { framework_id: call.framework_id, executor_id: call.executor_id, data: call.message!.data },
    });
    if (!sent) throw new HttpError(503, 'The agent is not connected to a master; retry the message later');
  }

  background(work: Promise<unknown>, what: string): void {
    const tracked = work.catch((e: unknown) => this.log.error({ err: (e as Error).message, what }, 'background work failed'));
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  sendToMaster(call: internal.AgentCall): Promise<boolean> {
    return this.link?.send(call) ?? Promise.resolve(false);
  }
}

/** Volumes are bind-mounted with filesystem/linux (as upstream) when the agent is root; symlinked otherwise. */
function bindMountsAllowed(flags: AgentFlags, log: Logger): boolean {
  if (!flags.isolators.includes('filesystem/linux')) return false;
  if (process.getuid?.() === 0) return true;
  log.warn('--isolation=filesystem/linux needs root to bind-mount volumes; symlinking them into sandboxes instead');
  return false;
}

export function newUuid(): Uint8Array {
  return Uint8Array.from(Buffer.from(randomUUID().replace(/-/g, ''), 'hex'));
}
