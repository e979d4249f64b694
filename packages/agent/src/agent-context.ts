// What the agent's parts (executor runner, recovery, HTTP endpoints) see of the agent. The Agent class
// implements it; the parts depend on this interface rather than on the class, so no import cycles.
import type { Logger } from 'pino';
import type { internal, v1 } from '@mesos-ts/proto';
import type { Resources } from '@mesos-ts/resources';
import type { Checkpointer } from './checkpoint.js';
import type { Clock } from '@mesos-ts/common';
import type { PosixContainerizer } from './containerizer.js';
import type { DockerContainerizer } from './docker/docker-containerizer.js';
import type { ExecutorApiHandler } from './executor-api.js';
import type { AgentFlags } from './flags.js';
import type { GarbageCollector } from './gc.js';
import type { Isolation } from './isolation.js';
import type { MasterDetector } from './master-detector.js';
import type { AgentMetrics } from './metrics.js';
import type { ExecutorRec, FrameworkRec } from './model.js';
import type { WorkDir } from './paths.js';
import type { StatusUpdateManager } from './status-update-manager.js';
import type { VolumeManager } from './volumes.js';

/** The Mesos version this agent speaks, the same as the master's MASTER_VERSION (clients compare them). */
export const AGENT_VERSION = '1.11.0';

/** The fetcher as the agent uses it (src/fetcher's Fetcher satisfies it). */
export interface UriFetcher {
  fetch(uris: readonly v1.CommandInfo.URI[], opts: { sandbox: string; user?: string; signal?: AbortSignal }): Promise<void>;
}

export interface AgentOptions {
  flags: AgentFlags;
  log: Logger;
  /** Total resources (from --resources and detection). */
  resources: Resources;
  attributes: v1.Attribute[];
  fetcher: UriFetcher;
  clock?: Clock;
  detector?: MasterDetector;
  /** Environment executors inherit (default: this process's). */
  env?: Readonly<Record<string, string | undefined>>;
  /** The master removed this agent (SHUTDOWN): executors are already killed; the caller should exit. */
  onShutdown?: (message: string) => void;
}

export interface AgentContext extends ExecutorApiHandler {
  readonly opts: AgentOptions;
  readonly flags: AgentFlags;
  readonly log: Logger;
  readonly clock: Clock;
  readonly dirs: WorkDir;
  readonly frameworks: Map<string, FrameworkRec>;
  readonly completedFrameworks: FrameworkRec[];
  readonly containerizer: PosixContainerizer;
  readonly docker: DockerContainerizer;
  readonly isolation: Isolation;
  readonly volumes: VolumeManager;
  readonly sum: StatusUpdateManager;
  readonly checkpointer: Checkpointer;
  readonly gc: GarbageCollector;
  readonly metrics: AgentMetrics;
  /** Seconds since the epoch. */
  readonly startTime: number;
  agentId: string | undefined;
  /** A stopped agent ignores its children's exits, as a crashed one would. */
  readonly stopped: boolean;
  readonly connected: boolean;
  readonly masterInfo: v1.MasterInfo | undefined;
  /** host:port of the agent's HTTP server (what executors use). */
  readonly address: string;
  readonly hostname: string;
  requireAgentId(): string;
  agentInfo(): v1.AgentInfo;
  allExecutors(): Generator<ExecutorRec>;
  framework(info: v1.FrameworkInfo): FrameworkRec;
  executorOfTask(fw: string, taskId: string): ExecutorRec | undefined;
  statusUpdate(ex: ExecutorRec, status: v1.TaskStatus): Promise<void>;
  agentUpdate(ex: ExecutorRec, taskId: string, state: v1.TaskState, reason: v1.TaskStatus.Reason | undefined, message: string | undefined, extra?: Partial<v1.TaskStatus>): Promise<void>;
  sendToMaster(call: internal.AgentCall): Promise<boolean>;
  /** Runs `work` without waiting for it; a failure is logged (with `what`), never left unhandled. */
  background(work: Promise<unknown>, what: string): void;
}
