// The broker model the scheduler keeps in its state store: settings given by `broker add/update`, the
// desired state (`active`), failover and stickiness bookkeeping, the current task, and where its data
// volume lives. Times are ms since the epoch, durations ms. Plain JSON so it persists as is.
import type { BrokerState } from './broker-state.js';

export interface PortRange {
  from: number;
  to: number;
}

export interface BrokerTask {
  /** `broker-<id>-<uuid>`. */
  id: string;
  agentId: string;
  executorId: string;
  hostname: string;
  /** The Kafka listener port, and in KRaft mode the controller port. */
  port: number;
  controllerPort: number | undefined;
  /** Attributes of the agent (for attribute filters and constraints). */
  attributes: Record<string, string>;
  state: Exclude<BrokerState, 'stopped'>;
}

export interface Broker {
  id: number;
  /** Desired state: start sets it, stop clears it. */
  active: boolean;
  cpus: number;
  /** MB. */
  mem: number;
  /** MB, KAFKA_HEAP_OPTS -Xmx/-Xms. */
  heap: number;
  /** MB of the data volume; undefined = DEFAULT_DISK_MB. */
  disk: number | undefined;
  /** Undefined = any offered port (auto). */
  port: PortRange | undefined;
  bindAddress: string | undefined;
  /** `hostname=like:slave.*,rack=unique` as given (validated). */
  constraints: string | undefined;
  /** server.properties overrides `k=v,k=v` as given (validated; `$id` is substituted at launch). */
  options: string | undefined;
  log4jOptions: string | undefined;
  jvmOptions: string | undefined;
  /** A pre-reserved persistent volume id to use instead of an automatic one. */
  volume: string | undefined;
  failover: { delay: number; maxDelay: number; maxTries: number | undefined; failures: number; failureTime: number | undefined };
  stickiness: { period: number; hostname: string | undefined; stopTime: number | undefined };
  task: BrokerTask | undefined;
  /** Settings changed while running: they apply after a restart. */
  needsRestart: boolean;
  /** Agent holding the broker's volume once it was created (the broker only goes back there). */
  volumeAgentId: string | undefined;
  /** Host and ports of the last launch; KRaft reuses them so the controller quorum's voters stay valid. */
  placement: { hostname: string; port: number; controllerPort: number | undefined } | undefined;
}

export const DEFAULT_DISK_MB = 1024;

export function newBroker(id: number): Broker {
  return {
    id,
    active: false,
    cpus: 1,
    mem: 2048,
    heap: 1024,
    disk: undefined,
    port: undefined,
    bindAddress: undefined,
    constraints: undefined,
    options: undefined,
    log4jOptions: undefined,
    jvmOptions: undefined,
    volume: undefined,
    failover: { delay: 60_000, maxDelay: 600_000, maxTries: undefined, failures: 0, failureTime: undefined },
    stickiness: { period: 600_000, hostname: undefined, stopTime: undefined },
    task: undefined,
    needsRestart: false,
    volumeAgentId: undefined,
    placement: undefined,
  };
}

/** The observed state (no task = stopped). */
export function brokerState(b: Broker): BrokerState {
  return b.task?.state ?? 'stopped';
}

/** Persistence id of the broker's automatic data volume (and label of its reservations). */
export function volumeId(frameworkName: string, b: Pick<Broker, 'id' | 'volume'>): string {
  return b.volume ?? `${frameworkName}-broker-${b.id}`;
}

/** A copy of `source`'s settings for a new broker `id` (`broker clone`): no task, state or placement. */
export function cloneBroker(source: Broker, id: number): Broker {
  const fresh = newBroker(id);
  return {
    ...fresh,
    cpus: source.cpus,
    mem: source.mem,
    heap: source.heap,
    disk: source.disk,
    port: source.port,
    bindAddress: source.bindAddress,
    constraints: source.constraints,
    options: source.options,
    log4jOptions: source.log4jOptions,
    jvmOptions: source.jvmOptions,
    failover: { ...fresh.failover, delay: source.failover.delay, maxDelay: source.failover.maxDelay, maxTries: source.failover.maxTries },
    stickiness: { ...fresh.stickiness, period: source.stickiness.period },
  };
}
