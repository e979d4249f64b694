// `kafka-mesos executor`: started by the agent in the broker's sandbox (MESOS_* environment). Runs until the
// broker's task is over and its terminal update acknowledged, or the agent shuts the executor down.
import kafkajs from 'kafkajs';
import { ExecutorClient } from '@mesos-ts/executor';
import { executorExitCode, untilExecutorEnds } from '@mesos-ts/framework-kit';
import { pino } from 'pino';
import { metricsFromMetadata, type BrokerMetrics } from '../domain/broker-metrics.js';
import { KafkaExecutor } from './kafka-executor.js';

/** True when a Kafka broker at host:port answers a metadata request. */
export async function kafkaProbe(endpoint: string): Promise<boolean> {
  const admin = new kafkajs.Kafka({ clientId: 'kafka-mesos-executor', brokers: [endpoint], logLevel: kafkajs.logLevel.NOTHING, connectionTimeout: 1_000, requestTimeout: 2_000, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** The broker's metrics from cluster metadata, as a Kafka client sees it (kafkajs describeCluster + topic metadata). */
export async function kafkaMetrics(endpoint: string, brokerId: number): Promise<BrokerMetrics> {
  const admin = new kafkajs.Kafka({ clientId: 'kafka-mesos-executor', brokers: [endpoint], logLevel: kafkajs.logLevel.NOTHING, connectionTimeout: 2_000, requestTimeout: 5_000, retry: { retries: 0 } }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    const { topics } = await admin.fetchTopicMetadata();
    return metricsFromMetadata(brokerId, cluster.controller, topics.flatMap((t) => t.partitions), Date.now());
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function runExecutor(): Promise<number> {
  const logger = pino({ base: { component: 'kafka-mesos-executor' } }, pino.destination(2));
  const client = new ExecutorClient({ logger });
  const sandbox = client.environment.sandbox ?? client.environment.directory ?? process.cwd();
  const executor = new KafkaExecutor(client, { sandbox, probe: kafkaProbe, metrics: kafkaMetrics, logger });
  const reason = await untilExecutorEnds(client, executor.done);
  await client.stop();
  logger.info({ reason }, 'executor exiting');
  return executorExitCode(reason);
}
