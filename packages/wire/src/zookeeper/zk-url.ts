// `zk://[user:pass@]h1:2181,h2:2181/path` as Mesos takes it for `--zk` and `--master` (src/zookeeper/url.cpp):
// a comma list of servers (port 2181 when missing), optional digest credentials, and the node path the
// masters contend under. Upstream refuses `/` as the path ("Expecting a (chroot) path"), so do we. Pure.
import { ZooKeeperError } from './zk-error.js';

export interface ZkAuth {
  readonly user: string;
  readonly password: string;
}

export interface ZkUrl {
  /** `h1:2181,h2:2181`, the connection string the client library takes. */
  readonly servers: string;
  /** The node path, absolute, without trailing slash (e.g. `/mesos`). */
  readonly path: string;
  /** Digest credentials (`user:password`), sent with `addAuthInfo('digest', …)` on every session. */
  readonly auth: ZkAuth | undefined;
}

const DEFAULT_PORT = 2181;

export function parseZkUrl(text: string): ZkUrl {
  const fail = (why: string): never => {
    throw new ZooKeeperError('INVALID_ZK_URL', `invalid ZooKeeper URL '${text}': ${why}; expected e.g. zk://h1:2181,h2:2181/mesos or zk://user:pass@h1:2181/mesos`);
  };
  const trimmed = text.trim();
  if (!trimmed.startsWith('zk://')) fail("it must start with 'zk://'");
  let rest = trimmed.slice('zk://'.length);
  const slash = rest.indexOf('/');
  if (slash < 0) fail('the node path is missing (append e.g. /mesos)');
  const authority = rest.slice(0, slash);
  const path = rest.slice(slash).replace(/\/+$/, '');
  rest = authority;
  let auth: ZkAuth | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const credentials = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = credentials.indexOf(':');
    if (colon <= 0) fail("credentials must be written 'user:password@'");
    auth = { user: decodeURIComponent(credentials.slice(0, colon)), password: decodeURIComponent(credentials.slice(colon + 1)) };
  }
  if (rest === '') fail('no server is given');
  const servers = rest.split(',').map((item) => {
    const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(item.trim());
    const port = m?.[2] === undefined ? DEFAULT_PORT : Number(m[2]);
    if (!m || port < 1 || port > 65535) return fail(`'${item}' is not host:port`);
    return `${m[1]}:${port}`;
  });
  if (path === '') fail("the path '/' is not supported; give a path of its own, e.g. /mesos");
  validateZkPath(path, text);
  return { servers: servers.join(','), path, auth };
}

/** Throws unless `p` is an absolute node path without empty, `.`/`..` or `zookeeper` (reserved) segments. */
export function validateZkPath(p: string, context: string = p): void {
  const segments = p.split('/').slice(1);
  if (!p.startsWith('/') || segments.some((s) => s === '' || s === '.' || s === '..' || /[\s\u0000]/.test(s)) || segments[0] === 'zookeeper') {
    throw new ZooKeeperError('INVALID_ZK_URL', `invalid ZooKeeper node path '${p}' in '${context}': use an absolute path like /mesos (no empty, '.', '..' segments, not under /zookeeper)`);
  }
}

/** The URL again, without the password (for logs and `mesos resolve` messages). */
export function formatZkUrl(url: ZkUrl): string {
  return `zk://${url.auth === undefined ? '' : `${url.auth.user}:***@`}${url.servers}${url.path}`;
}
