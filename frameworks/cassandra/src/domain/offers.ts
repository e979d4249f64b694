// One offer -> what to do with it, pure: give back a terminated node's reservation and volume on that agent,
// then ask placement.ts which node (if any) the agent should run, and build the operations for it —
// RESERVE + CREATE (framework-kit's volume recipe) on a first launch, nothing on a return to its own volume —
// and the LAUNCH of the node's task (custom executor, NodeTaskData as task data). With role `*` nothing can be
// reserved: the node keeps its data in the sandbox, as upstream cassandra-mesos did before persistent volumes.
import { executorCommandInfo, placeVolumeTask, releaseVolumeTask, type ExecutorSpec } from '@mesos-ts/framework-kit';
import type { v1 } from '@mesos-ts/proto';
import { matchResources } from '@mesos-ts/scheduler';
import type { RingState } from './commands.js';
import { isLive, persistenceId, type CassandraNode } from './node.js';
import { decidePlacement } from './placement.js';
import { seedList } from './seeds.js';
import { VOLUME_PATH, type NodeTaskData } from './task-data.js';

export interface OfferPlanInput {
  ring: RingState;
  offer: v1.Offer;
  now: number;
  role: string;
  principal: string;
  executor: ExecutorSpec;
  /** A fresh unique suffix for the task id (injected for replayable tests). */
  uuid: () => string;
  /** Kill grace period of the node's task, s: the executor drains the node, then stops it within it. */
  killGraceSeconds: number;
}

export type OfferPlan =
  | { kind: 'accept'; operations: v1.Offer.Operation[]; ring: RingState; launched?: string; released: string[] }
  | { kind: 'decline'; reason: string };

export function planOffer(input: OfferPlanInput): OfferPlan {
  const { offer, role } = input;
  const agentId = offer.agent_id.value;
  let ring = input.ring;
  const operations: v1.Offer.Operation[] = [];
  const released: string[] = [];
  if (role !== '*') {
    for (const node of ring.nodes) {
      if (node.targetRunState !== 'TERMINATE' || node.agentId !== agentId || node.volumeReleased === true || isLive(node)) continue;
      const ops = releaseVolumeTask(offer, { persistenceId: persistenceId(ring.config.clusterName, node), role });
      if (ops.length === 0) continue;
      operations.push(...ops);
      released.push(node.name);
    }
    if (released.length > 0) ring = { ...ring, nodes: ring.nodes.map((n) => (released.includes(n.name) ? { ...n, volumeReleased: true } : n)) };
  }
  // What the release gives back is offered again next time; a node is placed on that later offer.
  if (released.length > 0) return { kind: 'accept', operations, ring, released };
  const decision = decidePlacement(ring, { agentId, hostname: offer.hostname }, input.now);
  if (decision.kind === 'decline') return { kind: 'decline', reason: decision.reason };
  const node = decision.node;
  const config = ring.config;
  const request = { cpus: config.cpuCores, mem: config.memMb, ports: node.ports === undefined ? 3 : [node.ports.storage, node.ports.native, node.ports.jmx] };
  let resources: v1.Resource[];
  let ports: number[];
  if (role === '*') {
    const match = matchResources(offer.resources ?? [], { ...request, disk: config.diskMb, role });
    if (!match.ok) return { kind: 'decline', reason: `${node.name} does not fit ${offer.hostname}: ${match.reason}` };
    resources = match.resources.toProto();
    ports = match.ports;
  } else {
    const placed = placeVolumeTask(offer, { persistenceId: persistenceId(config.clusterName, node), role, principal: input.principal, containerPath: VOLUME_PATH, volumeMb: config.diskMb, request });
    if (placed.kind === 'unfit') return { kind: 'decline', reason: `${node.name} does not fit ${offer.hostname}: ${placed.reason}` };
    operations.push(...placed.operations);
    resources = placed.resources.toProto();
    ports = placed.ports;
  }
  const nodePorts = node.ports ?? { storage: ports[0]!, native: ports[1]!, jmx: ports[2]! };
  const taskId = `cassandra.${config.clusterName.replace(/[^A-Za-z0-9_-]/g, '_')}.${node.name}.${input.uuid()}`;
  const launched: CassandraNode = {
    ...node,
    agentId,
    hostname: offer.hostname,
    ip: offer.hostname,
    ports: nodePorts,
    taskId,
    executorId: taskId,
    taskState: 'TASK_STAGING',
    health: { mode: 'STARTING', healthy: false, loadBytes: node.health?.loadBytes ?? 0, at: input.now },
    lastLaunchAt: input.now,
  };
  const nodes = ring.nodes.map((n) => (n.name === node.name ? launched : n));
  const data: NodeTaskData = {
    launch: { config, node: { name: node.name, ...(node.replacementForIp === undefined ? {} : { replacementForIp: node.replacementForIp }), ...(node.replacementForPort === undefined ? {} : { replacementForPort: node.replacementForPort }) }, address: offer.hostname, ports: nodePorts, seeds: seedList(nodes), volumeDir: VOLUME_PATH },
    distribution: input.executor.distribution,
    healthIntervalSeconds: config.healthCheckIntervalSeconds,
  };
  const command = executorCommandInfo(input.executor);
  const task: v1.TaskInfo = {
    name: `cassandra.${config.clusterName}.${node.name}`,
    task_id: { value: taskId },
    agent_id: { value: agentId },
    resources,
    executor: { type: 'CUSTOM', executor_id: { value: taskId }, name: `cassandra ${node.name}`, command },
    data: new TextEncoder().encode(JSON.stringify(data)),
    kill_policy: { grace_period: { nanoseconds: BigInt(input.killGraceSeconds) * 1_000_000_000n } },
  };
  operations.push({ type: 'LAUNCH', launch: { task_infos: [task] } });
  return { kind: 'accept', operations, ring: { ...ring, nodes }, launched: node.name, released };
}
