// Safe scale-down, one node at a time (upstream reaped extra tasks at once and could lose shards): pick the
// newest node, exclude it from shard allocation, wait until it holds no shard, kill it, clear the exclusion,
// repeat. A transition table keeps each step explicit; the scheduler performs the I/O of each state.

export type ScaleDownState = 'idle' | 'excluding' | 'draining' | 'killing' | 'clearing';
export type ScaleDownEvent = 'too-many-nodes' | 'excluded' | 'drained' | 'killed' | 'cleared' | 'failed';

const TABLE: Readonly<Record<ScaleDownState, Partial<Record<ScaleDownEvent, ScaleDownState>>>> = {
  idle: { 'too-many-nodes': 'excluding' },
  excluding: { excluded: 'draining', failed: 'idle' },
  draining: { drained: 'killing', failed: 'clearing' },
  killing: { killed: 'clearing', failed: 'clearing' },
  clearing: { cleared: 'idle', failed: 'idle' },
};

export function nextScaleDown(state: ScaleDownState, event: ScaleDownEvent): ScaleDownState {
  const next = TABLE[state][event];
  if (next === undefined) throw new Error(`scale-down: event '${event}' is not expected in state '${state}'`);
  return next;
}

export interface NodeRef {
  name: string;
  launchedAt: number;
}

/** The node to remove next: the newest (the oldest hold the longest-settled shards), undefined when none must go. */
export function pickNodeToRemove(nodes: readonly NodeRef[], desired: number): NodeRef | undefined {
  if (nodes.length <= desired) return undefined;
  return [...nodes].sort((a, b) => b.launchedAt - a.launchedAt || b.name.localeCompare(a.name))[0];
}

/** cluster.routing.allocation.exclude._name value for the nodes being drained ('' clears it). */
export function exclusionSetting(names: readonly string[]): { transient: Record<string, string | null> } {
  return { transient: { 'cluster.routing.allocation.exclude._name': names.length > 0 ? names.join(',') : null } };
}
