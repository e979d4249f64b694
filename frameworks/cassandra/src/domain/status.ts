// How Mesos task updates and the executor's health reports change a node, pure (time comes in as `now`).
//   TASK_RUNNING          the executor sends it only once the node answers CQL: healthy, mode from its report;
//   a terminal state      the node is down; RESTART becomes RUN (the relaunch is the restart), the pid is gone;
//                         a failure (not a kill the scheduler asked for) counts towards the restart backoff;
//   a health report       the latest mode/load; the first healthy NORMAL report of a replacement clears its
//                         replace_address mark (upstream clears replaceNodeIps then), so a later restart of the
//                         node is a plain restart and not a second replacement.
import type { HealthReport } from './task-data.js';
import type { CassandraNode, NodeHealth } from './node.js';

const TERMINAL = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN']);

export function isTerminalTaskState(state: string): boolean {
  return TERMINAL.has(state);
}

export interface TaskUpdate {
  taskId: string;
  state: string;
  /** TaskStatus.data as text (the executor's HealthReport at TASK_RUNNING). */
  data?: string;
}

/** The node after a status of its current task; the node unchanged when the update is for an older task. */
export function applyTaskStatus(node: CassandraNode, update: TaskUpdate, now: number): CassandraNode {
  if (node.taskId !== update.taskId) return node;
  if (isTerminalTaskState(update.state)) {
    const { cassandraDaemonPid: _pid, ...rest } = node;
    // A kill the scheduler asked for (stop, restart, terminate) is not a failure.
    const failed = update.state !== 'TASK_KILLED' && update.state !== 'TASK_FINISHED';
    return {
      ...rest,
      ...(failed ? { failures: (node.failures ?? 0) + 1, lastFailureAt: now } : {}),
      taskState: update.state,
      targetRunState: node.targetRunState === 'RESTART' ? 'RUN' : node.targetRunState,
      health: { mode: 'DOWN', healthy: false, loadBytes: node.health?.loadBytes ?? 0, at: now },
    };
  }
  const next: CassandraNode = { ...node, taskState: update.state };
  if (update.state === 'TASK_RUNNING' && update.data !== undefined) {
    const report = parseReport(update.data);
    if (report !== undefined) return applyHealth(next, report, now);
  }
  if (update.state === 'TASK_STAGING' || update.state === 'TASK_STARTING') next.health = { mode: 'STARTING', healthy: false, loadBytes: node.health?.loadBytes ?? 0, at: now };
  return next;
}

export function applyHealth(node: CassandraNode, report: Omit<HealthReport, 'type' | 'node'>, now: number): CassandraNode {
  const health: NodeHealth = { mode: report.mode, healthy: report.healthy, loadBytes: report.loadBytes, at: now };
  const next: CassandraNode = { ...node, health };
  if (report.pid !== undefined) next.cassandraDaemonPid = report.pid;
  if (report.healthy && report.mode === 'NORMAL') {
    if (next.replacementForIp !== undefined) {
      delete next.replacementForIp;
      delete next.replacementForPort;
      delete next.replacementRequestedAt;
    }
    if (next.failures !== undefined) {
      delete next.failures;
      delete next.lastFailureAt;
    }
  }
  return next;
}

function parseReport(text: string): Omit<HealthReport, 'type' | 'node'> | undefined {
  try {
    const r = JSON.parse(text) as Partial<HealthReport>;
    if (typeof r.healthy !== 'boolean' || typeof r.mode !== 'string') return undefined;
    return { mode: r.mode, healthy: r.healthy, loadBytes: Number(r.loadBytes) || 0, ...(typeof r.pid === 'number' ? { pid: r.pid } : {}) };
  } catch {
    return undefined;
  }
}
