import { describe, expect, it } from 'vitest';
import { metricsFromMetadata, parseMetricsMessage, type PartitionView } from './broker-metrics.js';

const P = (leader: number, replicas: number[], isr: number[]): PartitionView => ({ leader, replicas, isr });
const PARTITIONS = [P(0, [0, 1], [0]), P(0, [0, 1], [0, 1]), P(1, [1, 0], [1]), P(-1, [2], [])];

describe('broker metrics', () => {
  it.each<[string, number, number | null, [number, number, number]]>([
    ['the controller', 0, 0, [1, 1, 1]],
    ['another broker', 1, 0, [1, 0, 0]],
    ['no known controller', 2, null, [0, 0, 0]],
  ])('%s', (_, id, controller, [under, offline, active]) => {
    expect(metricsFromMetadata(id, controller, PARTITIONS, 5)).toEqual({ timestamp: 5, underReplicatedPartitions: under, offlinePartitionsCount: offline, activeControllerCount: active });
  });

  it.each<[string, unknown, boolean]>([
    ['a metrics message', { type: 'metrics', brokerId: 1, metrics: { timestamp: 1, underReplicatedPartitions: 0, offlinePartitionsCount: 0, activeControllerCount: 1 } }, true],
    ['a log reply', { type: 'log', id: 'x', content: '' }, false],
    ['a missing field', { type: 'metrics', brokerId: 1, metrics: { timestamp: 1 } }, false],
    ['not JSON', 'x{', false],
  ])('parses %s', (_, body, ok) => {
    const data = new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body));
    expect(parseMetricsMessage(data) !== undefined).toBe(ok);
  });
});
