// Topics as the REST API shows them (kafka-mesos: `{"name", "partitions": {"0": "0, 1"}, "options": {}}`,
// plus the leaders and in-sync replicas we read from the cluster), and the replica assignment used by
// `topic add` and `topic rebalance`: round-robin over the selected brokers, like Kafka's own assigner.
import { KafkaError } from './errors.js';

export interface TopicJson {
  name: string;
  /** Partition -> replica broker ids, `"0, 1"`. */
  partitions: Record<string, string>;
  options: Record<string, string>;
  /** Partition -> leader broker id. */
  leaders?: Record<string, number>;
  /** Partition -> in-sync replicas, `"0, 1"`. */
  isr?: Record<string, string>;
}

/**
 * Replicas per partition: partition p gets `replicas` consecutive brokers starting at (start + p) mod n, so
 * leaders (first replica) spread evenly and no partition has a broker twice.
 */
export function assignReplicas(brokers: readonly number[], partitions: number, replicas: number, start = 0): number[][] {
  if (brokers.length === 0) throw new KafkaError('INVALID_PARAMETER', 'no brokers selected: --broker matched no running broker; start brokers or widen --broker');
  if (!Number.isSafeInteger(partitions) || partitions < 1) throw new KafkaError('INVALID_PARAMETER', `invalid partitions ${partitions}: expected a whole number >= 1`);
  if (!Number.isSafeInteger(replicas) || replicas < 1) throw new KafkaError('INVALID_PARAMETER', `invalid replicas ${replicas}: expected a whole number >= 1`);
  if (replicas > brokers.length) {
    throw new KafkaError('INVALID_PARAMETER', `replicas ${replicas} is more than the ${brokers.length} selected broker(s) (${brokers.join(',')}); lower --replicas or select more brokers`);
  }
  const sorted = [...brokers].sort((a, b) => a - b);
  return Array.from({ length: partitions }, (_, p) => Array.from({ length: replicas }, (_, r) => sorted[(start + p + r) % sorted.length]!));
}

export function formatReplicas(replicas: readonly number[]): string {
  return replicas.join(', ');
}
