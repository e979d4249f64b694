// The kafka-mesos used-by scenario (kafka-used-by-scenario.ts; the stand-in run is kafka-used-by.spec.ts)
// against REAL Kafka distributions assembled from Maven Central by the dists tool (e2e/dists, cached in
// ~/.cache/mesos-ts/dists): Kafka 4.x in KRaft mode and Kafka 3.9.x in ZooKeeper mode (a real ZooKeeper), on
// mesos-local with the built scheduler and CLI processes, brokers of --heap 256 --mem 512; then a message
// produced and consumed with kafkajs. KAFKA_DIST=/path/kafka_2.13-<v>.tgz (or its directory) runs the KRaft
// case against your own download instead. A missing java or mvn fails with the command that installs it.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { ensureDistribution } from '../dists/index.js';
import { until } from './cli-harness.js';
import { cleanupsAfterEach, zooKeeperForFile } from './harness/fixtures.js';
import { runUsedByScenario, type UsedByTarget } from './kafka-used-by-scenario.js';

const WAIT_SECONDS = 90;
const zk = zooKeeperForFile();
const cleanups = cleanupsAfterEach();
const dists = { kraft: '', zooKeeper: '' };

beforeAll(async () => {
  dists.kraft = process.env.KAFKA_DIST === undefined ? (await ensureDistribution('kafka', '4.1.1')).tarball : userDistribution(process.env.KAFKA_DIST);
  dists.zooKeeper = (await ensureDistribution('kafka', '3.9.1')).tarball;
}, 600_000);

/** The distribution KAFKA_DIST names, checked before anything starts. */
function userDistribution(value: string): string {
  const dist = path.resolve(value);
  if (!existsSync(dist)) throw new Error(`KAFKA_DIST=${value}: no such file or directory; point it at a downloaded kafka_2.13-3.x.tgz (or 4.x) or the directory it unpacks to`);
  const isDir = statSync(dist).isDirectory();
  if (isDir ? !existsSync(path.join(dist, 'bin', 'kafka-server-start.sh')) : !/\.(tgz|tar\.gz)$/.test(dist)) {
    throw new Error(`KAFKA_DIST=${value} is not a Kafka distribution: point it at kafka_2.13-3.x.tgz (or 4.x) or the directory it unpacks to (with bin/kafka-server-start.sh)`);
  }
  return dist;
}

/** Produces one message to `topic` and consumes it back from the beginning, as a Kafka client would. */
async function produceAndConsume(endpoints: string[], topic: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'e2e', brokers: endpoints, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: 'e2e' });
  try {
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: 'hello kafka-mesos' }] });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: string[] = [];
    await consumer.run({ eachMessage: async ({ message }) => void received.push(message.value?.toString() ?? '') });
    expect(await until(async () => received.length > 0 && received, `the message back from ${topic}`, WAIT_SECONDS * 1000)).toEqual(['hello kafka-mesos']);
  } finally {
    // Before the scenario stops the brokers: a client left connected would keep retrying against them.
    await consumer.disconnect();
    await producer.disconnect();
  }
}

/** What both modes share: two agents with room for two brokers of --mem 512 each (cpus bound it to two). */
const common = {
  agentResources: 'cpus:2;mem:1536;disk:8192',
  agentEnv: {},
  heap: 256,
  mem: 512,
  // kafka-server-start.sh execs kafka-run-class.sh, which execs `java … kafka.Kafka <sandbox>/server.properties`.
  serverCmdline: 'kafka.Kafka ',
  waitSeconds: WAIT_SECONDS,
  withTopic: (endpoints: string[]) => produceAndConsume(endpoints, 't1'),
} satisfies Partial<UsedByTarget>;

describe('kafka-mesos used-by scenario on real Kafka distributions', () => {
  it('KRaft (Kafka 4.x): adds, starts, stops, updates, fails over and adopts brokers, manages a topic, produces and consumes', async () => {
    await runUsedByScenario(
      {
        ...common,
        dist: dists.kraft,
        mode: [],
        options: '',
        metaIdKey: 'node.id',
        metadataNamesController: false,
        ownLogLine: (id) => new RegExp(`\\] INFO \\[Broker id=${id}\\] `),
      },
      cleanups,
    );
  }, 600_000);

  it('ZooKeeper mode (Kafka 3.9.x): the same scenario with brokers registered in a real ZooKeeper', async () => {
    await runUsedByScenario(
      {
        ...common,
        dist: dists.zooKeeper,
        mode: [`--zk=${zk.server.connect}/kafka`],
        // A broker restarted after kill -9 waits for its old registration's session to expire: keep it short.
        options: 'zookeeper.session.timeout.ms=2000',
        metaIdKey: 'broker.id',
        metadataNamesController: true,
        ownLogLine: (id) => new RegExp(`\\] INFO \\[Broker id=${id}\\] `),
      },
      cleanups,
    );
  }, 600_000);
});
