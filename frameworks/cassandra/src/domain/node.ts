// A Cassandra node of the ring as the scheduler keeps it (upstream's CassandraNode, trimmed): where it runs,
// whether it is a seed, what it should be doing (targetRunState), what it last reported, and the persistent
// volume it owns. Pure data; every change goes through the functions in commands.ts and run-state.ts.

export type RunState = 'RUN' | 'STOP' | 'RESTART' | 'TERMINATE';

/** What the executor last reported about the Cassandra process (upstream's operation modes, simplified). */
export type NodeMode = 'UNKNOWN' | 'STARTING' | 'JOINING' | 'NORMAL' | 'LEAVING' | 'DRAINED' | 'DOWN';

export interface NodeHealth {
  mode: NodeMode;
  /** The node answers CQL. */
  healthy: boolean;
  /** Bytes on disk, as nodetool info's Load. */
  loadBytes: number;
  /** When the report was received, ms since epoch (given by the caller: the domain has no clock). */
  at: number;
}

export interface CassandraNode {
  /** Stable name: `node-0`, `node-1` … (also the persistence id's suffix). */
  name: string;
  /** The agent it is bound to (one node per agent), once placed. */
  agentId?: string;
  hostname?: string;
  /** The agent's address: Cassandra's listen and rpc address. */
  ip?: string;
  seed: boolean;
  targetRunState: RunState;
  /** Ports from the offer the node first launched with (kept so it returns to the same ones). */
  ports?: { storage: number; native: number; jmx: number };
  /** Executor and task of the current (or last) launch. */
  executorId?: string;
  taskId?: string;
  /** Mesos task state of taskId (TASK_RUNNING, TASK_FAILED …), undefined when never launched. */
  taskState?: string;
  health?: NodeHealth;
  /** Set on a replacement node: the dead node's ip, passed as -Dcassandra.replace_address_first_boot until healthy. */
  replacementForIp?: string;
  /** The dead node's storage port: replace_address is ip:port, as nodes of one ring may use different ports. */
  replacementForPort?: number;
  /** When the replacement was asked for, ms (placement keeps it off the dead node's address for a while). */
  replacementRequestedAt?: number;
  /** ms since epoch of the last server launch (bootstrap grace is measured from it). */
  lastLaunchAt?: number;
  lastRepairAt?: number;
  lastCleanupAt?: number;
  /** Pid of the Cassandra process on its agent, as the executor last reported it (upstream's cassandraDaemonPid). */
  cassandraDaemonPid?: number;
  /** Failures of the node's process in a row (reset once it is NORMAL again) and when the last one was, ms. */
  failures?: number;
  lastFailureAt?: number;
  /** On a TERMINATEd node: the name of the node that replaces it (until then the dead node keeps its slot). */
  replacedBy?: string;
  /** A TERMINATEd node's reservation and volume were given back (DESTROY + UNRESERVE accepted). */
  volumeReleased?: boolean;
}

export function persistenceId(clusterName: string, node: Pick<CassandraNode, 'name'>): string {
  return `cassandra-${clusterName.replace(/[^A-Za-z0-9_-]/g, '_')}-${node.name}`;
}

/**
 * Counts towards the node count: any node not terminated, and a terminated one until it is replaced (upstream:
 * terminating a node does not start a new one; `replace` does, with the dead node's address).
 */
export function holdsSlot(node: CassandraNode): boolean {
  return node.targetRunState !== 'TERMINATE' || node.replacedBy === undefined;
}

/** Live: its task runs (or is starting) and it has not been told to terminate. */
export function isLive(node: CassandraNode): boolean {
  return node.taskState === 'TASK_RUNNING' || node.taskState === 'TASK_STARTING' || node.taskState === 'TASK_STAGING';
}

export function isHealthyRunning(node: CassandraNode): boolean {
  return node.taskState === 'TASK_RUNNING' && node.health?.healthy === true && node.health.mode === 'NORMAL';
}

/** Finds a node by name, ip, hostname or executor id, as upstream's `{node}` path parameter. */
export function findNode(nodes: readonly CassandraNode[], key: string): CassandraNode | undefined {
  return nodes.find((n) => n.name === key) ?? nodes.find((n) => n.ip === key || n.executorId === key) ?? nodes.find((n) => n.hostname === key);
}
