// What the scheduler tells the executor in TaskInfo.data (JSON): everything needed to write server.properties
// and start Kafka, computed here so the executor stays a thin process runner. Pure.
import type { Broker } from './broker.js';
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
  /** KRaft: `id@host:port` of every controller, e.g. `0@h1:31001,1@h2:31003`. */
  voters: string;
  clusterId: string;
  /** Whether brokers keep their data on a persistent volume (needs a role other than `*`). */
  volumes: boolean;
}

/** Default broker properties kafka-mesos sets (user --options override them). */
export const DEFAULT_PROPERTIES: Readonly<Record<string, string>> = { 'log.retention.bytes': String(10 * 1024 ** 3) };

export function serverProperties(b: Broker, hostname: string, port: number, controllerPort: number | undefined, mode: ClusterMode): Record<string, string> {
  const bind = b.bindAddress ?? hostname;
  const props: Record<string, string> = { ...DEFAULT_PROPERTIES, 'log.dirs': mode.volumes ? `${DATA_PATH}/kafka-logs` : 'kafka-logs' };
  if (mode.zk !== undefined) {
    props['broker.id'] = String(b.id);
    props['zookeeper.connect'] = mode.zk;
    props.listeners = `PLAINTEXT://${bind}:${port}`;
  } else {
    props['node.id'] = String(b.id);
    props['process.roles'] = 'broker,controller';
    props['controller.listener.names'] = 'CONTROLLER';
    props['inter.broker.listener.name'] = 'PLAINTEXT';
    props['listener.security.protocol.map'] = 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT';
    props['controller.quorum.voters'] = mode.voters;
    props.listeners = `PLAINTEXT://${bind}:${port},CONTROLLER://${bind}:${controllerPort}`;
  }
  props['advertised.listeners'] = `PLAINTEXT://${hostname}:${port}`;
  for (const [k, v] of substituteId(parseOptionsMap(b.options ?? ''), b.id)) props[k] = v;
  return props;
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
