// The scheduler's durable state and how task status updates change it, pure. A node is a named member
// (es-0, es-1 …) that keeps its name, and with volumes its agent, across task restarts: a node killed by
// accident comes back on the agent that holds its data. Only a scale-down removes a node, and then its
// volume goes on the `released` list until an offer from its agent lets the scheduler destroy it.
import type { HealthColour } from './health.js';

export type NodeTaskState = 'staging' | 'running' | 'killing';

export interface NodeTask {
  id: string;
  agentId: string;
  hostname: string;
  httpPort: number;
  transportPort: number;
  state: NodeTaskState;
  health: HealthColour;
}

export interface EsNode {
  name: string;
  /** Launch order (the newest node is removed first). */
  launchedAt: number;
  /** Persistent volume id, when the framework role allows volumes. */
  persistenceId?: string;
  /** The agent holding the node's volume: the node only goes back there. */
  agentId?: string;
  /** HTTP and transport ports of its last task: taken again when the node goes back (they are reserved for it). */
  ports?: [number, number];
  /** Tasks in a row that ended before running: after two, the node stops insisting on its old ports. */
  failures?: number;
  task?: NodeTask;
  /** Being removed by a scale-down: once its task ends the node is forgotten. */
  removing?: boolean;
}

export interface ClusterState {
  desired: number;
  nodes: EsNode[];
  nextIndex: number;
  /** True once a node has run: later nodes join by seed hosts, none bootstraps (initial master nodes) again. */
  formed: boolean;
  /** Volumes of removed nodes to destroy and unreserve when their agent offers them. */
  released: Array<{ persistenceId: string; agentId: string }>;
}

export function emptyState(desired: number): ClusterState {
  return { desired, nodes: [], nextIndex: 0, formed: false, released: [] };
}

const TERMINAL = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN']);

export function isTerminal(state: string): boolean {
  return TERMINAL.has(state);
}

/** Executor status data: `{"health":"green","nodes":2}` (absent in reconciliation answers). */
export function parseStatusHealth(data: Uint8Array | undefined): HealthColour | undefined {
  if (data === undefined || data.length === 0) return undefined;
  try {
    const h = (JSON.parse(new TextDecoder().decode(data)) as { health?: unknown }).health;
    return h === 'green' || h === 'yellow' || h === 'red' || h === 'unknown' ? h : undefined;
  } catch {
    return undefined;
  }
}

export type UpdateOutcome = { kind: 'unknown-task' } | { kind: 'changed'; state: ClusterState; removed?: EsNode };

/** Applies a task status update. A terminal update clears the task; a removing node is then forgotten. */
export function applyUpdate(state: ClusterState, taskId: string, taskState: string, data: Uint8Array | undefined): UpdateOutcome {
  const node = state.nodes.find((n) => n.task?.id === taskId);
  if (node === undefined || node.task === undefined) return { kind: 'unknown-task' };
  if (isTerminal(taskState)) {
    if (node.removing) {
      const released = node.persistenceId !== undefined && node.agentId !== undefined ? [...state.released, { persistenceId: node.persistenceId, agentId: node.agentId }] : state.released;
      return { kind: 'changed', state: { ...state, nodes: state.nodes.filter((n) => n !== node), released }, removed: node };
    }
    const { task: _gone, ...rest } = node;
    const failures = node.task.state === 'running' ? 0 : (node.failures ?? 0) + 1;
    return { kind: 'changed', state: { ...state, nodes: state.nodes.map((n) => (n === node ? { ...rest, failures } : n)) } };
  }
  const health = parseStatusHealth(data) ?? node.task.health;
  const running = taskState === 'TASK_RUNNING';
  const next: NodeTask = { ...node.task, health, state: node.task.state === 'killing' ? 'killing' : running ? 'running' : 'staging' };
  return { kind: 'changed', state: { ...state, formed: state.formed || running, nodes: state.nodes.map((n) => (n === node ? { ...n, task: next, ...(running ? { failures: 0 } : {}) } : n)) } };
}

/** Whether offers are needed: a node to (re)launch, a missing node, or a volume to release. */
export function needsOffers(state: ClusterState): boolean {
  const members = state.nodes.filter((n) => !n.removing);
  return members.length < state.desired || members.some((n) => n.task === undefined) || state.released.length > 0;
}

/** Mesos' state name for the REST API. */
export function mesosState(t: NodeTask): string {
  return t.state === 'running' ? 'TASK_RUNNING' : t.state === 'killing' ? 'TASK_KILLING' : 'TASK_STAGING';
}
