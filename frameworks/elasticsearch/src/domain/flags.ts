// mesos/elasticsearch's scheduler flags with upstream's defaults, parsed from `--flag=value` / `--flag value`
// arguments. Pure: the caller passes argv and reads files itself. A bad command line is a FlagError (exit 2).

export class FlagError extends Error {
  override readonly name = 'FlagError';
}

export interface SchedulerConfig {
  master: string;
  frameworkName: string;
  frameworkRole: string;
  frameworkPrincipal?: string;
  frameworkSecretPath?: string;
  frameworkFailoverTimeoutSecs: number;
  elasticsearchNodes: number;
  elasticsearchCpu: number;
  elasticsearchRam: number;
  elasticsearchDisk: number;
  elasticsearchClusterName: string;
  elasticsearchSettingsLocation?: string;
  elasticsearchPorts?: [number, number];
  elasticsearchBinaryUrl?: string;
  webUiPort: number;
  useIpAddress: boolean;
  /** `file:<path>` or `zk:<host:port>/<path>`. */
  storage: string;
}

export const FLAG_HELP: ReadonlyArray<[string, string]> = [
  ['--zookeeperMesosUrl', 'zk://host:port/mesos: the masters, through ZooKeeper (or --master)'],
  ['--master', 'host:5050[,host:5050]: the masters, directly'],
  ['--frameworkName', 'framework name (elasticsearch)'],
  ['--frameworkRole', 'role for offers and reservations (*)'],
  ['--frameworkPrincipal', 'principal to authenticate and reserve as'],
  ['--frameworkSecretPath', 'file holding the principal\'s secret'],
  ['--frameworkFailoverTimeout', 'seconds Mesos keeps nodes while the scheduler is away (2592000)'],
  ['--elasticsearchNodes', 'number of nodes, one per agent (3)'],
  ['--elasticsearchCpu', 'cpus per node (1)'],
  ['--elasticsearchRam', 'MB of memory per node (256)'],
  ['--elasticsearchDisk', 'MB of persistent volume per node (1024)'],
  ['--elasticsearchClusterName', 'cluster.name (mesos-ha)'],
  ['--elasticsearchSettingsLocation', 'a yml file whose settings every node gets'],
  ['--elasticsearchPorts', 'HTTP,TRANSPORT fixed ports (default: two ports from each offer)'],
  ['--elasticsearchBinaryUrl', 'URI of the distribution tarball the agents fetch'],
  ['--webUiPort', 'port of the REST API and web UI (31100)'],
  ['--useIpAddress', 'advertise agents by IP rather than hostname (false)'],
  ['--storage', 'state store: file:<path> or zk:<host:port>/<path> (file:elasticsearch-mesos.json)'],
];

const KNOWN = new Set([...FLAG_HELP.map(([f]) => f.slice(2)), 'help']);

function positiveNumber(name: string, raw: string, integer: boolean): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new FlagError(`--${name}=${raw}: expected a positive ${integer ? 'integer' : 'number'}`);
  }
  return n;
}

export function parseFlags(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): SchedulerConfig {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new FlagError(`unexpected argument '${arg}'; flags look like --name=value`);
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (!KNOWN.has(name)) throw new FlagError(`unknown flag --${name}; see --help`);
    let value = eq < 0 ? undefined : arg.slice(eq + 1);
    if (value === undefined) value = name === 'useIpAddress' || name === 'help' || argv[i + 1]?.startsWith('--') || argv[i + 1] === undefined ? 'true' : argv[++i]!;
    values.set(name, value);
  }
  const get = (name: string): string | undefined => values.get(name) ?? env[`ELASTICSEARCH_MESOS_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`];
  const zk = get('zookeeperMesosUrl');
  const master = get('master') ?? env.MESOS_MASTER ?? zk;
  if (master === undefined) throw new FlagError('missing --zookeeperMesosUrl=zk://host:port/mesos or --master=host:5050');
  let ports: [number, number] | undefined;
  const rawPorts = get('elasticsearchPorts');
  if (rawPorts !== undefined) {
    const parts = rawPorts.split(',').map((p) => positiveNumber('elasticsearchPorts', p, true));
    if (parts.length !== 2 || parts[0] === parts[1]) throw new FlagError(`--elasticsearchPorts=${rawPorts}: expected two distinct ports HTTP,TRANSPORT`);
    ports = [parts[0]!, parts[1]!];
  }
  const useIp = get('useIpAddress') ?? 'false';
  if (useIp !== 'true' && useIp !== 'false') throw new FlagError(`--useIpAddress=${useIp}: expected true or false`);
  const storage = get('storage') ?? 'file:elasticsearch-mesos.json';
  if (!storage.startsWith('file:') && !storage.startsWith('zk:')) throw new FlagError(`--storage=${storage}: expected file:<path> or zk:<host:port>/<path>`);
  const optional = <K extends string>(key: K, name: string): Partial<Record<K, string>> => {
    const v = get(name);
    return v === undefined ? {} : ({ [key]: v } as Record<K, string>);
  };
  return {
    master,
    frameworkName: get('frameworkName') ?? 'elasticsearch',
    frameworkRole: get('frameworkRole') ?? '*',
    ...optional('frameworkPrincipal', 'frameworkPrincipal'),
    ...optional('frameworkSecretPath', 'frameworkSecretPath'),
    frameworkFailoverTimeoutSecs: positiveNumber('frameworkFailoverTimeout', get('frameworkFailoverTimeout') ?? '2592000', false),
    elasticsearchNodes: positiveNumber('elasticsearchNodes', get('elasticsearchNodes') ?? '3', true),
    elasticsearchCpu: positiveNumber('elasticsearchCpu', get('elasticsearchCpu') ?? '1', false),
    elasticsearchRam: positiveNumber('elasticsearchRam', get('elasticsearchRam') ?? '256', false),
    elasticsearchDisk: positiveNumber('elasticsearchDisk', get('elasticsearchDisk') ?? '1024', false),
    elasticsearchClusterName: get('elasticsearchClusterName') ?? 'mesos-ha',
    ...optional('elasticsearchSettingsLocation', 'elasticsearchSettingsLocation'),
    ...(ports === undefined ? {} : { elasticsearchPorts: ports }),
    ...optional('elasticsearchBinaryUrl', 'elasticsearchBinaryUrl'),
    webUiPort: positiveNumber('webUiPort', get('webUiPort') ?? '31100', true),
    useIpAddress: useIp === 'true',
    storage,
  };
}

/** GET /v1/cluster: the configuration with the secret's location masked, as upstream masks passwords. */
export function publicConfig(c: SchedulerConfig): Record<string, unknown> {
  return { ...c, ...(c.frameworkSecretPath === undefined ? {} : { frameworkSecretPath: '************' }) };
}
