// The kafka-mesos executor running the stand-in Kafka distribution (e2e/fixtures/kafka, a test double) for
// three brokers in KRaft mode, each under an executor-SDK FakeAgent (real HTTP) with its own sandbox:
// storage formatted once per volume, TASK_RUNNING only once kafkajs gets metadata, then topics through the
// scheduler's kafkajs topic service (add 3 partitions x 2 replicas, list, update, rebalance) and a clean stop.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExecutorClient, executorEnvironment, silentLogger } from '@mesos-ts/executor';
import { FakeAgent } from '@mesos-ts/executor/testing';
import { KafkaExecutor, KafkaTopics, applyBrokerParams, brokerLaunch, formatTopics, kafkaProbe, newBroker } from '@mesos-ts/kafka';
import { freePort } from './harness/ports.js';
import { waitUntil } from './harness/daemons.js';

const DIST = fileURLToPath(new URL('../fixtures/kafka', import.meta.url));

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const until = (probe: () => boolean, what: string, timeoutMs = 20_000): Promise<void> => waitUntil(probe, timeoutMs, what);

describe('kafka-mesos executor with the stand-in distribution', () => {
  it('runs three KRaft brokers, manages topics through kafkajs and stops them cleanly', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'kafka-standin-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const ports = await Promise.all([0, 1, 2].map(async () => [await freePort(), await freePort()] as const));
    const voters = ports.map(([, c], id) => `${id}@127.0.0.1:${c}`).join(',');
    const brokers = [0, 1, 2].map((id) => {
      const sandbox = path.join(root, `sandbox-${id}`);
      return { id, sandbox, agent: undefined as FakeAgent | undefined, executor: undefined as KafkaExecutor | undefined };
    });
    for (const b of brokers) {
      await import('node:fs/promises').then((fs) => fs.mkdir(b.sandbox, { recursive: true }));
      const agent = await FakeAgent.start({ executorId: `broker-${b.id}` });
      cleanups.push(() => agent.close());
      const client = new ExecutorClient({ environment: executorEnvironment(agent.environment({ MESOS_SANDBOX: b.sandbox })), heartbeatIntervalMs: 0 });
      const executor = new KafkaExecutor(client, { sandbox: b.sandbox, probe: kafkaProbe, probeIntervalMs: 200, killGraceMs: 5_000, logger: silentLogger });
      client.start();
      cleanups.push(() => client.stop());
      b.agent = agent;
      b.executor = executor;
      await until(() => agent.subscribed, 'executor subscription');
      const broker = applyBrokerParams(newBroker(b.id), { heap: '256', mem: '512', options: `stand-in.cluster.dir=${path.join(root, 'cluster')},stand-in.reassignment.ms=200` });
      const [port, controllerPort] = ports[b.id]!;
      const launch = brokerLaunch(broker, '127.0.0.1', port, controllerPort, { zk: undefined, voters, clusterId: 'kR4ftClusterIdAAAAAAAA', volumes: true }, DIST);
      const taskId = `broker-${b.id}-t`;
      agent.launch({ name: `broker-${b.id}`, task_id: { value: taskId }, agent_id: { value: 'a' }, data: new TextEncoder().encode(JSON.stringify(launch)) });
      cleanups.push(async () => {
        agent.kill(taskId);
        await Promise.race([executor.done, new Promise((r) => setTimeout(r, 8_000))]);
      });
    }
    const states = (b: (typeof brokers)[number]): string[] => b.agent!.updates.map((u) => u.state);
    await until(() => brokers.every((b) => states(b).includes('TASK_RUNNING') || states(b).includes('TASK_FAILED')), 'three brokers running', 30_000);
    for (const b of brokers) {
      // The updates' messages say why a broker failed (a CI run once saw TASK_FAILED within half a second).
      expect(states(b), b.agent!.updates.map((u) => `${u.state}: ${u.message ?? ''}`).join('\n')).toEqual(['TASK_STARTING', 'TASK_RUNNING']);
      expect(existsSync(path.join(b.sandbox, 'data/kafka-logs/meta.properties'))).toBe(true);
    }

    const topics = new KafkaTopics(() => ports.map(([p]) => `127.0.0.1:${p}`));
    const added = await topics.add({ names: ['t1'], brokers: [0, 1, 2], partitions: 3, replicas: 2, options: { 'retention.ms': '60000' } });
    expect(added).toMatchObject([{ name: 't1', partitions: { '0': '0, 1', '1': '1, 2', '2': '2, 0' }, options: { 'retention.ms': '60000' } }]);
    expect(formatTopics('added', added.map(({ name, partitions, options }) => ({ name, partitions, options })))).toBe('topic added:\n  name: t1\n  partitions: 0:[0, 1], 1:[1, 2], 2:[2, 0]\n  options: retention.ms=60000\n');
    expect(await topics.names()).toEqual(['t1']);
    expect((await topics.update(['t1'], { 'segment.ms': '1000' }))[0]!.options).toEqual({ 'retention.ms': '60000', 'segment.ms': '1000' });
    await expect(topics.add({ names: ['t1'], brokers: [0], partitions: 1, replicas: 1, options: {} })).rejects.toThrow('topic t1 already exists');
    const rebalanced = await topics.rebalance({ names: ['t1'], brokers: [0, 1], replicas: 2, timeoutMs: 10_000 });
    expect(rebalanced.status).toBe('completed');
    expect(rebalanced.topics[0]!.partitions).toEqual({ '0': '0, 1', '1': '1, 0', '2': '0, 1' });
    expect((await topics.rebalance({ names: undefined, brokers: [], replicas: 1, timeoutMs: 0 })).status).toBe('idle');

    // A clean stop: SIGTERM, the broker shuts down, TASK_KILLED.
    const b0 = brokers[0]!;
    b0.agent!.kill('broker-0-t');
    await b0.executor!.done;
    await until(() => states(b0).includes('TASK_KILLED'), 'TASK_KILLED');
    expect(states(b0)).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
  }, 60_000);
});
