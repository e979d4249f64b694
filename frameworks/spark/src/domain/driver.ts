// The dispatcher's drivers as data: a submitted application's description, and where it is — queued, launched
// (its driver task plus the Spark standalone master and workers it runs on), waiting for a supervised retry,
// or finished (retained for the status call and the UI). Submission ids as MesosClusterScheduler makes them.
// Pure.
import type { CreateSubmissionRequest } from './submission.js';

/** A Mesos TaskStatus as the dispatcher keeps it (status `message` renders it as Mesos' text format). */
export interface StatusSummary {
  taskId: string;
  state: string;
  message?: string;
  reason?: string;
  source?: string;
  agentId?: string;
  /** Seconds since the epoch, as TaskStatus.timestamp. */
  timestamp?: number;
}

export interface DriverDescription extends CreateSubmissionRequest {
  submissionId: string;
  /** spark.app.name. */
  name: string;
  /** spark.driver.cores (1 by default). */
  cores: number;
  /** spark.driver.memory in MB (1024 by default), without the overhead. */
  mem: number;
  supervise: boolean;
  /** ms since the epoch. */
  submitDate: number;
}

export interface RetryState {
  /** Relaunches so far, counting the one this state schedules. */
  retries: number;
  /** ms since the epoch when the relaunch is due. */
  nextRetry: number;
  waitTimeSec: number;
  lastFailureStatus: StatusSummary;
}

export interface QueuedDriver {
  desc: DriverDescription;
  retry?: RetryState;
}

/** One Mesos task of a launched application (the Spark master or a worker). */
export interface AppTask {
  taskId: string;
  agentId: string;
  hostname: string;
  /** Spark RPC port, and the web UI's. */
  port: number;
  webuiPort: number;
  cpus: number;
  mem: number;
  running: boolean;
}

export interface LaunchedDriver {
  desc: DriverDescription;
  retry?: RetryState;
  /** The driver task: `<submissionId>` or `<submissionId>-retry-<n>`. */
  taskId: string;
  agentId: string;
  hostname: string;
  master: AppTask;
  workers: AppTask[];
  /** Numbers worker task ids within this launch. */
  workerSeq: number;
  startDate: number;
  /** The driver task's latest status. */
  status?: StatusSummary;
  /** A kill was asked for: the driver is not relaunched whatever its end. */
  killRequested?: boolean;
}

export type Outcome = 'FINISHED' | 'FAILED' | 'KILLED';

export interface FinishedDriver {
  desc: DriverDescription;
  taskId?: string;
  agentId?: string;
  hostname?: string;
  outcome: Outcome;
  retries: number;
  finishDate: number;
  status?: StatusSummary;
}

/** `driverState` of the status call. */
export type DriverState = 'QUEUED' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED' | 'RETRYING' | 'NOT_FOUND';

/** Pad as Java's `%04d`: at least four digits. */
function pad4(n: number): string {
  return String(n).padStart(4, '0');
}

/** `driver-<yyyyMMddHHmmss>-<NNNN>` in UTC from a submit time (ms) and the dispatcher's running counter. */
export function submissionId(submitDate: number, n: number): string {
  const d = new Date(submitDate);
  const two = (x: number): string => String(x).padStart(2, '0');
  const stamp = `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`;
  return `driver-${stamp}-${pad4(n)}`;
}

/** The driver task id of a launch: the submission id, then `-retry-<n>` for relaunches (as upstream). */
export function driverTaskId(id: string, retry: RetryState | undefined): string {
  return retry === undefined ? id : `${id}-retry-${retry.retries}`;
}

/** Renders a status as protobuf text format (Mesos' TaskStatus.toString), the `message` of status replies. */
export function statusText(s: StatusSummary): string {
  const lines = [`task_id {\n  value: ${JSON.stringify(s.taskId)}\n}`, `state: ${s.state}`];
  if (s.message !== undefined) lines.push(`message: ${JSON.stringify(s.message)}`);
  if (s.agentId !== undefined) lines.push(`slave_id {\n  value: ${JSON.stringify(s.agentId)}\n}`);
  if (s.timestamp !== undefined) lines.push(`timestamp: ${s.timestamp}`);
  if (s.source !== undefined) lines.push(`source: ${s.source}`);
  if (s.reason !== undefined) lines.push(`reason: ${s.reason}`);
  return `${lines.join('\n')}\n`;
}
