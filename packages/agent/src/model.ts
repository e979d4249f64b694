// The agent's in-memory picture of what runs on it: frameworks, their executors (one container each) and
// the tasks on those executors. The Agent class owns and mutates these; /state renders them.
import type { v1 } from '@mesos-ts/proto';
import type { Container } from './containerizer.js';
import type { ExecutorConnection } from './executor-api.js';
import type { Timer } from '@mesos-ts/common';

export type ExecutorKind = 'command' | 'default' | 'custom';

/**
 * launching: sandbox/fetch/spawn in progress · registering: spawned, waiting for SUBSCRIBE ·
 * running: subscribed · recovering: re-attached after an agent restart, waiting for SUBSCRIBE ·
 * terminating: shutdown asked · terminated: the process is gone.
 */
export type ExecutorState = 'launching' | 'registering' | 'running' | 'recovering' | 'terminating' | 'terminated';

export interface ExecutorRec {
  frameworkId: string;
  id: string;
  info: v1.ExecutorInfo;
  kind: ExecutorKind;
  /** A command task the agent supervises itself (--command_executor=inline): no executor process or API. */
  inline: boolean;
  containerId: string;
  sandbox: string;
  checkpoint: boolean;
  state: ExecutorState;
  /** Tasks accepted but not yet handed to the executor (sent on SUBSCRIBE). */
  queued: v1.TaskInfo[];
  /** Task groups waiting for SUBSCRIBE (default executor). */
  queuedGroups: v1.TaskGroupInfo[];
  /** Every task on this executor that is not completed (terminal and acknowledged), by task id. */
  tasks: Map<string, v1.Task>;
  taskInfos: Map<string, v1.TaskInfo>;
  completedTasks: v1.Task[];
  /** Tasks a kill was asked for: they end KILLED (not FAILED) if the executor dies. */
  killRequested: Set<string>;
  container: Container | undefined;
  connection: ExecutorConnection | undefined;
  timer: Timer | undefined;
  /** GPU device indices assigned to the container (CUDA_VISIBLE_DEVICES). */
  gpus: number[];
  /** Why the agent itself is ending the executor (reason for its tasks' final updates). */
  endReason: v1.TaskStatus.Reason | undefined;
  startedAt: number;
}

/** What identifies an executor run; everything else of an ExecutorRec starts empty (see newExecutorRec). */
export type ExecutorIdentity = Pick<ExecutorRec, 'frameworkId' | 'id' | 'info' | 'kind' | 'inline' | 'containerId' | 'sandbox' | 'checkpoint' | 'state' | 'startedAt'>;

/** An executor record with no tasks, queue, container or connection yet: at launch and at recovery. */
export function newExecutorRec(identity: ExecutorIdentity): ExecutorRec {
  return {
    ...identity,
    queued: [],
    queuedGroups: [],
    tasks: new Map(),
    taskInfos: new Map(),
    completedTasks: [],
    killRequested: new Set(),
    container: undefined,
    connection: undefined,
    timer: undefined,
    gpus: [],
    endReason: undefined,
  };
}

export interface FrameworkRec {
  id: string;
  info: v1.FrameworkInfo;
  executors: Map<string, ExecutorRec>;
  /** The executor of every task that is not completed (task id -> executor). */
  taskIndex: Map<string, ExecutorRec>;
  completedExecutors: ExecutorRec[];
}

/** Completed executors and tasks kept for /state, per framework and executor. */
export const MAX_COMPLETED_EXECUTORS = 150;
export const MAX_COMPLETED_TASKS = 200;

const TERMINAL: ReadonlySet<v1.TaskState> = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR']);

export function isTerminal(state: v1.TaskState): boolean {
  return TERMINAL.has(state);
}

export function hasCapability(info: v1.FrameworkInfo, type: v1.FrameworkInfo.Capability.Type): boolean {
  return (info.capabilities ?? []).some((c) => c.type === type);
}

/** A DurationInfo in milliseconds (undefined stays undefined). */
export function nsToMs(d: v1.DurationInfo | undefined): number | undefined {
  return d === undefined ? undefined : Number(d.nanoseconds / 1_000_000n);
}
