// ZooKeeper connection strings as frameworks take them: `h1:2181,h2:2181/chroot`, optionally with digest
// credentials `user:pass@h1:2181` and a `zk://` prefix (`zk://user:pass@h1:2181,h2:2181/chroot`). Pure.
import { KitError } from '../errors.js';

export interface ZkConnect {
  /** `h1:2181,h2:2181` (port 2181 added where missing). */
  hosts: string;
  /** `/chroot` or '' for none. */
  chroot: string;
  auth: { user: string; password: string } | undefined;
}

export function parseZkConnect(text: string): ZkConnect {
  const fail = (why: string): never => {
    throw new KitError('INVALID_STORAGE', `invalid ZooKeeper address '${text}': ${why} (expected e.g. zk://user:pass@h1:2181,h2:2181/chroot or h1:2181)`);
  };
  let rest = text.trim().replace(/^zk:\/\//, '');
  let auth: ZkConnect['auth'];
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const credentials = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = credentials.indexOf(':');
    if (colon <= 0) fail("credentials must be 'user:password@'");
    auth = { user: decodeURIComponent(credentials.slice(0, colon)), password: decodeURIComponent(credentials.slice(colon + 1)) };
  }
  const slash = rest.indexOf('/');
  const hostList = slash < 0 ? rest : rest.slice(0, slash);
  const chroot = slash < 0 ? '' : rest.slice(slash).replace(/\/+$/, '');
  if (hostList === '') fail('no host');
  const hosts = hostList.split(',').map((h) => {
    const m = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:.]+\])(?::(\d{1,5}))?$/.exec(h.trim());
    if (!m) return fail(`'${h}' is not host:port`);
    return `${m[1]}:${m[2] ?? '2181'}`;
  });
  if (chroot !== '') validateZkPath(chroot, text);
  return { hosts: hosts.join(','), chroot, auth };
}

/** An absolute node path without trailing slash or empty segments. */
export function validateZkPath(p: string, context: string): void {
  if (!/^(\/[^/\s]+)+$/.test(p) || p.split('/').some((s) => s === '.' || s === '..' || s === 'zookeeper')) {
    throw new KitError('INVALID_STORAGE', `invalid ZooKeeper path '${p}' in '${context}': use an absolute path like /kafka-mesos`);
  }
}
