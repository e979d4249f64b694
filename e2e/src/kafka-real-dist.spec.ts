// Opt-in: the kafka-mesos executor running a REAL Kafka distribution (KAFKA_DIST=/path/kafka_2.13-3.x.tgz or
// its directory; needs java) in KRaft mode under an executor-SDK FakeAgent, then a topic through the
// scheduler's kafkajs topic service and a message produced and consumed with kafkajs. Skipped, with the
// reason in its name, when KAFKA_DIST is unset. (The full scheduler scenario on mesos-local is a later issue.)
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import kafkajs from 'kafkajs';
import { ExecutorClient, executorEnvironment, silentLogger } from '@mesos-ts/executor';
import { FakeAgent } from '@mesos-ts/executor/testing';
import { KafkaExecutor, KafkaTopics, applyBrokerParams, brokerLaunch, kafkaProbe, newBroker } from '@mesos-ts/kafka';
import { freePort } from './harness/ports.js';

const DIST = process.env.KAFKA_DIST;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe.skipIf(DIST === undefined)(`real Kafka distribution${DIST === undefined ? ' (skipped: set KAFKA_DIST=/path/kafka_2.13-3.x.tgz to run)' : ''}`, () => {
  it('runs a KRaft broker, creates a topic, produces and consumes a message', async () => {
    const sandbox = await mkdtemp(path.join(os.tmpdir(), 'kafka-real-'));
    cleanups.push(() => rm(sandbox, { recursive: true, force: true }));
    const agent = await FakeAgent.start({ executorId: 'broker-0' });
    cleanups.push(() => agent.close());
    const client = new ExecutorClient({ environment: executorEnvironment(agent.environment({ MESOS_SANDBOX: sandbox })), heartbeatIntervalMs: 0 });
    const executor = new KafkaExecutor(client, { sandbox, probe: kafkaProbe, probeIntervalMs: 500, killGraceMs: 20_000, logger: silentLogger });
    client.start();
    cleanups.push(() => client.stop());
    const [port, controllerPort] = [await freePort(), await freePort()];
    const launch = brokerLaunch(applyBrokerParams(newBroker(0), { heap: '512', mem: '1024' }), '127.0.0.1', port, controllerPort, { zk: undefined, voters: `0@127.0.0.1:${controllerPort}`, clusterId: 'kR4ftClusterIdAAAAAAAA', volumes: true }, path.resolve(DIST!));
    agent.launch({ name: 'broker-0', task_id: { value: 'broker-0-real' }, agent_id: { value: 'a' }, data: new TextEncoder().encode(JSON.stringify(launch)) });
    cleanups.push(async () => {
      agent.kill('broker-0-real');
      await Promise.race([executor.done, new Promise((r) => setTimeout(r, 25_000))]);
    });
    const deadline = Date.now() + 90_000;
    while (!agent.updates.some((u) => u.state === 'TASK_RUNNING' || u.state === 'TASK_FAILED') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(agent.updates.map((u) => u.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING']);

    const endpoint = `127.0.0.1:${port}`;
    const topics = new KafkaTopics(() => [endpoint]);
    expect(await topics.add({ names: ['t1'], brokers: [0], partitions: 1, replicas: 1, options: {} })).toMatchObject([{ name: 't1', partitions: { '0': '0' } }]);
    const kafka = new kafkajs.Kafka({ clientId: 'e2e', brokers: [endpoint], logLevel: kafkajs.logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 't1', messages: [{ value: 'hello kafka-mesos' }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: 'e2e' });
    await consumer.connect();
    await consumer.subscribe({ topic: 't1', fromBeginning: true });
    const received = new Promise<string>((resolve) => void consumer.run({ eachMessage: async ({ message }) => resolve(message.value?.toString() ?? '') }));
    expect(await received).toBe('hello kafka-mesos');
    await consumer.disconnect();
  }, 180_000);
});
