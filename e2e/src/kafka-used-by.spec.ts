// The kafka-mesos used-by scenario (kafka-used-by-scenario.ts), run as a user would: `mesos-local` (a real
// master and two real agents that fork real executor processes), a real ZooKeeper, the built `kafka-mesos
// scheduler` process pointed at the stand-in Kafka distribution (e2e/fixtures/kafka, a test double) in
// ZooKeeper mode, and `kafka-mesos` CLI processes whose printed blocks are asserted. The executor is the bundle
// the scheduler serves (`/executor/kafka-mesos.tgz`), fetched and extracted by the agents' fetcher. Each agent
// offers room for two brokers, so three brokers span both agents and "same host" means the same agent id and
// port range. kafka-real-dist.spec.ts runs the same scenario against a real Kafka (opt-in).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupsAfterEach, zooKeeperForFile } from './harness/fixtures.js';
import { km, sandboxOf, setup, type SetupOptions } from './kafka-used-by-harness.js';
import { runUsedByScenario } from './kafka-used-by-scenario.js';

const DIST = fileURLToPath(new URL('../fixtures/kafka', import.meta.url));

const zk = zooKeeperForFile();
const cleanups = cleanupsAfterEach();

/**
 * The stand-in on mesos-local. The agents' executors hand their environment to Kafka; the stand-in (not a real
 * Kafka, whose jars carry everything) needs node-zookeeper-client in ZooKeeper mode, found through NODE_PATH
 * once the fetcher copied it into a sandbox.
 */
const standIn = (mode: string[]): SetupOptions => ({
  dist: DIST,
  mode,
  agentResources: 'cpus:2;mem:4608;disk:8192',
  agentEnv: { NODE_PATH: fileURLToPath(new URL('../../node_modules', import.meta.url)) },
});

describe('kafka-mesos used-by scenario on mesos-local', () => {
  it('adds, starts, stops, updates, fails over and adopts brokers, and manages a topic', async () => {
    await runUsedByScenario(
      {
        ...standIn([`--zk=${zk.server.connect}/kafka`]),
        heap: 1024,
        mem: 2048,
        // The stand-in's ZooKeeper session is short too: a restarted broker waits for its old registration to
        // expire (as Kafka would) before the kill -9 failover completes.
        options: 'zookeeper.session.timeout.ms=2000',
        serverCmdline: 'stand-in-server.mjs',
        waitSeconds: 60,
        metaIdKey: 'broker.id',
        metadataNamesController: true,
        ownLogLine: (id) => `[KafkaServer id=${id}] started (kafka.server.KafkaServer)\n`,
      },
      cleanups,
    );
  }, 240_000);

  it('KRaft: the quorum formed by the first brokers stays the same for a broker added later', async () => {
    const { dir, workDir, api, startScheduler, brokers } = await setup(standIn([]), cleanups);
    await startScheduler();
    // The stand-in's KRaft brokers share a cluster directory (it has no controller quorum of its own).
    const options = `--options=stand-in.cluster.dir=${path.join(dir, 'kraft')}`;
    expect((await km(api, 'broker', 'add', '0..2', '--mem', '2048', options)).code).toBe(0);
    expect(await km(api, 'broker', 'start', '0..2', '--timeout', '60s')).toMatchObject({ code: 0, err: '' });
    expect((await km(api, 'broker', 'add', '3', '--mem', '2048', options)).code).toBe(0);
    const started = await km(api, 'broker', 'start', '3', '--timeout', '60s');
    expect(started).toMatchObject({ code: 0, out: expect.stringMatching(/^broker started:\n {2}id: 3\n {2}active: true\n {2}state: running\n/) });
    const props = new Map(
      (await brokers()).map((b) => [Number(b.id), new Map(readFileSync(path.join(sandboxOf(workDir, b.task!.id), 'server.properties'), 'utf8').trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const))]),
    );
    const voters = props.get(0)!.get('controller.quorum.voters')!;
    // The three brokers of the first start are the voters, spread over both agents' port ranges.
    expect(voters).toMatch(/^0@127\.0\.0\.1:3\d{4},1@127\.0\.0\.1:3\d{4},2@127\.0\.0\.1:3\d{4}$/);
    expect(new Set([...voters.matchAll(/:(3[12])\d{3}/g)].map((m) => m[1])).size).toBe(2);
    for (const id of [0, 1, 2]) expect([props.get(id)!.get('process.roles'), props.get(id)!.get('controller.quorum.voters')]).toEqual(['broker,controller', voters]);
    expect([props.get(3)!.get('process.roles'), props.get(3)!.get('controller.quorum.voters'), props.get(3)!.get('listeners')]).toEqual(['broker', voters, expect.stringMatching(/^PLAINTEXT:\/\/127\.0\.0\.1:\d+$/)]);
    // Every node was formatted with the cluster's id, and a Kafka client sees the four brokers.
    const topic = await km(api, 'topic', 'add', 't1', '--partitions', '4', '--replicas', '2');
    expect(topic.out).toMatch(/^topic added:\n {2}name: t1\n {2}partitions: 0:\[0, 1\], 1:\[1, 2\], 2:\[2, 3\], 3:\[3, 0\]\n/);
    expect((await km(api, 'broker', 'remove', '1')).err).toContain('broker 1 is a KRaft controller quorum voter');
    expect(await km(api, 'broker', 'stop', '0..3', '--timeout', '60s')).toMatchObject({ code: 0 });
  }, 120_000);
});
