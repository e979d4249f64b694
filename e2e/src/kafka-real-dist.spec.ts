// Opt-in: the used-by scenario (kafka-used-by-scenario.ts, the stand-in run is kafka-used-by.spec.ts) against a
// REAL Kafka distribution, KAFKA_DIST=/path/kafka_2.13-3.x.tgz (or its unpacked directory; Kafka 3.x or 4.x),
// in KRaft mode (no --zk: Kafka 4 has no ZooKeeper mode), on mesos-local with the built scheduler and CLI
// processes; then a message produced and consumed with kafkajs. Needs java (Kafka's scripts run it). Skipped,
// with the reason in its name, when KAFKA_DIST is unset; a KAFKA_DIST that is no distribution or a missing
// java fails at once with what to do.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { until } from './cli-harness.js';
import { cleanupsAfterEach } from './harness/fixtures.js';
import { runUsedByScenario } from './kafka-used-by-scenario.js';

const DIST = process.env.KAFKA_DIST;
const WAIT_SECONDS = 90;
const cleanups = cleanupsAfterEach();

/** The distribution KAFKA_DIST names, checked before anything starts. */
function realDistribution(value: string): string {
  const dist = path.resolve(value);
  if (!existsSync(dist)) throw new Error(`KAFKA_DIST=${value}: no such file or directory; point it at a downloaded kafka_2.13-3.x.tgz (or 4.x) or the directory it unpacks to`);
  const isDir = statSync(dist).isDirectory();
  if (isDir ? !existsSync(path.join(dist, 'bin', 'kafka-server-start.sh')) : !/\.(tgz|tar\.gz)$/.test(dist)) {
    throw new Error(`KAFKA_DIST=${value} is not a Kafka distribution: point it at kafka_2.13-3.x.tgz (or 4.x) or the directory it unpacks to (with bin/kafka-server-start.sh)`);
  }
  const java = process.env.JAVA_HOME === undefined ? 'java' : path.join(process.env.JAVA_HOME, 'bin', 'java');
  const version = spawnSync(java, ['-version'], { stdio: 'ignore' });
  if (version.error !== undefined || version.status !== 0) throw new Error(`a real Kafka needs java and \`${java} -version\` failed: apt-get install default-jre-headless (or set JAVA_HOME)`);
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

describe.skipIf(DIST === undefined)(`kafka-mesos used-by scenario on a real Kafka distribution${DIST === undefined ? ' (skipped: set KAFKA_DIST=/path/kafka_2.13-3.x.tgz to run; needs java)' : ''}`, () => {
  it('KRaft: adds, starts, stops, updates, fails over and adopts brokers, manages a topic, produces and consumes a message', async () => {
    const dist = realDistribution(DIST!);
    await runUsedByScenario(
      {
        dist,
        mode: [],
        // Room for two brokers of --mem 1024 per agent, as the stand-in run has for two of 2048.
        agentResources: 'cpus:2;mem:2560;disk:8192',
        agentEnv: {},
        heap: 512,
        mem: 1024,
        options: '',
        // kafka-server-start.sh execs kafka-run-class.sh, which execs `java … kafka.Kafka <sandbox>/server.properties`.
        serverCmdline: 'kafka.Kafka ',
        waitSeconds: WAIT_SECONDS,
        metaIdKey: 'node.id',
        metadataNamesController: false,
        startedLogLine: (id) => `[KafkaRaftServer nodeId=${id}] Kafka Server started (kafka.server.KafkaRaftServer)\n`,
        withTopic: (endpoints) => produceAndConsume(endpoints, 't1'),
      },
      cleanups,
    );
  }, 900_000);
});
