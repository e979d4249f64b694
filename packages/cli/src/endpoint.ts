// Where the master is: `--master`, else MESOS_MASTER, else 127.0.0.1:5050. Accepts `host:port`,
// `http://host:port`, a bare host (port 5050) and `zk://host:2181[,host:2181]/mesos` (the leader elected in
// ZooKeeper, read the way upstream's tools do); `leaderAddress` turns a zk:// master into the leader's host:port.
import { formatLeader, isZooKeeperError, parseZkUrl, resolveLeader } from '@mesos-ts/wire';
import { CliError, usage } from './errors.js';

export const DEFAULT_MASTER = '127.0.0.1:5050';

/** Time to find the leader, ms. */
export const RESOLVE_TIMEOUT_MS = 10_000;

/** The master as given: a validated `zk://…` URL or a normalized `host:port`. */
export function masterAddress(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const text = (flag ?? (env['MESOS_MASTER'] || DEFAULT_MASTER)).trim();
  return text.startsWith('zk://') ? zkMaster(text) : normalizeAddress(text, 5050);
}

/** `host:port` of the master to talk to: zk:// masters are resolved to the elected leader. */
export async function leaderAddress(master: string): Promise<string> {
  if (!master.startsWith('zk://')) return master;
  return formatLeader(await resolveOrExplain(master));
}

/**
 * The leader of `zk://…`, or of a list `h1:5050,h2:5050` (asked through /master/redirect). Throws CliError
 * UNREACHABLE when no leader is found in time (nobody elected, ZooKeeper or every master unreachable).
 */
export async function resolveOrExplain(spec: string, timeoutMs = RESOLVE_TIMEOUT_MS): Promise<{ hostname: string; port: number }> {
  try {
    return await resolveLeader(spec, { timeoutMs });
  } catch (e) {
    if (isZooKeeperError(e, 'INVALID_ZK_URL')) throw usage(e.message);
    if (isZooKeeperError(e)) throw new CliError('UNREACHABLE', e.message, { cause: e });
    throw e;
  }
}

function zkMaster(text: string): string {
  try {
    parseZkUrl(text);
  } catch (e) {
    if (isZooKeeperError(e)) throw usage(`'${text}' is not a ZooKeeper master URL: ${e.message}`);
    throw e;
  }
  return text;
}

export function normalizeAddress(text: string, defaultPort: number): string {
  const t = text.trim();
  if (t.startsWith('zk://')) throw usage(`'${t}': a ZooKeeper URL is not an address here; give host:port`);
  const stripped = t.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  if (stripped === '' || /\s/.test(stripped)) throw usage(`'${text}' is not a master address; use host:port, e.g. 127.0.0.1:5050`);
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(stripped);
  if (!m) throw usage(`'${text}' is not a master address; use host:port, e.g. 127.0.0.1:5050`);
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (port < 1 || port > 65535) throw usage(`'${text}': the port must be 1..65535`);
  return `${m[1]}:${port}`;
}
