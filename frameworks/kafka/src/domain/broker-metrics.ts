// Broker metrics as kafka-mesos shows them (`metrics:` in a broker block): Kafka's UnderReplicatedPartitions,
// OfflinePartitionsCount and ActiveControllerCount. The executor computes them from cluster metadata (what
// a Kafka client can see; no JMX) and sends them to the scheduler as a framework message
// `{type:'metrics', brokerId, metrics}` after TASK_RUNNING and then every 30 s. Pure.

export interface BrokerMetrics {
  /** When the executor collected them, ms since the epoch. */
  timestamp: number;
  /** Partitions this broker leads whose ISR is smaller than their replica set. */
  underReplicatedPartitions: number;
  /** Partitions without a leader; only the active controller reports it (others 0), as in Kafka. */
  offlinePartitionsCount: number;
  /** 1 when this broker is the active controller, else 0. */
  activeControllerCount: number;
}

export interface MetricsMessage {
  type: 'metrics';
  brokerId: number;
  metrics: BrokerMetrics;
}

export interface PartitionView {
  leader: number;
  replicas: readonly number[];
  isr: readonly number[];
}

/** The metrics of `brokerId` from a metadata snapshot (controller id, every topic's partitions). */
export function metricsFromMetadata(brokerId: number, controllerId: number | null | undefined, partitions: readonly PartitionView[], now: number): BrokerMetrics {
  const controller = controllerId === brokerId;
  return {
    timestamp: now,
    underReplicatedPartitions: partitions.filter((p) => p.leader === brokerId && p.isr.length < p.replicas.length).length,
    offlinePartitionsCount: controller ? partitions.filter((p) => p.leader < 0).length : 0,
    activeControllerCount: controller ? 1 : 0,
  };
}

/** The metrics in a framework message, or undefined when it is something else. */
export function parseMetricsMessage(data: Uint8Array): MetricsMessage | undefined {
  let m: Partial<MetricsMessage>;
  try {
    m = JSON.parse(new TextDecoder().decode(data)) as Partial<MetricsMessage>;
  } catch {
    return undefined;
  }
  const x = m.metrics;
  if (m.type !== 'metrics' || typeof m.brokerId !== 'number' || x === undefined || x === null) return undefined;
  const fields = [x.timestamp, x.underReplicatedPartitions, x.offlinePartitionsCount, x.activeControllerCount];
  if (!fields.every((f) => typeof f === 'number' && Number.isFinite(f))) return undefined;
  return { type: 'metrics', brokerId: m.brokerId, metrics: { timestamp: x.timestamp!, underReplicatedPartitions: x.underReplicatedPartitions!, offlinePartitionsCount: x.offlinePartitionsCount!, activeControllerCount: x.activeControllerCount! } };
}
