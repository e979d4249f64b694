// MesosClusterDispatcher's command line, pure: --master (mesos://host:5050, mesos://zk://…, host lists),
// --host, --port 7077, --webui-port 8081, --name "Spark Cluster", --zk (state in ZooKeeper, else a file: store),
// --properties-file, repeated --conf k=v; and the spark.mesos.* properties the dispatcher itself reads.
import { parseSparkConstraints, type SparkConstraints } from '../domain/constraints.js';
import { DEFAULT_CONF, type DispatcherConf } from '../domain/dispatcher-state.js';

export interface DispatcherFlags {
  master: string;
  host: string;
  port: number;
  webuiPort: number;
  name: string;
  zk: string | undefined;
  conf: Record<string, string>;
}

export interface DispatcherSettings {
  conf: DispatcherConf;
  role: string;
  driverConstraints: SparkConstraints;
  rejectOfferSeconds: number;
  /** `file:<path>` or `zk://hosts/path`. */
  storage: string;
}

export class FlagError extends Error {}

export const DISPATCHER_HELP = `Usage: spark-dispatcher [options]

Spark's MesosClusterDispatcher on mesos-ts: takes cluster-mode submissions
(spark-submit --deploy-mode cluster --master mesos://<host>:<port>) over Spark's REST
protocol, queues the drivers and runs each application as Mesos tasks (a Spark standalone
master, workers, and the driver).

Options:
  -h HOST, --host HOST    Address to listen on (default: 0.0.0.0)
  --port PORT             Port of the REST submission server (default: 7077)
  --webui-port WEBUI_PORT Port of the web UI (default: 8081)
  --name NAME             Framework name to show in Mesos UI (default: Spark Cluster)
  -m --master MASTER      Mesos master: mesos://host:5050, mesos://zk://h1:2181,h2:2181/mesos
                          or host:5050,host2:5050 (required)
  -z --zk ZOOKEEPER       ZooKeeper (h1:2181,h2:2181) to keep the dispatcher's state in, under
                          spark.deploy.zookeeper.dir (default /spark_mesos_dispatcher); without it
                          the state is a file (spark.mesos.dispatcher.stateFile,
                          default ./spark-dispatcher-state.json)
  --properties-file FILE  Spark properties file (key value per line) read before --conf
  --conf PROP=VALUE       A Spark configuration property (repeatable)
  --help                  This text

Properties the dispatcher reads:
  spark.mesos.maxDrivers (200)                 refuse submissions while this many drivers run
  spark.mesos.retainedDrivers (200)            finished drivers kept for status and the UI
  spark.mesos.cluster.retry.wait.max (60)      cap of the supervise backoff, seconds
  spark.mesos.driver.supervise.maxRetries      relaunches of a supervised driver (unbounded)
  spark.mesos.driver.constraints               agent attributes drivers need (attr:v1,v2;attr2)
  spark.mesos.role (*)                         role the dispatcher's framework takes offers for
  spark.mesos.rejectOfferDuration (120s)       how long unused offers are refused
  spark.executor.uri / spark.mesos.executor.home
                                               default Spark distribution of drivers (else SPARK_HOME)
  spark.mesos.dispatcher.driverDefault.<prop>  default <prop> of every driver
`;

const OPTIONS: Record<string, string> = { '-h': 'host', '--host': 'host', '--port': 'port', '--webui-port': 'webui-port', '--name': 'name', '-m': 'master', '--master': 'master', '-z': 'zk', '--zk': 'zk', '--properties-file': 'properties-file', '--conf': 'conf' };

function port(text: string, flag: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new FlagError(`${flag} must be a port number 0-65535, got '${text}'`);
  return n;
}

/** `mesos://host:5050` → `host:5050`; `mesos://zk://…` → `zk://…`; plain lists stay. */
export function mesosMaster(text: string): string {
  const m = text.trim().replace(/^mesos:\/\//, '');
  if (m === '') throw new FlagError(`--master '${text}' names no Mesos master; use mesos://host:5050 or mesos://zk://host:2181/mesos`);
  if (/^(spark|yarn|k8s|local)/.test(m)) throw new FlagError(`--master '${text}' is not a Mesos master; use mesos://host:5050 or mesos://zk://host:2181/mesos`);
  return m;
}

/** spark-defaults.conf: `key value` or `key=value` per line, `#` comments. */
export function parsePropertiesFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (m !== null) out[m[1]!] = m[2]!.trim();
  }
  return out;
}

export function parseDispatcherFlags(argv: readonly string[], readFile: (p: string) => string | undefined): { help: true } | { help: false; flags: DispatcherFlags } {
  const values: Record<string, string> = {};
  const conf: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-?') return { help: true };
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const key = OPTIONS[name];
    if (key === undefined) throw new FlagError(`unknown option '${arg}'; see spark-dispatcher --help`);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new FlagError(`option ${name} needs a value; see spark-dispatcher --help`);
    if (key === 'conf') {
      const at = value.indexOf('=');
      if (at <= 0) throw new FlagError(`--conf takes PROP=VALUE, got '${value}'`);
      conf[value.slice(0, at)] = value.slice(at + 1);
    } else {
      values[key] = value;
    }
  }
  if (values.master === undefined) throw new FlagError('--master is required, e.g. --master mesos://127.0.0.1:5050');
  let fileConf: Record<string, string> = {};
  if (values['properties-file'] !== undefined) {
    const text = readFile(values['properties-file']);
    if (text === undefined) throw new FlagError(`--properties-file ${values['properties-file']} cannot be read`);
    fileConf = parsePropertiesFile(text);
  }
  return {
    help: false,
    flags: {
      master: mesosMaster(values.master),
      host: values.host ?? '0.0.0.0',
      port: port(values.port ?? '7077', '--port'),
      webuiPort: port(values['webui-port'] ?? '8081', '--webui-port'),
      name: values.name ?? 'Spark Cluster',
      zk: values.zk,
      conf: { ...fileConf, ...conf },
    },
  };
}

function int(conf: Record<string, string>, key: string, fallback: number | undefined): number | undefined {
  const v = conf[key];
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v.trim())) throw new FlagError(`${key} must be a whole number, got '${v}'`);
  return Number(v);
}

/** Spark time strings in seconds: `120s`, `2m`, `1h`, `500ms`, a bare number is seconds. */
export function timeSeconds(text: string, key: string): number {
  const m = /^(\d+)\s*(ms|s|m|min|h|d)?$/.exec(text.trim().toLowerCase());
  if (m === null) throw new FlagError(`${key} must be a duration like 120s or 2m, got '${text}'`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return unit === 'ms' ? n / 1000 : unit === 's' ? n : unit === 'h' ? n * 3600 : unit === 'd' ? n * 86400 : n * 60;
}

/** What the dispatcher's properties (and its SPARK_HOME) mean for it. */
export function dispatcherSettings(flags: DispatcherFlags, env: Record<string, string | undefined>): DispatcherSettings {
  const c = flags.conf;
  const driverDefaults: Record<string, string> = {};
  for (const [k, v] of Object.entries(c)) if (k.startsWith('spark.mesos.dispatcher.driverDefault.')) driverDefaults[k.slice('spark.mesos.dispatcher.driverDefault.'.length)] = v;
  for (const k of ['spark.executor.uri', 'spark.mesos.executor.home', 'spark.mesos.fetcherCache.enable']) if (c[k] !== undefined && driverDefaults[k] === undefined) driverDefaults[k] = c[k]!;
  if (driverDefaults['spark.executor.uri'] === undefined && driverDefaults['spark.mesos.executor.home'] === undefined && env.SPARK_HOME !== undefined && env.SPARK_HOME !== '') driverDefaults['spark.mesos.executor.home'] = env.SPARK_HOME;
  const conf: DispatcherConf = {
    maxDrivers: int(c, 'spark.mesos.maxDrivers', DEFAULT_CONF.maxDrivers)!,
    retainedDrivers: int(c, 'spark.mesos.retainedDrivers', DEFAULT_CONF.retainedDrivers)!,
    retryWaitMaxSec: int(c, 'spark.mesos.cluster.retry.wait.max', DEFAULT_CONF.retryWaitMaxSec)!,
    maxRetries: int(c, 'spark.mesos.driver.supervise.maxRetries', undefined),
    driverDefaults,
  };
  const zkDir = c['spark.deploy.zookeeper.dir'] ?? '/spark_mesos_dispatcher';
  const storage = flags.zk === undefined ? `file:${c['spark.mesos.dispatcher.stateFile'] ?? 'spark-dispatcher-state.json'}` : `zk://${flags.zk.replace(/^zk:\/\//, '').replace(/\/+$/, '')}${zkDir.startsWith('/') ? zkDir : `/${zkDir}`}`;
  return {
    conf,
    role: c['spark.mesos.role'] ?? '*',
    driverConstraints: parseSparkConstraints(c['spark.mesos.driver.constraints']),
    rejectOfferSeconds: timeSeconds(c['spark.mesos.rejectOfferDuration'] ?? '120s', 'spark.mesos.rejectOfferDuration'),
    storage,
  };
}
