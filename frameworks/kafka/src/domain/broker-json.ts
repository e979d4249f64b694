// The JSON shape of a broker on the REST API (kafka-mesos' names: ids as strings, durations as `1m`, times
// as `2015-07-10 15:51:43Z`), with the display state computed at `now`. The CLI prints from this shape.
import { formatDurationMs } from '@mesos-ts/framework-kit';
import { brokerState, type Broker } from './broker.js';
import type { BrokerMetrics } from './broker-metrics.js';
import { formatPortRange } from './broker-params.js';

export interface BrokerJson {
  id: string;
  active: boolean;
  /** Display state: `stopped`, `running`, `starting 2/4, failed …`, `failed 1 …, next start …`. */
  state: string;
  needsRestart?: boolean;
  cpus: number;
  mem: number;
  heap: number;
  disk?: number;
  port: string;
  volume?: string;
  bindAddress?: string;
  constraints?: string;
  options?: string;
  log4jOptions?: string;
  jvmOptions?: string;
  failover: { delay: string; maxDelay: string; maxTries?: number; failures?: number; failureTime?: string };
  stickiness: { period: string; hostname?: string; stopTime?: string; expires?: string };
  task?: { id: string; state: string; running: boolean; endpoint: string; hostname: string; slaveId: string; executorId: string; attributes: Record<string, string> };
  /** The latest metrics its executor reported while the task runs. */
  metrics?: { collected: string; timestamp: number; underReplicatedPartitions: number; offlinePartitionsCount: number; activeControllerCount: number };
}

export function brokerToJson(b: Broker, now: number, metrics?: BrokerMetrics): BrokerJson {
  const json: BrokerJson = { id: String(b.id), active: b.active, state: displayState(b, now), cpus: b.cpus, mem: b.mem, heap: b.heap, port: formatPortRange(b.port), failover: { delay: formatDurationMs(b.failover.delay), maxDelay: formatDurationMs(b.failover.maxDelay) }, stickiness: { period: formatDurationMs(b.stickiness.period) } };
  if (b.needsRestart) json.needsRestart = true;
  if (b.disk !== undefined) json.disk = b.disk;
  if (b.volume !== undefined) json.volume = b.volume;
  if (b.bindAddress !== undefined) json.bindAddress = b.bindAddress;
  if (b.constraints !== undefined) json.constraints = b.constraints;
  if (b.options !== undefined) json.options = b.options;
  if (b.log4jOptions !== undefined) json.log4jOptions = b.log4jOptions;
  if (b.jvmOptions !== undefined) json.jvmOptions = b.jvmOptions;
  if (b.failover.maxTries !== undefined) json.failover.maxTries = b.failover.maxTries;
  if (b.failover.failures > 0) json.failover.failures = b.failover.failures;
  if (b.failover.failureTime !== undefined) json.failover.failureTime = formatTime(b.failover.failureTime);
  if (b.stickiness.hostname !== undefined) json.stickiness.hostname = b.stickiness.hostname;
  if (b.stickiness.stopTime !== undefined) {
    json.stickiness.stopTime = formatTime(b.stickiness.stopTime);
    if (b.stickiness.hostname !== undefined) json.stickiness.expires = formatTime(b.stickiness.stopTime + b.stickiness.period);
  }
  const t = b.task;
  if (t !== undefined) {
    json.task = { id: t.id, state: t.state, running: t.state === 'running', endpoint: `${t.hostname}:${t.port}`, hostname: t.hostname, slaveId: t.agentId, executorId: t.executorId, attributes: t.attributes };
    if (metrics !== undefined) json.metrics = { collected: formatTime(metrics.timestamp), ...metrics };
  }
  return json;
}

/** kafka-mesos' Broker.state(): the task's state when it has one, else starting/failover text or stopped. */
export function displayState(b: Broker, now: number): string {
  const state = brokerState(b);
  if (state !== 'stopped' && state !== 'starting') return state;
  if (!b.active) return state;
  const f = b.failover;
  if (f.failures > 0 && f.failureTime !== undefined) {
    const next = f.failureTime + Math.min(f.maxDelay, f.delay * 2 ** Math.min(f.failures - 1, 40));
    const tries = f.maxTries === undefined ? '' : `/${f.maxTries}`;
    if (now < next && state === 'stopped') return `failed ${f.failures}${tries} ${formatTime(f.failureTime)}, next start ${formatTime(next)}`;
    const startTries = f.maxTries === undefined ? '' : `/${f.maxTries + 1}`;
    return `starting ${f.failures + 1}${startTries}, failed ${formatTime(f.failureTime)}`;
  }
  return 'starting';
}

/** `2015-07-10 15:51:43Z` (kafka-mesos' `yyyy-MM-dd HH:mm:ssX`, always UTC). */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}
