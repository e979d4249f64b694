// The pure reconciliation/plan engine: from the desired members (e.g. brokers 0..2 active), what runs now,
// the offers in hand and `now`, compute a Plan — which offers to accept with which reservations, volumes and
// launches, which tasks to kill, which volumes to release, which offers to decline for how long, and whether
// to suppress or revive offers. Failover backoff, stickiness and placement constraints are applied here.
// The scheduler adapter turns the Plan into calls (building TaskInfos for `launches`); tests assert on it.
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { isTerminalState, matchResources, type ResourceRequest } from '@mesos-ts/scheduler';
import { checkConstraints, offerAttributes, type Constraint, type NodeAttributes } from '../constraints/constraints.js';
import { restartAt, triesExhausted, type FailoverPolicy, type FailoverState } from '../policy/failover.js';
import { allowsHostname, type StickinessState } from '../policy/stickiness.js';
import { placeVolumeTask, releaseVolumeTask, type VolumeTaskSpec } from '../recipe/volume-recipe.js';

export interface MemberSpec {
  id: string;
  /** Desired state: should a task run for this member? */
  active: boolean;
  request: Omit<ResourceRequest, 'role' | 'volume'>;
  constraints?: readonly Constraint[];
  /**
   * A persistent volume the member keeps across restarts (reserved and created on first launch). Once it
   * exists, set `agentId` (the agent of the first launch): the member then only goes back there.
   */
  volume?: Pick<VolumeTaskSpec, 'persistenceId' | 'containerPath' | 'volumeMb'> & { agentId?: string };
  failover?: { policy: FailoverPolicy; state: FailoverState };
  stickiness?: { periodMs: number; state: StickinessState };
}

export interface ObservedTask {
  memberId: string;
  taskId: string;
  agentId: string;
  /** Node the task runs on (hostname included), for constraints against peers. */
  node: NodeAttributes;
  state: v1.TaskState;
}

export interface PlanInput {
  role: string;
  principal: string;
  members: readonly MemberSpec[];
  tasks: readonly ObservedTask[];
  offers: readonly v1.Offer[];
  now: number;
  /** Whether offers are currently suppressed for the role. */
  suppressed: boolean;
  /** Persistence ids of removed members whose volumes and reservations must be released. */
  released?: readonly string[];
  /** Refuse seconds for declined offers while members wait for a fit. Default 5 (Mesos' default filter). */
  shortRefuseSeconds?: number;
  /** Refuse seconds for declined offers when nothing needs offers. Default 120. */
  longRefuseSeconds?: number;
}

export interface Launch {
  memberId: string;
  /** Resources for the TaskInfo (volume included). */
  resources: Resources;
  ports: number[];
}

export interface Accept {
  offerId: string;
  agentId: string;
  hostname: string;
  /** RESERVE / CREATE / DESTROY / UNRESERVE, in order; the LAUNCH of `launches` goes after them. */
  operations: v1.Offer.Operation[];
  launches: Launch[];
}

export interface Plan {
  accepts: Accept[];
  declines: Array<{ offerId: string; refuseSeconds: number }>;
  kills: Array<{ taskId: string; agentId: string }>;
  /** Members whose failover tries are exhausted: mark them inactive. */
  deactivate: string[];
  /** Members held back by their failover delay, and until when (ms). */
  waiting: Array<{ memberId: string; until: number }>;
  /** Members that no offer fitted, with each offer's reason (for `broker list` / logs). */
  unplaced: Array<{ memberId: string; reasons: string[] }>;
  suppress: boolean;
  revive: boolean;
  /** When to plan again without a new event (earliest failover delay end), if any. */
  wakeAt: number | undefined;
}

export function computePlan(input: PlanInput): Plan {
  const live = input.tasks.filter((t) => !isTerminalState(t.state));
  const byId = new Map(input.members.map((m) => [m.id, m]));
  const kills = live
    .filter((t) => t.state !== 'TASK_KILLING' && byId.get(t.memberId)?.active !== true)
    .map((t) => ({ taskId: t.taskId, agentId: t.agentId }));

  const running = new Set(live.map((t) => t.memberId));
  const deactivate: string[] = [];
  const waiting: Plan['waiting'] = [];
  const ready: MemberSpec[] = [];
  for (const m of [...input.members].sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }))) {
    if (!m.active || running.has(m.id)) continue;
    if (m.failover !== undefined && triesExhausted(m.failover.policy, m.failover.state)) {
      deactivate.push(m.id);
      continue;
    }
    const until = m.failover === undefined ? undefined : restartAt(m.failover.policy, m.failover.state, input.now);
    if (until !== undefined) waiting.push({ memberId: m.id, until });
    else ready.push(m);
  }

  // Where each member runs (or will run after this plan), for constraints against peers.
  const placed = new Map<string, NodeAttributes>(live.map((t) => [t.memberId, t.node]));
  const reasons = new Map<string, string[]>(ready.map((m) => [m.id, []]));
  const accepts: Accept[] = [];
  const declines: Plan['declines'] = [];
  const released = new Set(input.released ?? []);
  for (const offer of input.offers) {
    const accept: Accept = { offerId: offer.id.value, agentId: offer.agent_id.value, hostname: offer.hostname, operations: [], launches: [] };
    let left = Resources.fromProto(offer.resources ?? []);
    for (const persistenceId of released) {
      const ops = releaseVolumeTask({ resources: left.toProto() }, { persistenceId, role: input.role });
      accept.operations.push(...ops);
      left = ops.reduce((r, op) => r.apply(op), left);
    }
    const node = offerAttributes(offer);
    for (const m of ready) {
      if (placed.has(m.id)) continue;
      const why = unfit(m, offer, node, placed, input.now);
      const placement = why === undefined ? place(m, left, input) : { kind: 'unfit' as const, reason: why };
      if (placement.kind === 'unfit') {
        reasons.get(m.id)!.push(`${offer.hostname}: ${placement.reason}`);
        continue;
      }
      accept.operations.push(...placement.operations);
      left = placement.operations.reduce((r, op) => r.apply(op), left).subtract(placement.resources);
      accept.launches.push({ memberId: m.id, resources: placement.resources, ports: placement.ports });
      placed.set(m.id, node);
    }
    if (accept.operations.length > 0 || accept.launches.length > 0) accepts.push(accept);
    else declines.push({ offerId: accept.offerId, refuseSeconds: 0 });
  }

  const unplacedIds = ready.filter((m) => !placed.has(m.id)).map((m) => m.id);
  const needsOffers = unplacedIds.length > 0 || released.size > 0;
  const refuse = needsOffers ? (input.shortRefuseSeconds ?? 5) : (input.longRefuseSeconds ?? 120);
  for (const d of declines) d.refuseSeconds = refuse;
  const wakeAt = waiting.length === 0 ? undefined : Math.min(...waiting.map((w) => w.until));
  return {
    accepts,
    declines,
    kills,
    deactivate,
    waiting,
    unplaced: unplacedIds.map((id) => ({ memberId: id, reasons: reasons.get(id)! })),
    suppress: !needsOffers && !input.suppressed,
    revive: needsOffers && input.suppressed,
    wakeAt,
  };
}

/** Why `m` may not go on this node (stickiness, constraints), before looking at resources. */
function unfit(m: MemberSpec, offer: v1.Offer, node: NodeAttributes, placed: ReadonlyMap<string, NodeAttributes>, now: number): string | undefined {
  const hostname = offer.hostname;
  if (m.volume?.agentId !== undefined && m.volume.agentId !== offer.agent_id.value) return `its volume ${m.volume.persistenceId} lives on agent ${m.volume.agentId}`;
  if (m.stickiness !== undefined && !allowsHostname(m.stickiness.periodMs, m.stickiness.state, hostname, now)) {
    return `stickiness keeps it on ${m.stickiness.state.hostname} until ${new Date(m.stickiness.state.stopTime! + m.stickiness.periodMs).toISOString()}`;
  }
  if (m.constraints === undefined || m.constraints.length === 0) return undefined;
  const peers = [...placed].filter(([id]) => id !== m.id).map(([, n]) => n);
  return checkConstraints(m.constraints, node, peers);
}

function place(
  m: MemberSpec,
  left: Resources,
  input: PlanInput,
): { kind: 'launch'; operations: v1.Offer.Operation[]; resources: Resources; ports: number[] } | { kind: 'unfit'; reason: string } {
  if (m.volume !== undefined) {
    const { persistenceId, containerPath, volumeMb } = m.volume;
    return placeVolumeTask({ resources: left.toProto() }, { persistenceId, containerPath, volumeMb, role: input.role, principal: input.principal, request: m.request });
  }
  const match = matchResources(left, { ...m.request, role: input.role });
  return match.ok ? { kind: 'launch', operations: [], resources: match.resources, ports: match.ports } : { kind: 'unfit', reason: match.reason };
}
