// The scheduler against the SDK's FakeMaster (real HTTP) with a file: store: placement order, reservation +
// volume on first launch, suppress when nothing is needed, revive on scale-up, and a restarted scheduler that
// adopts the running nodes through reconciliation and launches nothing twice.
import { afterEach, describe, expect, it } from 'vitest';
import { Cleanups, startSchedulerTestbed } from '@mesos-ts/framework-kit/testing';
import { scaleNodes } from '../domain/commands.js';
import { encodeMessage } from '../domain/task-data.js';
import { CassandraScheduler } from './cassandra-scheduler.js';

const cleanups = new Cleanups();
afterEach(() => cleanups.run());

const env = {
  CASSANDRA_CLUSTER_NAME: 't',
  CASSANDRA_NODE_COUNT: '2',
  CASSANDRA_SEED_COUNT: '1',
  CASSANDRA_RESOURCE_CPU_CORES: '0.5',
  CASSANDRA_RESOURCE_MEM_MB: '1024',
  CASSANDRA_RESOURCE_DISK_MB: '512',
  CASSANDRA_BOOTSTRAP_GRACE_TIME_SECONDS: '0',
  CASSANDRA_FRAMEWORK_MESOS_ROLE: 'cassandra',
};

describe('CassandraScheduler', () => {
  it('grows the ring seed first on reserved volumes, suppresses, revives on scale-up; a restarted scheduler adopts and launches nothing twice', async () => {
    const { master, store, calls, offer, subscribed } = await startSchedulerTestbed(cleanups, 'cassandra-sched-');
    const start = async (): Promise<CassandraScheduler> => {
      const { scheduler } = await CassandraScheduler.create({ master: master.hostPort, store, env, user: 'u', principal: 'p', executor: { command: 'x', uris: [], distribution: 'd' }, reconcileIntervalMs: 100 });
      scheduler.start();
      cleanups.add(() => scheduler.stop());
      return scheduler;
    };
    const healthy = (s: CassandraScheduler, fw: string, name: string) => {
      const n = s.snapshot().ring.nodes.find((x) => x.name === name)!;
      master.send(fw, { type: 'MESSAGE', message: { agent_id: { value: n.agentId! }, executor_id: { value: n.executorId! }, data: encodeMessage({ type: 'health', node: name, mode: 'NORMAL', healthy: true, loadBytes: 1 }) } });
    };
    const node = (s: CassandraScheduler, name: string) => s.snapshot().ring.nodes.find((x) => x.name === name);

    const first = await start();
    const fw = await subscribed();
    expect(master.frameworks.get(fw)!.info).toMatchObject({ name: 'cassandra.t', roles: ['cassandra'], checkpoint: true });
    master.sendOffers(fw, [offer(fw, 'agent-1'), offer(fw, 'agent-2')]);
    const accept = await master.waitForCall((c) => c.call.type === 'ACCEPT');
    expect(accept.call.accept!.operations!.map((o) => o.type)).toEqual(['RESERVE', 'CREATE', 'LAUNCH']);
    expect(node(first, 'node-0')).toMatchObject({ agentId: 'agent-1', seed: true });
    await master.waitUntil(() => node(first, 'node-0')?.taskState === 'TASK_RUNNING' || undefined, 'node-0 running');

    // node-1 waits for the seed to be NORMAL (the executor says so), then takes the other agent.
    master.sendOffers(fw, [offer(fw, 'agent-2')]);
    await master.waitUntil(() => calls('DECLINE').length >= 2 || undefined, 'the offer declined while the seed is not NORMAL');
    expect(calls('ACCEPT')).toHaveLength(1);
    healthy(first, fw, 'node-0');
    await master.waitUntil(() => node(first, 'node-0')?.health?.mode === 'NORMAL' || undefined, 'node-0 NORMAL');
    master.sendOffers(fw, [offer(fw, 'agent-2')]);
    await master.waitUntil(() => node(first, 'node-1')?.taskState === 'TASK_RUNNING' || undefined, 'node-1 running');
    expect(node(first, 'node-1')!.agentId).toBe('agent-2');
    healthy(first, fw, 'node-1');
    await master.waitUntil(() => node(first, 'node-1')?.health?.mode === 'NORMAL' || undefined, 'node-1 NORMAL');
    master.sendOffers(fw, [offer(fw, 'agent-3')]);
    await master.waitUntil(() => master.frameworks.get(fw)!.suppressedRoles.includes('cassandra') || undefined, 'offers suppressed');

    // A new scheduler on the same store: the same framework, both nodes adopted, no second launch.
    await first.stop();
    const second = await start();
    await master.waitUntil(() => (calls('SUBSCRIBE').length === 2 && second.subscribed()) || undefined, 'the failover subscription');
    expect(calls('SUBSCRIBE')[1]!.call.subscribe!.framework_info.id?.value).toBe(fw);
    await master.waitUntil(() => calls('RECONCILE').length > 0 || undefined, 'reconciliation');
    master.sendOffers(fw, [offer(fw, 'agent-1'), offer(fw, 'agent-2'), offer(fw, 'agent-3')]);
    await master.waitUntil(() => master.frameworks.get(fw)!.suppressedRoles.includes('cassandra') || undefined, 'suppressed again');
    expect(calls('ACCEPT')).toHaveLength(2);
    expect(second.snapshot().ring.nodes.map((n) => [n.name, n.taskState, n.health?.mode])).toEqual([['node-0', 'TASK_RUNNING', 'NORMAL'], ['node-1', 'TASK_RUNNING', 'NORMAL']]);

    // Scale-up revives offers and places node-2 on the free agent.
    await second.mutate((s) => ({ next: { ...s, ring: scaleNodes(s.ring, '3') }, result: undefined }));
    await master.waitUntil(() => !master.frameworks.get(fw)!.suppressedRoles.includes('cassandra') || undefined, 'offers revived');
    master.sendOffers(fw, [offer(fw, 'agent-1'), offer(fw, 'agent-3')]);
    await master.waitUntil(() => node(second, 'node-2')?.taskState === 'TASK_RUNNING' || undefined, 'node-2 running');
    expect(node(second, 'node-2')!.agentId).toBe('agent-3');
  }, 20_000);
});
