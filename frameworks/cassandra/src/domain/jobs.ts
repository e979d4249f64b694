// Cluster jobs (repair, cleanup, rolling-restart) run one node at a time, as upstream. Pure: the scheduler asks
// nextJobNode() which node to run on next, and records each node's result with jobNodeDone().
import { CassandraError } from './errors.js';
import { isHealthyRunning, type CassandraNode } from './node.js';

export type JobType = 'repair' | 'cleanup' | 'rolling-restart';
export const JOB_TYPES: readonly JobType[] = ['repair', 'cleanup', 'rolling-restart'];

export interface ClusterJob {
  type: JobType;
  startedAt: number;
  finishedAt?: number;
  aborted: boolean;
  /** The node the job runs on now. */
  currentNode?: string;
  /** Nodes finished, with what happened on each. */
  completed: Array<{ node: string; ok: boolean; output: string; at: number }>;
  /** Nodes the job still has to visit (the live ring at start). */
  remaining: string[];
}

export interface JobsState {
  current?: ClusterJob;
  last: Partial<Record<JobType, ClusterJob>>;
}

export function parseJobType(raw: string): JobType {
  if (!(JOB_TYPES as readonly string[]).includes(raw)) throw new CassandraError('INVALID_PARAMETER', `unknown cluster job '${raw}'; use one of ${JOB_TYPES.join(', ')}`);
  return raw as JobType;
}

export function startJob(jobs: JobsState, type: JobType, nodes: readonly CassandraNode[], now: number): JobsState {
  if (jobs.current !== undefined) throw new CassandraError('JOB_CONFLICT', `a ${jobs.current.type} job is running (on ${jobs.current.currentNode ?? 'no node yet'}); abort it or wait`);
  const targets = nodes.filter(isHealthyRunning).map((n) => n.name);
  if (targets.length === 0) throw new CassandraError('JOB_CONFLICT', `no node is running and healthy: nothing to ${type}`);
  return { ...jobs, current: { type, startedAt: now, aborted: false, completed: [], remaining: targets } };
}

export function abortJob(jobs: JobsState, type: JobType, now: number): JobsState {
  if (jobs.current?.type !== type) throw new CassandraError('JOB_CONFLICT', `no ${type} job is running`);
  const done = { ...jobs.current, aborted: true, finishedAt: now, currentNode: undefined };
  return { current: undefined, last: { ...jobs.last, [type]: done } };
}

/** The next node to run the job on, marking it current; undefined when a node is already in progress or none remain. */
export function nextJobNode(jobs: JobsState): { jobs: JobsState; node?: string } {
  const job = jobs.current;
  if (job === undefined || job.currentNode !== undefined || job.remaining.length === 0) return { jobs };
  const [node, ...rest] = job.remaining;
  return { jobs: { ...jobs, current: { ...job, currentNode: node, remaining: rest } }, node };
}

export function jobNodeDone(jobs: JobsState, node: string, ok: boolean, output: string, now: number): JobsState {
  const job = jobs.current;
  if (job === undefined || job.currentNode !== node) return jobs;
  const updated: ClusterJob = { ...job, currentNode: undefined, completed: [...job.completed, { node, ok, output: output.slice(-2000), at: now }] };
  if (updated.remaining.length > 0) return { ...jobs, current: updated };
  const finished = { ...updated, finishedAt: now };
  return { current: undefined, last: { ...jobs.last, [job.type]: finished } };
}

/** What `GET /cluster/{job}/status` shows (upstream: running, current node, completed nodes). */
export function jobStatus(jobs: JobsState, type: JobType): { running: boolean; job?: ClusterJob } {
  return jobs.current?.type === type ? { running: true, job: jobs.current } : { running: false, job: jobs.last[type] };
}
