// What the scheduler tells the executor in TaskInfo.data (JSON): everything needed to write server.properties
// and start Kafka, computed here so the executor stays a thin process runner. Pure.
import type { Broker } from './broker.js';
import { KafkaError } from './errors.js';
import { parseOptionsMap, substituteId } from './options-map.js';

/** Mount point of the broker's persistent volume inside the sandbox. */
export const DATA_PATH = 'data';

export interface BrokerLaunch {
  brokerId: number;
  hostname: string;
  port: number;
  /** KRaft only: the controller listener port. */
  controllerPort?: number;
  /** Host/IP Kafka binds to; the advertised host is `hostname`. */
  bindAddress?: string;
  heap: number;
  jvmOptions?: string;
  log4jOptions: Record<string, string>;
  /** server.properties, complete (defaults, cluster mode, then the user's --options). Relative log.dirs are in the sandbox. */
  properties: Record<string, string>;
  /** KRaft only: the cluster id `kafka-storage.sh format -t` gets (once per volume). */
  clusterId?: string;
  /** Where the distribution is: a file name the fetcher put in the sandbox (a .tgz or a dir), or an absolute path. */
  distribution: string;
}

export interface ClusterMode {
  /** Kafka's zookeeper.connect; undefined = KRaft. */
  zk: string | undefined;
  /** KRaft: the controller quorum, `id@host:port` of every voter, e.g. `0@h1:31001,1@h2:31003` (see quorum.ts). */
  voters: string;
  clusterId: string;
  /** Whether brokers keep their data on a persistent volume (needs a role other than `*`). */
  volumes: boolean;
}

/** Default broker properties kafka-mesos sets (user --options override them). */
export const DEFAULT_PROPERTIES: Readonly<Record<string, string>> = { 'log.retention.bytes': String(10 * 1024 ** 3) };

/**
 * server.properties of a broker. KRaft: a broker with a controller port is a quorum voter
 * (`process.roles=broker,controller`), one without joins as `process.roles=broker`. With a persistent volume
 * every `log.dirs` entry names a directory ON the volume (see volumeLogDirs).
 */
export function serverProperties(b: Broker, hostname: string, port: number, controllerPort: number | undefined, mode: ClusterMode): Record<string, string> {
  const bind = b.bindAddress ?? hostname;
  const props: Record<string, string> = { ...DEFAULT_PROPERTIES, 'log.dirs': 'kafka-logs' };
  if (mode.zk !== undefined) {
    props['broker.id'] = String(b.id);
    props['zookeeper.connect'] = mode.zk;
    props.listeners = `PLAINTEXT://${bind}:${port}`;
  } else {
    props['node.id'] = String(b.id);
    props['process.roles'] = controllerPort === undefined ? 'broker' : 'broker,controller';
    props['controller.listener.names'] = 'CONTROLLER';
    props['inter.broker.listener.name'] = 'PLAINTEXT';
    props['listener.security.protocol.map'] = 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT';
    props['controller.quorum.voters'] = mode.voters;
    props.listeners = controllerPort === undefined ? `PLAINTEXT://${bind}:${port}` : `PLAINTEXT://${bind}:${port},CONTROLLER://${bind}:${controllerPort}`;
  }
  props['advertised.listeners'] = `PLAINTEXT://${hostname}:${port}`;
  for (const [k, v] of substituteId(parseOptionsMap(b.options ?? ''), b.id)) props[k] = v;
  // Without a volume the data lives in the sandbox: an absolute entry (e.g. /mnt/kafka/broker0) becomes a
  // directory under the sandbox instead of silently writing the host's /mnt from a task of role `*`.
  props['log.dirs'] = mode.volumes ? volumeLogDirs(props['log.dirs']!) : sandboxLogDirs(props['log.dirs']!);
  return props;
}

/**
 * A broker on a persistent volume keeps ALL its data on it: the volume (mounted at DATA_PATH in the sandbox)
 * is the root of its `log.dirs`, so `kafka-logs` is `data/kafka-logs` and an absolute `/mnt/kafka/broker0`
 * is `data/mnt/kafka/broker0`. A host path outside the volume would leave the data behind when the broker
 * moves and lose it with the sandbox, so it is never used. `..` is refused when the option is set
 * (checkLogDirs), so a path cannot climb out of the volume.
 */
export function volumeLogDirs(logDirs: string): string {
  return logDirs
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '')
    .map((d) => `${DATA_PATH}/${d.replace(/^\/+/, '').replace(/\/+$/, '')}`)
    .join(',');
}

/** `log.dirs` of a broker without a volume: every entry relative to the sandbox (`/mnt/k` is `mnt/k`). */
export function sandboxLogDirs(logDirs: string): string {
  return logDirs
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '')
    .map((d) => d.replace(/^\/+/, '').replace(/\/+$/, ''))
    .join(',');
}

/** Throws when a `log.dirs`/`log.dir` entry has a `..` segment (it could point outside the data volume). */
export function checkLogDirs(options: ReadonlyMap<string, string>): void {
  for (const key of ['log.dirs', 'log.dir']) {
    const value = options.get(key);
    if (value === undefined) continue;
    if (value.split(',').some((d) => d.split('/').includes('..'))) {
      throw new KafkaError('INVALID_PARAMETER', `${key}=${value}: '..' is not allowed; give a path like /mnt/kafka/broker$id (on a persistent volume it is a directory on the volume)`);
    }
  }
}

export function brokerLaunch(b: Broker, hostname: string, port: number, controllerPort: number | undefined, mode: ClusterMode, distribution: string): BrokerLaunch {
  const launch: BrokerLaunch = {
    brokerId: b.id,
    hostname,
    port,
    heap: b.heap,
    log4jOptions: Object.fromEntries(parseOptionsMap(b.log4jOptions ?? '', 'log4j-options')),
    properties: serverProperties(b, hostname, port, controllerPort, mode),
    distribution,
  };
  if (controllerPort !== undefined) launch.controllerPort = controllerPort;
  if (b.bindAddress !== undefined) launch.bindAddress = b.bindAddress;
  if (b.jvmOptions !== undefined) launch.jvmOptions = b.jvmOptions;
  if (mode.zk === undefined) launch.clusterId = mode.clusterId;
  return launch;
}

/** server.properties file text, keys in the order given. */
export function formatProperties(props: Readonly<Record<string, string>>): string {
  return Object.entries(props)
    .map(([k, v]) => `${k}=${v}\n`)
    .join('');
}
