// Where the master is: `--master`, else MESOS_MASTER, else 127.0.0.1:5050. Accepts `host:port`,
// `http://host:port` and a bare host (port 5050). `zk://…` arrives with leader election (the HA issue).
import { CliError, usage } from './errors.js';

export const DEFAULT_MASTER = '127.0.0.1:5050';

/** `host:port` of the master to talk to. */
export function masterAddress(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return normalizeAddress(flag ?? (env['MESOS_MASTER'] || DEFAULT_MASTER), 5050);
}

export function normalizeAddress(text: string, defaultPort: number): string {
  const t = text.trim();
  if (t.startsWith('zk://')) {
    throw new CliError('UNSUPPORTED', `'${t}': ZooKeeper master detection (zk://) arrives with the HA issue; pass the master as host:port (e.g. --master=127.0.0.1:5050)`);
  }
  const stripped = t.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  if (stripped === '' || /\s/.test(stripped)) throw usage(`'${text}' is not a master address; use host:port, e.g. 127.0.0.1:5050`);
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(stripped);
  if (!m) throw usage(`'${text}' is not a master address; use host:port, e.g. 127.0.0.1:5050`);
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (port < 1 || port > 65535) throw usage(`'${text}': the port must be 1..65535`);
  return `${m[1]}:${port}`;
}
