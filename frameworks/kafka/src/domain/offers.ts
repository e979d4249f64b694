// Offer -> plan decisions for brokers, pure: turns brokers into framework-kit plan members (resources,
// ports, constraints, failover, stickiness, a persistent volume each), runs the plan engine offer by offer
// (a port range is resolved against each offer), and builds the TaskInfos (custom executor, task data) for
// the launches. Persistent volumes need a role to reserve for: with role `*` brokers keep their data in
// the sandbox (as kafka-mesos did), tied to their host by stickiness only. The scheduler applies the result: ACCEPT with operations, DECLINE, KILL, SUPPRESS/REVIVE.
import { computePlan, executorCommandInfo, parseConstraints, type Accept, type ExecutorSpec, type MemberSpec, type ObservedTask, type Plan } from '@mesos-ts/framework-kit';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { DEFAULT_DISK_MB, volumeId, type Broker, type BrokerTask } from './broker.js';
import { brokerLaunch, DATA_PATH, type ClusterMode } from './broker-launch.js';
import { formatVoters, voterIds } from './quorum.js';

export interface OfferPlanInput {
  frameworkName: string;
  role: string;
  principal: string;
  brokers: readonly Broker[];
  offers: readonly v1.Offer[];
  now: number;
  suppressed: boolean;
  /** Persistence ids of removed brokers' volumes to destroy and unreserve. */
  released: readonly string[];
  /** KRaft: `voters` is the stored quorum, undefined until the first launch round forms it (quorum.ts). */
  mode: Omit<ClusterMode, 'voters' | 'volumes'> & { voters: string | undefined };
  executor: ExecutorSpec;
  /** Fresh uuid per launched task (injected for replayable tests). */
  uuid: () => string;
}

export interface BrokerLaunchPlan {
  offerId: string;
  agentId: string;
  /** RESERVE/CREATE/DESTROY/UNRESERVE then LAUNCH. */
  operations: v1.Offer.Operation[];
  /** The tasks launched, to record on the brokers before sending the ACCEPT. */
  tasks: Array<{ brokerId: number; task: BrokerTask; volumeAgentId: string }>;
}

export interface OfferPlan {
  accepts: BrokerLaunchPlan[];
  declines: Plan['declines'];
  kills: Plan['kills'];
  deactivate: number[];
  /** Brokers that fit no offer, with the reason per agent (`host: reason`). */
  unplaced: Array<{ brokerId: number; reasons: string[] }>;
  suppress: boolean;
  revive: boolean;
  wakeAt: number | undefined;
  /** KRaft: the quorum this round formed (the first launches of the cluster), to store before accepting. */
  formedVoters: string | undefined;
}

export function planOffers(input: OfferPlanInput): OfferPlan {
  const kraft = input.mode.zk === undefined;
  // Until the quorum is formed every broker may become a voter (two ports); after, only the stored voters are.
  const voter = (b: Broker): boolean => kraft && (input.mode.voters === undefined || voterIds(input.mode.voters).includes(b.id));
  const tasks: ObservedTask[] = input.brokers.flatMap((b) =>
    b.task === undefined ? [] : [{ memberId: String(b.id), taskId: b.task.id, agentId: b.task.agentId, node: { ...b.task.attributes, hostname: b.task.hostname }, state: taskState(b.task) }],
  );
  const base = { role: input.role, principal: input.principal, now: input.now, suppressed: input.suppressed };
  const overall = computePlan({ ...base, members: input.brokers.map((b) => member(b, input, undefined, voter(b))), tasks, offers: [] });
  const accepts: Accept[] = [];
  const declines: Plan['declines'] = [];
  const reasons = new Map<string, string[]>();
  const placed = new Set<string>();
  for (const offer of input.offers) {
    const members = input.brokers.filter((b) => !placed.has(String(b.id))).map((b) => member(b, input, offer, voter(b)));
    const plan = computePlan({ ...base, members, tasks, offers: [offer], released: input.released });
    for (const u of plan.unplaced) reasons.set(u.memberId, [...(reasons.get(u.memberId) ?? []), ...u.reasons]);
    declines.push(...plan.declines);
    for (const a of plan.accepts) {
      accepts.push(a);
      for (const l of a.launches) {
        placed.add(l.memberId);
        tasks.push({ memberId: l.memberId, taskId: '', agentId: a.agentId, node: { hostname: a.hostname }, state: 'TASK_STAGING' });
      }
    }
  }
  const unplaced = overall.unplaced.filter((u) => !placed.has(u.memberId)).map((u) => ({ brokerId: Number(u.memberId), reasons: reasons.get(u.memberId) ?? [] }));
  const needsOffers = unplaced.length > 0 || input.released.length > 0;
  const refuse = needsOffers ? 5 : 120;
  for (const d of declines) d.refuseSeconds = refuse;
  const launches = buildLaunches(accepts, input, kraft);
  return {
    accepts: launches.plans,
    formedVoters: launches.formedVoters,
    declines,
    kills: overall.kills,
    deactivate: overall.deactivate.map(Number),
    unplaced,
    suppress: !needsOffers && !input.suppressed,
    revive: needsOffers && input.suppressed,
    wakeAt: overall.wakeAt,
  };
}

function taskState(t: BrokerTask): v1.TaskState {
  return t.state === 'running' ? 'TASK_RUNNING' : t.state === 'stopping' ? 'TASK_KILLING' : 'TASK_STAGING';
}

/** "For good" as a stickiness period: 100 years (a finite time, so it still formats as a date). */
const PINNED_MS = 100 * 365 * 86_400_000;

function member(b: Broker, input: OfferPlanInput, offer: v1.Offer | undefined, voter: boolean): MemberSpec {
  const spec: MemberSpec = {
    id: String(b.id),
    active: b.active,
    request: { cpus: b.cpus, mem: b.mem, ports: ports(b, offer, voter) },
    ...(input.role === '*' ? {} : { volume: { persistenceId: volumeId(input.frameworkName, b), containerPath: DATA_PATH, volumeMb: b.disk ?? DEFAULT_DISK_MB, ...(b.volumeAgentId === undefined ? {} : { agentId: b.volumeAgentId }) } }),
    failover: { policy: { delayMs: b.failover.delay, maxDelayMs: b.failover.maxDelay, ...(b.failover.maxTries === undefined ? {} : { maxTries: b.failover.maxTries }) }, state: { failures: b.failover.failures, failureTime: b.failover.failureTime } },
    stickiness: { periodMs: b.stickiness.period, state: { hostname: b.stickiness.hostname, stopTime: b.stickiness.stopTime } },
  };
  // A KRaft voter without a volume (role *) is kept on its host for good: the quorum names it there.
  if (voter && input.mode.voters !== undefined && input.role === '*' && b.placement !== undefined) {
    spec.stickiness = { periodMs: PINNED_MS, state: { hostname: b.placement.hostname, stopTime: b.stickiness.stopTime ?? input.now } };
  }
  if (b.constraints !== undefined) spec.constraints = parseConstraints(b.constraints);
  return spec;
}

/**
 * The ports a broker asks for: auto = any (2 for a KRaft voter: listener + controller); a fixed port p (a
 * voter: p and p+1); a range: the lowest offered port(s) inside it. A voter reuses its ports (quorum.ts).
 */
function ports(b: Broker, offer: v1.Offer | undefined, voter: boolean): number | number[] {
  const n = voter ? 2 : 1;
  if (voter && b.placement?.controllerPort !== undefined) return [b.placement.port, b.placement.controllerPort];
  if (b.port === undefined) return n;
  if (b.port.from === b.port.to || offer === undefined) return Array.from({ length: n }, (_, i) => b.port!.from + i);
  const offered = new Set(Resources.fromProto(offer.resources ?? []).toProto().flatMap((r) => (r.name === 'ports' ? (r.ranges?.range ?? []).flatMap((x) => rangeList(Number(x.begin), Number(x.end), b.port!.from, b.port!.to)) : [])));
  for (let p = b.port.from; p + n - 1 <= b.port.to; p++) if (offered.has(p) && (n === 1 || offered.has(p + 1))) return Array.from({ length: n }, (_, i) => p + i);
  return Array.from({ length: n }, (_, i) => b.port!.from + i);
}

function rangeList(begin: number, end: number, from: number, to: number): number[] {
  const out: number[] = [];
  for (let p = Math.max(begin, from); p <= Math.min(end, to); p++) out.push(p);
  return out;
}

function buildLaunches(accepts: readonly Accept[], input: OfferPlanInput, kraft: boolean): { plans: BrokerLaunchPlan[]; formedVoters: string | undefined } {
  const byId = new Map(input.brokers.map((b) => [String(b.id), b]));
  // KRaft: the first round that launches brokers forms the quorum from exactly those brokers (quorum.ts).
  const launched = accepts.flatMap((a) => a.launches.map((l) => ({ id: Number(l.memberId), hostname: a.hostname, controllerPort: l.ports[1]! })));
  const formedVoters = kraft && input.mode.voters === undefined && launched.length > 0 ? formatVoters(launched) : undefined;
  const voters = input.mode.voters ?? formedVoters ?? '';
  const isVoter = new Set(voterIds(voters));
  const plans = accepts.map((a) => {
    const tasks: BrokerLaunchPlan['tasks'] = [];
    const infos: v1.TaskInfo[] = a.launches.map((l) => {
      const b = byId.get(l.memberId)!;
      const id = `broker-${b.id}-${input.uuid()}`;
      const port = l.ports[0]!;
      const controllerPort = kraft && isVoter.has(b.id) ? l.ports[1] : undefined;
      const attributes = attributesOf(input.offers.find((o) => o.id.value === a.offerId));
      tasks.push({ brokerId: b.id, volumeAgentId: a.agentId, task: { id, agentId: a.agentId, executorId: id, hostname: a.hostname, port, controllerPort, attributes, state: 'starting' } });
      const launch = brokerLaunch(b, a.hostname, port, controllerPort, { ...input.mode, voters, volumes: input.role !== '*' }, input.executor.distribution);
      const command = executorCommandInfo(input.executor);
      return {
        name: `broker-${b.id}`,
        task_id: { value: id },
        agent_id: { value: a.agentId },
        resources: l.resources.toProto(),
        executor: { type: 'CUSTOM', executor_id: { value: id }, name: `broker-${b.id}`, command },
        data: new TextEncoder().encode(JSON.stringify(launch)),
      };
    });
    const launch: v1.Offer.Operation[] = infos.length === 0 ? [] : [{ type: 'LAUNCH', launch: { task_infos: infos } }];
    return { offerId: a.offerId, agentId: a.agentId, operations: [...a.operations, ...launch], tasks };
  });
  return { plans, formedVoters };
}

function attributesOf(offer: v1.Offer | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of offer?.attributes ?? []) {
    if (a.text !== undefined) out[a.name] = a.text.value;
    else if (a.scalar !== undefined) out[a.name] = String(a.scalar.value);
  }
  return out;
}
