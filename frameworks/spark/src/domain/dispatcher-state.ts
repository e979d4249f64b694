// MesosClusterScheduler's bookkeeping, pure: submit (queue), kill (Spark's lookup order), status, and what a
// task status does to a driver — supervised drivers that fail or are lost go to the retry list with doubling
// backoff (1 s, 2 s, … up to spark.mesos.cluster.retry.wait.max) until spark.mesos.driver.supervise.maxRetries,
// others retire as finished (the newest spark.mesos.retainedDrivers are kept). When a driver ends, its Spark
// master and workers are listed for cleanup. Statuses of an older launch of a driver never touch the current one
// (SPARK-27347: a flapping agent must not make a driver run twice): a live outdated task is killed instead.
// Every operation returns a new state; the caller stores it before acting on the returned kills.
import { submissionId, driverTaskId, type DriverDescription, type DriverState, type FinishedDriver, type LaunchedDriver, type Outcome, type QueuedDriver, type StatusSummary } from './driver.js';
import { memoryStringToMb } from './memory.js';
import type { CreateSubmissionRequest } from './submission.js';

export interface DispatcherConf {
  /** spark.mesos.maxDrivers (200): submissions are refused while this many drivers are launched. */
  maxDrivers: number;
  /** spark.mesos.retainedDrivers (200). */
  retainedDrivers: number;
  /** spark.mesos.cluster.retry.wait.max, seconds (60). */
  retryWaitMaxSec: number;
  /** spark.mesos.driver.supervise.maxRetries; undefined = unbounded (a submission may set its own). */
  maxRetries: number | undefined;
  /** Properties every driver gets unless it sets them (spark.mesos.dispatcher.driverDefault.*, distribution). */
  driverDefaults: Record<string, string>;
}

export const DEFAULT_CONF: DispatcherConf = { maxDrivers: 200, retainedDrivers: 200, retryWaitMaxSec: 60, maxRetries: undefined, driverDefaults: {} };

export interface TaskRef {
  taskId: string;
  agentId: string;
}

export interface DispatcherState {
  /** Last submission number handed out (ids end in its 4-digit successor). */
  counter: number;
  queued: QueuedDriver[];
  pendingRetry: QueuedDriver[];
  launched: LaunchedDriver[];
  finished: FinishedDriver[];
  /** Masters and workers of ended applications, killed until Mesos reports them terminal. */
  cleanup: TaskRef[];
}

export function emptyState(): DispatcherState {
  return { counter: 0, queued: [], pendingRetry: [], launched: [], finished: [], cleanup: [] };
}

export interface Answer {
  success: boolean;
  message?: string;
  submissionId?: string;
  driverState?: DriverState;
}

export const NOT_READY = 'Scheduler is not ready to take requests';

/** Where the Spark distribution comes from, in a driver's effective properties. */
export function hasDistribution(props: Record<string, string>): boolean {
  return (props['spark.executor.uri'] ?? '') !== '' || (props['spark.mesos.executor.home'] ?? '') !== '';
}

export function submit(state: DispatcherState, request: CreateSubmissionRequest, conf: DispatcherConf, now: number, ready: boolean): { state: DispatcherState; answer: Answer } {
  if (!ready) return { state, answer: { success: false, message: NOT_READY } };
  if (state.launched.length >= conf.maxDrivers) return { state, answer: { success: false, message: 'Already reached maximum submission size' } };
  const props = { ...conf.driverDefaults, ...request.sparkProperties };
  if (!hasDistribution(props)) {
    return { state, answer: { success: false, message: 'No Spark distribution for the driver: set spark.executor.uri (a Spark .tgz URI agents can fetch) or spark.mesos.executor.home (Spark installed at that path on every agent), in the submission or the dispatcher\'s --conf' } };
  }
  const next = structuredClone(state);
  next.counter += 1;
  const id = submissionId(now, next.counter);
  const desc: DriverDescription = {
    ...request,
    sparkProperties: props,
    submissionId: id,
    name: props['spark.app.name'] ?? id,
    cores: props['spark.driver.cores'] === undefined ? 1 : Number(props['spark.driver.cores']),
    mem: props['spark.driver.memory'] === undefined ? 1024 : (memoryStringToMb(props['spark.driver.memory']) ?? 1024),
    supervise: (props['spark.driver.supervise'] ?? 'false').toLowerCase() === 'true',
    submitDate: now,
  };
  next.queued.push({ desc });
  return { state: next, answer: { success: true, submissionId: id, message: `Driver successfully submitted as ${id}` } };
}

/** Spark's kill lookup order: launched → kill its task; queued → removed; retrying → removed; finished; unknown. */
export function kill(state: DispatcherState, id: string, conf: DispatcherConf, now: number, ready: boolean): { state: DispatcherState; answer: Answer; killTask?: TaskRef } {
  if (!ready) return { state, answer: { success: false, message: NOT_READY } };
  const next = structuredClone(state);
  const launched = next.launched.find((l) => l.desc.submissionId === id);
  if (launched !== undefined) {
    launched.killRequested = true;
    return { state: next, answer: { success: true, submissionId: id, message: 'Killing running driver' }, killTask: { taskId: launched.taskId, agentId: launched.agentId } };
  }
  for (const [list, message] of [[next.queued, "Removed driver while it's still pending"], [next.pendingRetry, "Removed driver while it's being retried"]] as const) {
    const i = list.findIndex((q) => q.desc.submissionId === id);
    if (i < 0) continue;
    const [removed] = list.splice(i, 1);
    retire(next, { desc: removed!.desc, outcome: 'KILLED', retries: removed!.retry?.retries ?? 0, finishDate: now, ...(removed!.retry === undefined ? {} : { status: removed!.retry.lastFailureStatus }) }, conf.retainedDrivers);
    return { state: next, answer: { success: true, submissionId: id, message } };
  }
  if (next.finished.some((f) => f.desc.submissionId === id)) return { state, answer: { success: false, submissionId: id, message: 'Driver already terminated' } };
  return { state, answer: { success: false, submissionId: id, message: 'Cannot find driver' } };
}

export function status(state: DispatcherState, id: string): Answer & { status?: StatusSummary } {
  const queued = state.queued.find((q) => q.desc.submissionId === id);
  if (queued !== undefined) return { success: true, submissionId: id, driverState: 'QUEUED' };
  const launched = state.launched.find((l) => l.desc.submissionId === id);
  if (launched !== undefined) return { success: true, submissionId: id, driverState: 'RUNNING', ...(launched.status === undefined ? {} : { status: launched.status }) };
  const finished = state.finished.find((f) => f.desc.submissionId === id);
  if (finished !== undefined) return { success: true, submissionId: id, driverState: finished.outcome, ...(finished.status === undefined ? {} : { status: finished.status }) };
  const retrying = state.pendingRetry.find((q) => q.desc.submissionId === id);
  if (retrying !== undefined) return { success: true, submissionId: id, driverState: 'RETRYING', status: retrying.retry!.lastFailureStatus };
  return { success: false, submissionId: id, driverState: 'NOT_FOUND' };
}

const TERMINAL = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR']);
/** What a supervised driver is relaunched after (upstream: FAILED and LOST; DROPPED/GONE are LOST's successors). */
const RELAUNCH = new Set(['TASK_FAILED', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE']);

export function isTerminal(state: string): boolean {
  return TERMINAL.has(state);
}

function outcomeOf(state: string): Outcome {
  if (state === 'TASK_FINISHED') return 'FINISHED';
  if (state === 'TASK_KILLED') return 'KILLED';
  return 'FAILED';
}

/** Moves a driver to the finished list, keeping only the newest `retained`. */
function retire(state: DispatcherState, f: FinishedDriver, retained: number): void {
  state.finished.push(f);
  if (state.finished.length > retained) state.finished.splice(0, state.finished.length - retained);
}

/** The driver's maxRetries: its own property, else the dispatcher's. */
function maxRetriesOf(desc: DriverDescription, conf: DispatcherConf): number {
  const own = desc.sparkProperties['spark.mesos.driver.supervise.maxRetries'];
  if (own !== undefined && Number.isFinite(Number(own))) return Number(own);
  return conf.maxRetries ?? Number.POSITIVE_INFINITY;
}

export interface StatusEffect {
  state: DispatcherState;
  /** Tasks to kill now (cleanup of an ended application, outdated or unknown live tasks). */
  kills: TaskRef[];
  /** Something changed that the offer loop cares about (a retry was scheduled, a worker slot freed). */
  revive: boolean;
}

/** Applies one task status. */
export function onTaskStatus(state: DispatcherState, s: StatusSummary, conf: DispatcherConf, now: number): StatusEffect {
  const next = structuredClone(state);
  const terminal = isTerminal(s.state);
  const ref = (taskId: string, agentId: string | undefined): TaskRef => ({ taskId, agentId: agentId ?? s.agentId ?? '' });

  const cleanupAt = next.cleanup.findIndex((c) => c.taskId === s.taskId);
  if (cleanupAt >= 0) {
    if (terminal) next.cleanup.splice(cleanupAt, 1);
    return { state: next, kills: terminal ? [] : [next.cleanup[cleanupAt]!], revive: false };
  }

  for (const l of next.launched) {
    if (s.taskId === l.taskId) return onDriverStatus(next, l, s, conf, now);
    if (s.taskId === l.master.taskId) {
      l.master.running = !terminal && s.state === 'TASK_RUNNING' ? true : l.master.running && !terminal;
      return { state: next, kills: [], revive: false };
    }
    const w = l.workers.find((x) => x.taskId === s.taskId);
    if (w !== undefined) {
      if (terminal) l.workers = l.workers.filter((x) => x !== w);
      else if (s.state === 'TASK_RUNNING') w.running = true;
      return { state: next, kills: [], revive: terminal };
    }
  }
  // An earlier launch of a driver (or a task of it) that is still alive: never let two copies run.
  return { state: next, kills: terminal ? [] : [ref(s.taskId, s.agentId)], revive: false };
}

function onDriverStatus(next: DispatcherState, l: LaunchedDriver, s: StatusSummary, conf: DispatcherConf, now: number): StatusEffect {
  l.status = s;
  if (!isTerminal(s.state)) return { state: next, kills: [], revive: false };
  next.launched = next.launched.filter((x) => x !== l);
  const leftovers = [l.master, ...l.workers].map((t) => ({ taskId: t.taskId, agentId: t.agentId }));
  next.cleanup.push(...leftovers);
  const base = { taskId: l.taskId, agentId: l.agentId, hostname: l.hostname, finishDate: now, status: s };
  if (l.desc.supervise && !l.killRequested && RELAUNCH.has(s.state)) {
    const retries = (l.retry?.retries ?? 0) + 1;
    if (retries > maxRetriesOf(l.desc, conf)) {
      retire(next, { desc: l.desc, outcome: 'FAILED', retries: retries - 1, ...base }, conf.retainedDrivers);
    } else {
      const waitTimeSec = l.retry === undefined ? 1 : Math.min(conf.retryWaitMaxSec, l.retry.waitTimeSec * 2);
      next.pendingRetry.push({ desc: l.desc, retry: { retries, waitTimeSec, nextRetry: now + waitTimeSec * 1000, lastFailureStatus: s } });
    }
  } else {
    retire(next, { desc: l.desc, outcome: outcomeOf(s.state), retries: l.retry?.retries ?? 0, ...base }, conf.retainedDrivers);
  }
  return { state: next, kills: leftovers, revive: true };
}

/** True when `taskId` names a launch of `id` (`<id>` or `<id>-retry-<n>`), for finding outdated tasks. */

