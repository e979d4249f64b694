// `marathon` flags with upstream's names (--master, --zk, --http_port, --hostname, --framework_name,
// --mesos_role, --failover_timeout, --task_launch_timeout) plus --work_dir for the file store without --zk.
import { parseDurationMs } from '@mesos-ts/framework-kit';
import { parseHttpCredentials } from '../api/http-auth.js';

export interface LauncherFlags {
  master: string;
  zk?: string;
  /** ZooKeeper session timeout for the leader election, ms (`--zk_session_timeout`, default 10000). */
  zkSessionTimeoutMs?: number;
  httpPort: number;
  hostname: string;
  frameworkName: string;
  role: string;
  failoverTimeoutSecs: number;
  taskLaunchTimeoutMs: number;
  workDir: string;
  staticDir?: string;
  /** --mesos_authentication_principal: the principal the launcher authenticates to Mesos as. */
  principal?: string;
  /** --mesos_authentication_secret_file: file holding that principal's secret. */
  secretFile?: string;
  /** --http_credentials: HTTP Basic credentials every API request must carry. */
  httpCredentials?: { user: string; password: string };
  /** --http_realm: the realm of the 401 challenge (default Mesosphere). */
  httpRealm?: string;
}

export const HELP = `Usage: marathon --master=<host:port|zk://…/mesos> [flags]

A Marathon-compatible launcher: runs long-running apps on Mesos through Marathon's REST API (/v2/apps …).

  --master=<masters>          Mesos master(s): host:port, h1:5050,h2:5050 or zk://h:2181/mesos (required; env MARATHON_MASTER)
  --zk=<zk://h:2181/marathon> Keep state in ZooKeeper (env MARATHON_ZK); without it, a file store under --work_dir
  --zk_session_timeout=<ms>   ZooKeeper session timeout of the leader election (default 10000): how long a dead leader
                              keeps leadership before a standby takes over. Several instances with one --zk elect
                              one leader; the others proxy every request to it (GET /v2/leader names it)
  --work_dir=<dir>            Where the file store lives (default ./marathon-state)
  --http_port=<port>          REST API port (default 8080)
  --hostname=<host>           Address to bind and advertise (default 127.0.0.1)
  --framework_name=<name>     Framework name (default marathon)
  --mesos_role=<role>         Role for offers (default *)
  --failover_timeout=<secs>   Framework failover timeout in seconds (default 604800)
  --task_launch_timeout=<ms>  How long a task may stay staged, in ms (default 300000)
  --static_dir=<dir>          Serve this directory (the web UI) for other GET paths
  --mesos_authentication_principal=<p>
                              Principal to authenticate to Mesos as (HTTP Basic; masters with --authenticate_frameworks)
  --mesos_authentication_secret_file=<path>
                              File holding the principal's secret
  --http_credentials=<user:password>
                              Require HTTP Basic credentials on every request (401 otherwise; env MARATHON_HTTP_CREDENTIALS)
  --http_realm=<realm>        Realm of the 401 challenge (default Mesosphere)
  --help                      This text

Environment: LIBPROCESS_SSL_ENABLED=true with LIBPROCESS_SSL_CERT_FILE and LIBPROCESS_SSL_KEY_FILE serves the API
over HTTPS (a certificate or key it cannot use stops the start); LIBPROCESS_SSL_CA_FILE is the CA trusted for the
master, agents and the leading launcher (a standby proxies to it over HTTPS).
`;

export function parseFlags(argv: readonly string[], env: NodeJS.ProcessEnv): { help: true } | { help: false; flags: LauncherFlags } {
  const names = ['master', 'zk', 'zk_session_timeout', 'http_port', 'hostname', 'framework_name', 'mesos_role', 'failover_timeout', 'task_launch_timeout', 'work_dir', 'static_dir', 'mesos_authentication_principal', 'mesos_authentication_secret_file', 'http_credentials', 'http_realm'];
  if (argv.includes('--help') || argv.includes('-h')) return { help: true };
  const values = new Map<string, string>();
  for (const a of argv) {
    const m = /^--([a-z_]+)=(.*)$/.exec(a);
    if (m === null || !names.includes(m[1]!)) throw new Error(`unknown or malformed flag '${a}'; flags look like --name=value (see --help)`);
    values.set(m[1]!, m[2]!);
  }
  const get = (n: string): string | undefined => values.get(n) ?? env[`MARATHON_${n.toUpperCase()}`];
  const master = get('master');
  if (master === undefined || master === '') throw new Error('--master is required, e.g. --master=127.0.0.1:5050');
  const port = Number(get('http_port') ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--http_port must be a port number, got '${get('http_port')}'`);
  const failover = Number(get('failover_timeout') ?? 604800);
  if (!Number.isFinite(failover) || failover < 0) throw new Error(`--failover_timeout must be seconds, got '${get('failover_timeout')}'`);
  const launchTimeout = get('task_launch_timeout') ?? '300000';
  const zk = get('zk');
  const zkTimeout = get('zk_session_timeout');
  if (zkTimeout !== undefined && !/^\d+$/.test(zkTimeout)) throw new Error(`--zk_session_timeout must be milliseconds, got '${zkTimeout}'`);
  const staticDir = get('static_dir');
  const principal = get('mesos_authentication_principal');
  const secretFile = get('mesos_authentication_secret_file');
  if (secretFile !== undefined && principal === undefined) throw new Error('--mesos_authentication_secret_file needs --mesos_authentication_principal');
  const credentials = get('http_credentials');
  const httpCredentials = credentials === undefined ? undefined : parseHttpCredentials(credentials);
  const httpRealm = get('http_realm');
  return {
    help: false,
    flags: {
      master,
      ...(zk === undefined ? {} : { zk }),
      ...(zkTimeout === undefined ? {} : { zkSessionTimeoutMs: Number(zkTimeout) }),
      httpPort: port,
      hostname: get('hostname') ?? '127.0.0.1',
      frameworkName: get('framework_name') ?? 'marathon',
      role: get('mesos_role') ?? '*',
      failoverTimeoutSecs: failover,
      taskLaunchTimeoutMs: /^\d+$/.test(launchTimeout) ? Number(launchTimeout) : parseDurationMs(launchTimeout),
      workDir: get('work_dir') ?? './marathon-state',
      ...(staticDir === undefined ? {} : { staticDir }),
      ...(principal === undefined ? {} : { principal }),
      ...(secretFile === undefined ? {} : { secretFile }),
      ...(httpCredentials === undefined ? {} : { httpCredentials }),
      ...(httpRealm === undefined ? {} : { httpRealm }),
    },
  };
}
