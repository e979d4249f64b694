import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import type { RingState } from './commands.js';
import { DEFAULTS } from './config.js';
import type { CassandraNode } from './node.js';
import { planOffer, type OfferPlanInput } from './offers.js';
import type { NodeTaskData } from './task-data.js';

const config = { ...DEFAULTS, clusterName: 'dev', nodeCount: 2, seedCount: 1, cpuCores: 0.5, memMb: 1024, diskMb: 512, heapMb: 256, bootstrapGraceTimeSeconds: 10, role: 'cassandra' };
const offer = (agent: string, resources: Resources | string = 'cpus:2;mem:4096;disk:4096;ports:[31000-31010]'): v1.Offer => ({
  id: { value: `offer-${agent}` },
  framework_id: { value: 'fw' },
  agent_id: { value: agent },
  hostname: `127.0.0.${agent.slice(-1)}`,
  resources: (typeof resources === 'string' ? Resources.parse(resources) : resources).toProto(),
});
const input = (ring: RingState, o: v1.Offer, now = 100_000, role = 'cassandra'): OfferPlanInput => ({
  ring,
  offer: o,
  now,
  role,
  principal: 'cassandra-mesos',
  executor: { command: 'node exec.js executor', uris: [{ value: 'http://s/cassandra/apache-cassandra-5.0.6.tgz', extract: true }], distribution: 'apache-cassandra-5.0.6' },
  uuid: () => 'u1',
  killGraceSeconds: 60,
});
const fresh = (): RingState => ({ config: { ...config }, nodes: [{ name: 'node-0', seed: true, targetRunState: 'RUN' }, { name: 'node-1', seed: false, targetRunState: 'RUN' }] });
const applied = (o: v1.Offer, ops: readonly v1.Offer.Operation[]): Resources => ops.filter((op) => op.type !== 'LAUNCH').reduce((r, op) => r.apply(op), Resources.fromProto(o.resources ?? []));
const taskOf = (ops: readonly v1.Offer.Operation[]): v1.TaskInfo => ops.find((op) => op.type === 'LAUNCH')!.launch!.task_infos![0]!;
const dataOf = (task: v1.TaskInfo): NodeTaskData => JSON.parse(new TextDecoder().decode(task.data!)) as NodeTaskData;

describe('planOffer', () => {
  it('first launch of the seed: RESERVE + CREATE + LAUNCH, three ports, the seed list is itself', () => {
    const plan = planOffer(input(fresh(), offer('agent-1')));
    if (plan.kind !== 'accept') throw new Error(plan.reason);
    expect(plan.operations.map((o) => o.type)).toEqual(['RESERVE', 'CREATE', 'LAUNCH']);
    const node = plan.ring.nodes[0]!;
    expect(node).toMatchObject({ agentId: 'agent-1', ip: '127.0.0.1', ports: { storage: 31000, native: 31001, jmx: 31002 }, taskState: 'TASK_STAGING', lastLaunchAt: 100_000 });
    const task = taskOf(plan.operations);
    expect(task.task_id.value).toBe('cassandra.dev.node-0.u1');
    expect(task.executor?.command?.uris?.[0]?.value).toContain('apache-cassandra');
    expect(task.kill_policy?.grace_period?.nanoseconds).toBe(60_000_000_000n);
    const data = dataOf(task);
    expect(data.launch).toMatchObject({ address: '127.0.0.1', seeds: ['127.0.0.1:31000'], volumeDir: 'volume', node: { name: 'node-0' } });
    expect(Resources.fromProto(task.resources ?? []).toProto().some((r) => r.disk?.persistence?.id === 'cassandra-dev-node-0')).toBe(true);
  });

  it('the non-seed waits until the seed runs and is NORMAL, then the bootstrap grace', () => {
    const first = planOffer(input(fresh(), offer('agent-1')));
    if (first.kind !== 'accept') throw new Error('seed not launched');
    expect(planOffer(input(first.ring, offer('agent-2')))).toMatchObject({ kind: 'decline', reason: expect.stringMatching(/waiting for node-0/) });
    const running = { ...first.ring, nodes: first.ring.nodes.map((n): CassandraNode => (n.name === 'node-0' ? { ...n, taskState: 'TASK_RUNNING', health: { mode: 'NORMAL', healthy: true, loadBytes: 0, at: 1 } } : n)) };
    expect(planOffer(input(running, offer('agent-2'), 105_000))).toMatchObject({ kind: 'decline', reason: expect.stringMatching(/bootstrap grace: 5 s/) });
    // The seed's own agent gets no second node.
    expect(planOffer(input(running, offer('agent-1'), 200_000))).toMatchObject({ kind: 'decline', reason: expect.stringMatching(/already holds node-0/) });
    const second = planOffer(input(running, offer('agent-2'), 200_000));
    if (second.kind !== 'accept') throw new Error(second.reason);
    expect(dataOf(taskOf(second.operations)).launch.seeds).toEqual(['127.0.0.1:31000']);
  });

  it('a failed node returns to its own agent, reservation and volume, with the same ports and no new operations', () => {
    const first = planOffer(input(fresh(), offer('agent-1')));
    if (first.kind !== 'accept') throw new Error('seed not launched');
    const failed = { ...first.ring, nodes: first.ring.nodes.map((n): CassandraNode => (n.name === 'node-0' ? { ...n, taskState: 'TASK_FAILED' } : n)) };
    const again = planOffer(input(failed, offer('agent-1', applied(offer('agent-1'), first.operations)), 101_000));
    if (again.kind !== 'accept') throw new Error(again.reason);
    expect(again.operations.map((o) => o.type)).toEqual(['LAUNCH']);
    expect(again.ring.nodes[0]!.ports).toEqual({ storage: 31000, native: 31001, jmx: 31002 });
  });

  it("role '*': no reservation, the volume directory is in the sandbox", () => {
    const ring = { ...fresh(), config: { ...config, role: '*' } };
    const plan = planOffer(input(ring, offer('agent-1'), 1, '*'));
    if (plan.kind !== 'accept') throw new Error(plan.reason);
    expect(plan.operations.map((o) => o.type)).toEqual(['LAUNCH']);
  });

  it('an offer too small is declined with the reason', () => {
    expect(planOffer(input(fresh(), offer('agent-1', 'cpus:2;mem:512;disk:4096;ports:[31000-31010]')))).toMatchObject({ kind: 'decline', reason: expect.stringMatching(/node-0 does not fit 127.0.0.1: .*mem/) });
  });

  it("a terminated node's volume and reservation are released on its agent before anything else is placed there", () => {
    const first = planOffer(input(fresh(), offer('agent-1')));
    if (first.kind !== 'accept') throw new Error('seed not launched');
    const terminated: RingState = { ...first.ring, nodes: first.ring.nodes.map((n): CassandraNode => (n.name === 'node-0' ? { ...n, seed: false, targetRunState: 'TERMINATE', taskState: 'TASK_KILLED' } : n)) };
    const plan = planOffer(input(terminated, offer('agent-1', applied(offer('agent-1'), first.operations))));
    if (plan.kind !== 'accept') throw new Error(plan.reason);
    expect(plan.operations.map((o) => o.type)).toEqual(['DESTROY', 'UNRESERVE']);
    expect(plan.released).toEqual(['node-0']);
    expect(plan.ring.nodes[0]!.volumeReleased).toBe(true);
  });
});

describe('restart backoff', () => {
  it('the first failure restarts at once, the second waits 5 s', () => {
    const first = planOffer(input(fresh(), offer('agent-1')));
    if (first.kind !== 'accept') throw new Error('seed not launched');
    const resources = applied(offer('agent-1'), first.operations);
    const failed = (failures: number): RingState => ({ ...first.ring, nodes: first.ring.nodes.map((n): CassandraNode => (n.name === 'node-0' ? { ...n, taskState: 'TASK_FAILED', failures, lastFailureAt: 100_000 } : n)) });
    expect(planOffer(input(failed(1), offer('agent-1', resources), 100_001)).kind).toBe('accept');
    expect(planOffer(input(failed(2), offer('agent-1', resources), 101_000))).toMatchObject({ kind: 'decline', reason: 'node-0 failed 2 times in a row; next start in 4 s' });
    expect(planOffer(input(failed(2), offer('agent-1', resources), 105_000)).kind).toBe('accept');
    expect(planOffer(input(failed(4), offer('agent-1', resources), 105_000))).toMatchObject({ kind: 'decline', reason: expect.stringMatching(/next start in 15 s/) });
  });
});

describe('replacement placement', () => {
  it("prefers another agent than the dead node's address, and takes it after SAME_ADDRESS_AFTER_MS", () => {
    const running = (n: CassandraNode): CassandraNode => ({ ...n, taskState: 'TASK_RUNNING', health: { mode: 'NORMAL', healthy: true, loadBytes: 0, at: 1 } });
    const ring: RingState = {
      config: { ...config, nodeCount: 2 },
      nodes: [
        running({ name: 'node-0', seed: true, targetRunState: 'RUN', agentId: 'agent-1', ip: '127.0.0.1', ports: { storage: 31000, native: 31001, jmx: 31002 }, lastLaunchAt: 1 }),
        { name: 'node-1', seed: false, targetRunState: 'TERMINATE', agentId: 'agent-2', ip: '127.0.0.2', taskState: 'TASK_KILLED', replacedBy: 'node-2', volumeReleased: true, lastLaunchAt: 1 },
        { name: 'node-2', seed: false, targetRunState: 'RUN', replacementForIp: '127.0.0.2', replacementForPort: 32000, replacementRequestedAt: 100_000 },
      ],
    };
    expect(planOffer(input(ring, offer('agent-2'), 110_000))).toMatchObject({ kind: 'decline', reason: 'node-2 replaces 127.0.0.2: another agent is preferred for 20 s more' });
    const elsewhere = planOffer(input(ring, offer('agent-3'), 110_000));
    if (elsewhere.kind !== 'accept') throw new Error(elsewhere.reason);
    expect(dataOf(taskOf(elsewhere.operations)).launch.node).toEqual({ name: 'node-2', replacementForIp: '127.0.0.2', replacementForPort: 32000 });
    expect(planOffer(input(ring, offer('agent-2'), 130_001)).kind).toBe('accept');
  });
});
