// The operator's commands on the ring, pure: each takes the current nodes and returns the new ones (never
// mutating its input), or throws a CassandraError and so changes nothing. The REST layer stores the result.
import type { CassandraConfig } from './config.js';
import { CassandraError } from './errors.js';
import { findNode, holdsSlot, isLive, type CassandraNode, type RunState } from './node.js';
import { transition } from './run-state.js';

export interface RingState {
  config: CassandraConfig;
  nodes: CassandraNode[];
}

/** POST /scale/nodes?nodeCount=N: grow only, as upstream (shrinking a ring needs decommission, not a count). */
export function scaleNodes(state: RingState, raw: string | null): RingState {
  if (raw === null || !/^\d+$/.test(raw.trim())) {
    throw new CassandraError('INVALID_PARAMETER', `nodeCount='${raw ?? ''}' is not a whole number; use POST /scale/nodes?nodeCount=N`);
  }
  const nodeCount = Number(raw);
  const current = Math.max(state.config.nodeCount, state.nodes.filter(holdsSlot).length);
  if (nodeCount < current) {
    throw new CassandraError('SCALE_DOWN', `nodeCount=${nodeCount} is below the current ${current} nodes; scaling down is not supported (terminate a node instead)`);
  }
  if (nodeCount > 1000) throw new CassandraError('INVALID_PARAMETER', `nodeCount=${nodeCount} is over the limit of 1000`);
  return { ...state, config: { ...state.config, nodeCount } };
}

/** stop | start | restart | terminate of one node. */
export function setRunState(state: RingState, key: string, action: 'stop' | 'start' | 'restart' | 'terminate'): { state: RingState; node: CassandraNode } {
  const node = mustFind(state.nodes, key);
  const target: RunState = action === 'stop' ? 'STOP' : action === 'start' ? 'RUN' : action === 'restart' ? 'RESTART' : 'TERMINATE';
  const updated = { ...node, targetRunState: transition(node.name, node.targetRunState, target) };
  return { state: replaceNode(state, updated), node: updated };
}

/**
 * POST /node/{node}/replace: upstream's preconditions (not a seed, not live, TERMINATEd, no task). On success a
 * new node is added carrying replacementForIp; it launches with -Dcassandra.replace_address_first_boot.
 */
export function replaceDeadNode(state: RingState, key: string, now?: number): { state: RingState; node: CassandraNode } {
  const dead = mustFind(state.nodes, key);
  const why = dead.seed
    ? 'it is a seed (make another node a seed and this one a non-seed first)'
    : isLive(dead)
      ? `it is live (task ${dead.taskState}); terminate it first`
      : dead.targetRunState !== 'TERMINATE'
        ? `it is ${dead.targetRunState}, not TERMINATE; POST /node/${dead.name}/terminate first`
        : dead.ip === undefined
          ? 'it never ran, so there is no address to replace'
          : dead.replacedBy !== undefined
            ? `it is already replaced by ${dead.replacedBy}`
            : undefined;
  if (why !== undefined) throw new CassandraError('REPLACE_PRECONDITION_FAILED', `ReplaceNodePreconditionFailed: cannot replace node ${dead.name}: ${why}`);
  const node: CassandraNode = {
    name: nextName(state.nodes),
    seed: false,
    targetRunState: 'RUN',
    replacementForIp: dead.ip,
    // The dead node's ports too: Cassandra 5 fails a replacement whose storage port differs from the dead node's
    // ("is already replacing …:A but is trying to replace …:B": its legacy STATUS names the dead node without a
    // port, which the replacement reads with its own storage port), so it runs where those ports are offered.
    ...(dead.ports === undefined ? {} : { ports: dead.ports, replacementForPort: dead.ports.storage }),
    ...(now === undefined ? {} : { replacementRequestedAt: now }),
  };
  const nodes = state.nodes.map((n) => (n.name === dead.name ? { ...n, replacedBy: node.name } : n));
  return { state: { ...state, nodes: [...nodes, node] }, node };
}

/** make-seed / make-non-seed: refused until the initial seeds exist, and the last live seed cannot be demoted. */
export function setSeed(state: RingState, key: string, seed: boolean): { state: RingState; node: CassandraNode } {
  const node = mustFind(state.nodes, key);
  const seeds = state.nodes.filter((n) => n.seed && n.targetRunState !== 'TERMINATE');
  if (seeds.length < state.config.seedCount && seeds.some((s) => s.ip === undefined)) {
    throw new CassandraError('SEED_CHANGE_REFUSED', `the initial ${state.config.seedCount} seed(s) are not placed yet; retry once they run`);
  }
  if (node.targetRunState === 'TERMINATE') throw new CassandraError('SEED_CHANGE_REFUSED', `node ${node.name} is terminated`);
  if (!seed && node.seed && seeds.filter((s) => s.name !== node.name && isLive(s)).length === 0) {
    throw new CassandraError('SEED_CHANGE_REFUSED', `node ${node.name} is the last live seed; make another node a seed first`);
  }
  const updated = { ...node, seed };
  return { state: replaceNode(state, updated), node: updated };
}

/** New node records until the config's nodeCount non-terminated nodes exist; the first seedCount are seeds. */
export function ensureNodes(state: RingState): RingState {
  const nodes = [...state.nodes];
  const wanted = () => nodes.filter(holdsSlot).length;
  while (wanted() < state.config.nodeCount) {
    const seeds = nodes.filter((n) => n.seed && n.targetRunState !== 'TERMINATE').length;
    nodes.push({ name: nextName(nodes), seed: seeds < state.config.seedCount, targetRunState: 'RUN' });
  }
  return nodes.length === state.nodes.length ? state : { ...state, nodes };
}

function nextName(nodes: readonly CassandraNode[]): string {
  const used = new Set(nodes.map((n) => n.name));
  let i = 0;
  while (used.has(`node-${i}`)) i++;
  return `node-${i}`;
}

function mustFind(nodes: readonly CassandraNode[], key: string): CassandraNode {
  const node = findNode(nodes, key);
  if (node === undefined) {
    const known = nodes.map((n) => n.name + (n.ip ? ` (${n.ip})` : '')).join(', ') || 'none';
    throw new CassandraError('UNKNOWN_NODE', `no node '${key}' (by name, ip, hostname or executor id); known: ${known}`);
  }
  return node;
}

function replaceNode(state: RingState, node: CassandraNode): RingState {
  return { ...state, nodes: state.nodes.map((n) => (n.name === node.name ? node : n)) };
}
