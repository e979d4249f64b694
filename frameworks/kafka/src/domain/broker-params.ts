// `broker add` / `broker update` parameters (REST names as kafka-mesos: cpus, mem, heap, port, bindAddress,
// constraints, options, log4jOptions, jvmOptions, failoverDelay, failoverMaxDelay, failoverMaxTries,
// stickinessPeriod, volume; plus disk, the size of the data volume). Values are text as given on the command
// line; on update `""` unsets an option (back to its default). Pure: returns the updated broker.
import { parseConstraints, parseDurationMs } from '@mesos-ts/framework-kit';
import { checkLogDirs } from './broker-launch.js';
import { DEFAULT_DISK_MB, newBroker, type Broker, type PortRange } from './broker.js';
import { KafkaError } from './errors.js';
import { formatOptionsMap, parseOptionsMap } from './options-map.js';

export const BROKER_PARAMS = [
  'cpus',
  'mem',
  'heap',
  'disk',
  'port',
  'bindAddress',
  'constraints',
  'options',
  'log4jOptions',
  'jvmOptions',
  'failoverDelay',
  'failoverMaxDelay',
  'failoverMaxTries',
  'stickinessPeriod',
  'volume',
] as const;

export type BrokerParam = (typeof BROKER_PARAMS)[number];
export type BrokerParams = Partial<Record<BrokerParam, string>>;

/** The broker with `params` applied (unknown names were filtered by the caller). Throws INVALID_PARAMETER. */
export function applyBrokerParams(broker: Broker, params: BrokerParams): Broker {
  const defaults = newBroker(broker.id);
  const b: Broker = { ...broker, failover: { ...broker.failover }, stickiness: { ...broker.stickiness } };
  for (const name of BROKER_PARAMS) {
    const raw = params[name];
    if (raw === undefined) continue;
    const value = raw.trim();
    const unset = value === '';
    switch (name) {
      case 'cpus':
        b.cpus = unset ? defaults.cpus : positiveNumber(name, value);
        break;
      case 'mem':
        b.mem = unset ? defaults.mem : positiveInteger(name, value);
        break;
      case 'heap':
        b.heap = unset ? defaults.heap : positiveInteger(name, value);
        break;
      case 'disk':
        b.disk = unset ? undefined : positiveInteger(name, value);
        if (broker.volumeAgentId !== undefined && b.disk !== broker.disk) {
          throw new KafkaError('INVALID_PARAMETER', `broker ${broker.id}'s volume already exists with ${broker.disk ?? DEFAULT_DISK_MB} MB; a volume cannot be resized: remove the broker with --force and add it again`);
        }
        break;
      case 'port':
        b.port = unset || value === 'auto' ? undefined : parsePortRange(value);
        break;
      case 'bindAddress':
        b.bindAddress = unset ? undefined : value;
        break;
      case 'constraints':
        if (!unset) parseConstraints(value);
        b.constraints = unset ? undefined : value;
        break;
      case 'options':
        if (!unset) checkLogDirs(parseOptionsMap(raw, 'options'));
        b.options = unset ? undefined : formatOptionsMap(parseOptionsMap(raw, 'options'));
        break;
      case 'log4jOptions':
        b.log4jOptions = unset ? undefined : formatOptionsMap(parseOptionsMap(raw, 'log4j-options'));
        break;
      case 'jvmOptions':
        b.jvmOptions = unset ? undefined : value;
        break;
      case 'failoverDelay':
        b.failover.delay = unset ? defaults.failover.delay : duration(name, value);
        break;
      case 'failoverMaxDelay':
        b.failover.maxDelay = unset ? defaults.failover.maxDelay : duration(name, value);
        break;
      case 'failoverMaxTries':
        b.failover.maxTries = unset ? undefined : positiveInteger(name, value);
        break;
      case 'stickinessPeriod':
        b.stickiness.period = unset ? defaults.stickiness.period : duration(name, value);
        break;
      case 'volume':
        if (broker.volumeAgentId !== undefined && (unset ? undefined : value) !== broker.volume) {
          throw new KafkaError('INVALID_PARAMETER', `broker ${broker.id} already keeps its data on volume ${broker.volume ?? 'of its own'}; remove and add the broker to change it`);
        }
        b.volume = unset ? undefined : value;
        break;
    }
  }
  if (b.failover.maxDelay < b.failover.delay) {
    throw new KafkaError('INVALID_PARAMETER', `failover-max-delay (${b.failover.maxDelay} ms) is below failover-delay (${b.failover.delay} ms); raise the max delay`);
  }
  if (b.heap > b.mem) throw new KafkaError('INVALID_PARAMETER', `heap ${b.heap} MB does not fit in mem ${b.mem} MB; raise --mem or lower --heap`);
  return b;
}

/** Did an update change anything the running broker uses (so it needs a restart)? */
export function settingsChanged(before: Broker, after: Broker): boolean {
  const settings = (b: Broker): unknown[] => [b.cpus, b.mem, b.heap, b.disk, b.port?.from, b.port?.to, b.bindAddress, b.constraints, b.options, b.log4jOptions, b.jvmOptions, b.volume];
  return JSON.stringify(settings(before)) !== JSON.stringify(settings(after));
}

export function parsePortRange(text: string): PortRange {
  const m = /^(\d+)(?:\.\.(\d+))?$/.exec(text.trim());
  const from = Number(m?.[1]);
  const to = m?.[2] === undefined ? from : Number(m[2]);
  if (m === null || from < 1 || to > 65535 || from > to) {
    throw new KafkaError('INVALID_PARAMETER', `invalid port '${text}': expected a port (31092), a range (31090..31100) or auto`);
  }
  return { from, to };
}

export function formatPortRange(port: PortRange | undefined): string {
  if (port === undefined) return 'auto';
  return port.from === port.to ? String(port.from) : `${port.from}..${port.to}`;
}

function positiveNumber(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new KafkaError('INVALID_PARAMETER', `invalid ${name} '${text}': expected a positive number, e.g. 0.5, 1, 2`);
  return n;
}

function positiveInteger(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new KafkaError('INVALID_PARAMETER', `invalid ${name} '${text}': expected a positive whole number`);
  return n;
}

function duration(name: string, text: string): number {
  try {
    return parseDurationMs(text);
  } catch (e) {
    throw new KafkaError('INVALID_PARAMETER', `invalid ${name}: ${(e as Error).message}`);
  }
}
