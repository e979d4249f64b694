// Topics through kafkajs' admin client, against the running brokers' endpoints: create with an explicit
// replica assignment over the selected brokers, update configs, list partitions/leaders/ISR, and rebalance by
// reassigning partitions (AlterPartitionReassignments) and polling ListPartitionReassignments for progress.
import kafkajs from 'kafkajs';
import type { Admin } from 'kafkajs';
import type { RebalanceRequest, RebalanceResult, TopicAddRequest, TopicService } from '../api/topic-service.js';
import { KafkaError } from '../domain/errors.js';
import { assignReplicas, formatReplicas, type TopicJson } from '../domain/topic.js';

const { Kafka, ConfigResourceTypes, logLevel } = kafkajs;

export class KafkaTopics implements TopicService {
  /** `endpoints()` gives `host:port` of the running brokers at each call. */
  constructor(private readonly endpoints: () => string[]) {}

  names(): Promise<string[]> {
    return this.withAdmin(async (admin) => (await admin.listTopics()).filter((t) => !t.startsWith('__')).sort());
  }

  list(names: readonly string[]): Promise<TopicJson[]> {
    return this.withAdmin((admin) => describe(admin, names));
  }

  add(request: TopicAddRequest): Promise<TopicJson[]> {
    return this.withAdmin(async (admin) => {
      const existing = new Set(await admin.listTopics());
      const dup = request.names.filter((n) => existing.has(n));
      if (dup.length > 0) throw new KafkaError('INVALID_PARAMETER', `topic ${dup.join(',')} already exists; use 'topic update' to change its options`);
      const assignment = assignReplicas(request.brokers, request.partitions, request.replicas);
      const configEntries = Object.entries(request.options).map(([name, value]) => ({ name, value }));
      await admin.createTopics({
        waitForLeaders: true,
        topics: request.names.map((topic) => ({ topic, replicaAssignment: assignment.map((replicas, partition) => ({ partition, replicas })), configEntries })),
      });
      return describe(admin, request.names);
    });
  }

  update(names: readonly string[], options: Record<string, string>): Promise<TopicJson[]> {
    return this.withAdmin(async (admin) => {
      // AlterConfigs replaces a topic's whole config: merge the change into what is set now.
      const current = await configsOf(admin, names);
      await admin.alterConfigs({
        validateOnly: false,
        resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configEntries: Object.entries({ ...current.get(name), ...options }).map(([n, value]) => ({ name: n, value })) })),
      });
      return describe(admin, names);
    });
  }

  rebalance(request: RebalanceRequest): Promise<RebalanceResult> {
    return this.withAdmin(async (admin) => {
      if (request.names === undefined) {
        const moving = await ongoing(admin);
        return { status: moving.length === 0 ? 'idle' : 'running', moving, topics: [] };
      }
      const metadata = await admin.fetchTopicMetadata({ topics: [...request.names] });
      await admin.alterPartitionReassignments({
        topics: metadata.topics.map((t) => {
          const assignment = assignReplicas(request.brokers, t.partitions.length, request.replicas);
          return { topic: t.name, partitionAssignment: t.partitions.map((p) => ({ partition: p.partitionId, replicas: assignment[p.partitionId]! })) };
        }),
      });
      let moving = await ongoing(admin);
      const deadline = Date.now() + request.timeoutMs;
      while (moving.length > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        moving = await ongoing(admin);
      }
      const status = moving.length === 0 ? 'completed' : request.timeoutMs === 0 ? 'started' : 'timeout';
      return { status, moving, topics: await describe(admin, request.names) };
    });
  }

  private async withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    const brokers = this.endpoints();
    if (brokers.length === 0) throw new KafkaError('UNAVAILABLE', "no broker is running; topics need a running Kafka cluster ('broker start 0..2')");
    const admin = new Kafka({ clientId: 'kafka-mesos', brokers, logLevel: logLevel.NOTHING, connectionTimeout: 3_000, requestTimeout: 10_000, retry: { retries: 2 } }).admin();
    try {
      await admin.connect();
      return await work(admin);
    } catch (e) {
      if (e instanceof KafkaError) throw e;
      throw new KafkaError('UNAVAILABLE', `Kafka at ${brokers.join(',')} failed the request: ${(e as Error).message}`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

async function describe(admin: Admin, names: readonly string[]): Promise<TopicJson[]> {
  if (names.length === 0) return [];
  const metadata = await admin.fetchTopicMetadata({ topics: [...names] });
  const configs = await configsOf(admin, names);
  return metadata.topics
    .map((t) => {
      const partitions = [...t.partitions].sort((a, b) => a.partitionId - b.partitionId);
      return {
        name: t.name,
        partitions: Object.fromEntries(partitions.map((p) => [String(p.partitionId), formatReplicas(p.replicas)])),
        options: configs.get(t.name) ?? {},
        leaders: Object.fromEntries(partitions.map((p) => [String(p.partitionId), p.leader])),
        isr: Object.fromEntries(partitions.map((p) => [String(p.partitionId), formatReplicas(p.isr)])),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** DescribeConfigs' source of a config set on the topic itself (not a broker or cluster default). */
const TOPIC_CONFIG_SOURCE = 1;

/**
 * Topic configs set on the topic itself, by topic: what upstream's `topic list` shows as options. Cluster-level
 * dynamic defaults (Kafka 4 sets min.insync.replicas that way) and broker defaults are not the topic's options.
 */
async function configsOf(admin: Admin, names: readonly string[]): Promise<Map<string, Record<string, string>>> {
  const response = await admin.describeConfigs({ includeSynonyms: false, resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })) });
  return new Map(response.resources.map((r) => [r.resourceName, Object.fromEntries(r.configEntries.filter((c) => c.configSource === TOPIC_CONFIG_SOURCE).map((c) => [c.configName, c.configValue]))]));
}

async function ongoing(admin: Admin): Promise<string[]> {
  const list = await admin.listPartitionReassignments({});
  return list.topics.flatMap((t) => t.partitions.map((p) => `${t.topic}:${p.partitionIndex}`)).sort();
}
