// What the scheduler puts in a node's TaskInfo.data for its executor, and the messages the two exchange
// (Mesos framework messages, JSON). Pure data and parsers: a malformed message is ignored, never thrown.
import type { NodeLaunchInput } from './node-launch.js';
import type { JobType } from './jobs.js';
import type { NodeMode } from './node.js';

/** Where the node's persistent volume is mounted, relative to the executor's sandbox. */
export const VOLUME_PATH = 'volume';

export interface NodeTaskData {
  /** nodeLaunch()'s input; volumeDir is relative to the sandbox (the executor makes it absolute). */
  launch: NodeLaunchInput;
  /** The distribution as the executor finds it: a directory name in the sandbox (fetched) or an absolute path. */
  distribution: string;
  healthIntervalSeconds: number;
}

/** executor → scheduler: the node's state every health interval (and once at TASK_RUNNING, in the status data). */
export interface HealthReport {
  type: 'health';
  node: string;
  mode: NodeMode;
  healthy: boolean;
  loadBytes: number;
  pid?: number;
}

/** scheduler → executor: run one cluster job step with nodetool. */
export interface JobRequest {
  type: 'job';
  jobId: string;
  job: JobType;
}

/** executor → scheduler: the step's outcome. */
export interface JobResult {
  type: 'job-result';
  jobId: string;
  node: string;
  ok: boolean;
  output: string;
}

export type ExecutorMessage = HealthReport | JobResult;

export function encodeMessage(m: HealthReport | JobRequest | JobResult): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(m));
}

/** A message from an executor, or undefined when it is not one of ours. */
export function parseExecutorMessage(data: Uint8Array): ExecutorMessage | undefined {
  const m = parseJson(data);
  if (m === undefined) return undefined;
  if (m.type === 'health' && typeof m.node === 'string' && typeof m.healthy === 'boolean' && typeof m.mode === 'string') {
    return { type: 'health', node: m.node, mode: m.mode as NodeMode, healthy: m.healthy, loadBytes: Number(m.loadBytes) || 0, ...(typeof m.pid === 'number' ? { pid: m.pid } : {}) };
  }
  if (m.type === 'job-result' && typeof m.jobId === 'string' && typeof m.node === 'string' && typeof m.ok === 'boolean') {
    return { type: 'job-result', jobId: m.jobId, node: m.node, ok: m.ok, output: String(m.output ?? '') };
  }
  return undefined;
}

export function parseJobRequest(data: Uint8Array): JobRequest | undefined {
  const m = parseJson(data);
  if (m?.type !== 'job' || typeof m.jobId !== 'string' || !['repair', 'cleanup', 'rolling-restart'].includes(String(m.job))) return undefined;
  return { type: 'job', jobId: m.jobId, job: m.job as JobType };
}

function parseJson(data: Uint8Array): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(data));
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
