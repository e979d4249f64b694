// Offers -> what to do with them, pure. For each offer: first give back a removed node's volume on that agent
// (DESTROY + UNRESERVE), else apply upstream's offer rules (offer-rules.ts) for the one node this agent could
// take — a node whose volume lives there, or a new node while the cluster is smaller than desired — and, when
// they pass, RESERVE + CREATE its persistent volume (framework-kit's volume recipe; with role `*` the data
// stays in the sandbox) and LAUNCH it with its settings, a DiscoveryInfo naming CLIENT_PORT and
// TRANSPORT_PORT, and the custom executor. Everything else is declined with the first rule's reason.
import { executorCommandInfo, placeVolumeTask, releaseVolumeTask, type ExecutorSpec as KitExecutorSpec } from '@mesos-ts/framework-kit';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { matchResources } from '@mesos-ts/scheduler';
import type { ClusterState, EsNode, NodeTask } from './cluster-state.js';
import type { NodeSettingsInput } from './node-settings.js';
import { evaluateOffer, type ClusterView } from './offer-rules.js';

/** The sandbox path the volume is mounted at; the node's data lives below it. */
export const VOLUME_PATH = 'data';

/** The executor's command and URIs: the node's distribution comes as a URI of its own (no `distribution`). */
export type ExecutorSpec = Pick<KitExecutorSpec, 'command' | 'uris'>;

/** What the executor gets as TaskInfo.data: everything to start the node except the product-specific names. */
export interface NodeLaunch {
  settings: Omit<NodeSettingsInput, 'flavour'>;
  /** MB of JVM heap. */
  heapMb: number;
  /** elasticsearch.yml lines from --elasticsearchSettingsLocation, appended to the distribution's. */
  yml?: string;
}

export interface PlanConfig {
  frameworkName: string;
  role: string;
  principal: string;
  clusterName: string;
  cpus: number;
  memMb: number;
  diskMb: number;
  fixedPorts?: readonly [number, number];
  useIpAddress: boolean;
  executor: ExecutorSpec;
  yml?: string;
}

export interface OfferAction {
  offerId: string;
  agentId: string;
  operations: v1.Offer.Operation[];
  /** The node launched by this ACCEPT, to record before sending it. */
  launched?: EsNode;
  /** A released volume given back by this ACCEPT. */
  releasedId?: string;
}

export interface OfferPlan {
  accepts: OfferAction[];
  declines: Array<{ offerId: string; reason: string }>;
  state: ClusterState;
}

export function planOffers(state: ClusterState, offers: readonly v1.Offer[], c: PlanConfig, now: number, uuid: () => string): OfferPlan {
  let s = state;
  const accepts: OfferAction[] = [];
  const declines: OfferPlan['declines'] = [];
  for (const offer of offers) {
    const agentId = offer.agent_id.value;
    const release = s.released.find((r) => r.agentId === agentId);
    if (release !== undefined) {
      const operations = releaseVolumeTask(offer, { persistenceId: release.persistenceId, role: c.role });
      s = { ...s, released: s.released.filter((r) => r !== release) };
      if (operations.length > 0) {
        accepts.push({ offerId: offer.id.value, agentId, operations, releasedId: release.persistenceId });
        continue;
      }
    }
    const result = placeOne(s, offer, c, now, uuid);
    if ('reason' in result) {
      declines.push({ offerId: offer.id.value, reason: result.reason });
      continue;
    }
    s = result.state;
    accepts.push(result.action);
  }
  return { accepts, declines, state: s };
}

function placeOne(s: ClusterState, offer: v1.Offer, c: PlanConfig, now: number, uuid: () => string): { reason: string } | { state: ClusterState; action: OfferAction } {
  const agentId = offer.agent_id.value;
  const hostname = c.useIpAddress && offer.url?.address.ip !== undefined ? offer.url.address.ip : offer.hostname;
  const live = s.nodes.filter((n) => n.task !== undefined);
  // A node whose data is on this agent goes back there; any other node without a task waits for its own agent.
  const home = s.nodes.find((n) => n.task === undefined && !n.removing && (n.agentId === agentId || n.persistenceId === undefined));
  const members = s.nodes.filter((n) => !n.removing);
  const view: ClusterView = {
    agentsWithNodes: new Set(live.map((n) => n.task!.agentId)),
    hostsWithNodes: new Set(live.map((n) => n.task!.hostname)),
    liveNodes: home !== undefined ? live.filter((n) => !n.removing).length : members.length,
    firstNodeStarting: !s.formed && live.length > 0,
    desiredNodes: s.desired,
  };
  const pool = Resources.fromProto(offer.resources ?? []).allocatableTo(c.role);
  const scalar = (name: string): number => pool.filter((r) => r.name === name).toProto().reduce((sum, r) => sum + (r.scalar?.value ?? 0), 0);
  const ports = pool.toProto().flatMap((r) => (r.name === 'ports' ? (r.ranges?.range ?? []).flatMap((x) => expand(Number(x.begin), Number(x.end))) : []));
  // A node going back to its volume takes its old ports again when offered (they were reserved with it),
  // unless it failed twice in a row before running there (something else may hold them).
  const old = home?.ports !== undefined && (home.failures ?? 0) < 2 && home.ports.every((p) => ports.includes(p)) ? home.ports : undefined;
  const fixed = c.fixedPorts ?? old;
  const decision = evaluateOffer({ hostname, agentId, cpus: scalar('cpus'), memMb: scalar('mem'), diskMb: scalar('disk'), ports }, view, { cpus: c.cpus, memMb: c.memMb, diskMb: c.diskMb, ...(fixed === undefined ? {} : { fixedPorts: fixed }) });
  if (!decision.accept) return { reason: decision.reason };
  const node: EsNode = home ?? { name: `es-${s.nextIndex}`, launchedAt: now, ...(c.role === '*' ? {} : { persistenceId: `${c.frameworkName}-es-${s.nextIndex}` }) };
  const portRequest = [decision.httpPort, decision.transportPort];
  let operations: v1.Offer.Operation[] = [];
  let resources: Resources;
  if (node.persistenceId !== undefined) {
    const placed = placeVolumeTask(offer, { persistenceId: node.persistenceId, role: c.role, principal: c.principal, containerPath: VOLUME_PATH, volumeMb: c.diskMb, request: { cpus: c.cpus, mem: c.memMb, ports: portRequest } });
    if (placed.kind === 'unfit') return { reason: placed.reason };
    operations = placed.operations;
    resources = placed.resources;
  } else {
    const match = matchResources(pool, { cpus: c.cpus, mem: c.memMb, disk: c.diskMb, ports: portRequest, role: c.role });
    if (!match.ok) return { reason: match.reason };
    resources = match.resources;
  }
  const taskId = `${c.frameworkName}-${node.name}-${uuid()}`;
  const task: NodeTask = { id: taskId, agentId, hostname, httpPort: decision.httpPort, transportPort: decision.transportPort, state: 'staging', health: 'unknown' };
  const running = s.nodes.filter((n) => n.task?.state === 'running' && n.name !== node.name).map((n) => ({ name: n.name, host: n.task!.hostname, transportPort: n.task!.transportPort }));
  const launch: NodeLaunch = {
    settings: { clusterName: c.clusterName, nodeName: node.name, host: hostname, httpPort: decision.httpPort, transportPort: decision.transportPort, dataPath: `${VOLUME_PATH}/es`, logsPath: 'logs', running, initialManagers: s.formed ? [] : [node.name] },
    heapMb: heapFor(c.memMb),
    ...(c.yml === undefined ? {} : { yml: c.yml }),
  };
  const info: v1.TaskInfo = {
    name: node.name,
    task_id: { value: taskId },
    agent_id: { value: agentId },
    resources: resources.toProto(),
    executor: { type: 'CUSTOM', executor_id: { value: taskId }, name: `elasticsearch-executor ${node.name}`, command: executorCommandInfo(c.executor) },
    discovery: {
      visibility: 'EXTERNAL',
      name: node.name,
      ports: { ports: [{ number: decision.httpPort, name: 'CLIENT_PORT', protocol: 'tcp' }, { number: decision.transportPort, name: 'TRANSPORT_PORT', protocol: 'tcp' }] },
    },
    data: new TextEncoder().encode(JSON.stringify(launch)),
  };
  const placed: EsNode = { ...node, task, ports: [decision.httpPort, decision.transportPort], ...(node.persistenceId === undefined ? {} : { agentId }) };
  const nodes = home !== undefined ? s.nodes.map((n) => (n === home ? placed : n)) : [...s.nodes, placed];
  return {
    state: { ...s, nodes, nextIndex: home !== undefined ? s.nextIndex : s.nextIndex + 1 },
    action: { offerId: offer.id.value, agentId, operations: [...operations, { type: 'LAUNCH', launch: { task_infos: [info] } }], launched: placed },
  };
}

/** Half the task's memory for the heap (the rest is the JVM's own), never below 128 MB. */
export function heapFor(memMb: number): number {
  return Math.max(128, Math.floor(memMb / 2));
}

function expand(begin: number, end: number): number[] {
  const out: number[] = [];
  for (let p = begin; p <= end && out.length < 4096; p++) out.push(p);
  return out;
}
