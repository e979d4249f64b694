// `zk:/path`: each key is a child node of the store's root node (`<chroot>/<path>/<key>`), holding the JSON
// text; the node's version is the store version, so put/delete with an expected version are ZooKeeper's
// conditional setData/remove. With credentials the nodes get a creator-only digest ACL. The connection is the
// wire's ZkSession — the same client library and connection handling as the masters' election, agents and
// detectors: connection losses are retried until `operationTimeoutMs`, digest credentials are sent on every
// session; an expired session is replaced by a new one (the nodes are persistent, nothing is lost). (A
// conditional write whose reply was lost and is retried may report VERSION_CONFLICT although it succeeded:
// re-read and compare.)
import zookeeper from 'node-zookeeper-client';
import type { ACL, Client, Stat } from 'node-zookeeper-client';
import { ZkSession, isZooKeeperError, zkErrorName, type ZkCallback } from '@mesos-ts/wire';
import { KitError } from '../errors.js';
import { serialise } from './file-store.js';
import { MUST_NOT_EXIST, conflict, validateKey, type StateStore, type Versioned } from './state-store.js';
import type { ZkConnect } from './zk-connect.js';

export interface ZkStateStoreOptions extends ZkConnect {
  /** The store's node path below the chroot, e.g. `/kafka-mesos`. */
  path: string;
  /** Default 10000. */
  sessionTimeoutMs?: number;
  /** How long one operation may wait for a connection, ms. Default 15000. */
  operationTimeoutMs?: number;
}

/** ZooKeeper's default jute.maxbuffer is 1 MiB; leave room for the request envelope. */
const MAX_NODE_BYTES = 1_000_000;

export class ZkStateStore implements StateStore {
  readonly description: string;
  private readonly root: string;
  private readonly acls: ACL[];
  private session: ZkSession;
  private closed = false;

  private constructor(private readonly options: ZkStateStoreOptions) {
    this.root = `${options.chroot}${options.path}`;
    this.description = `zk:${options.hosts}${this.root}`;
    this.acls = options.auth === undefined
      ? [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('world', 'anyone'))]
      : [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('auth', ''))];
    this.session = this.openSession();
  }

  /** Connects and creates the root node (with parents) when missing. */
  static async open(options: ZkStateStoreOptions): Promise<ZkStateStore> {
    const store = new ZkStateStore(options);
    try {
      await store.op<string>('create root', (c, cb) => c.mkdirp(store.root, store.acls, cb));
    } catch (e) {
      await store.close();
      throw e;
    }
    return store;
  }

  async get<T = unknown>(key: string): Promise<Versioned<T> | undefined> {
    validateKey(key);
    const path = this.node(key);
    const result = await this.op<[Buffer, Stat] | undefined>(`get ${key}`, (c, cb) =>
      c.getData(path, (e, data, stat) => (isCode(e, 'NO_NODE') ? cb(null, undefined) : cb(e, [data, stat]))),
    );
    if (result === undefined) return undefined;
    const [data, stat] = result;
    try {
      return { value: JSON.parse(data?.toString('utf8') ?? 'null') as T, version: stat.version };
    } catch (e) {
      throw new KitError('CORRUPT_STATE', `${this.description}/${key} does not hold JSON (${(e as Error).message}); fix or delete the node`);
    }
  }

  async put(key: string, value: unknown, expectedVersion?: number): Promise<number> {
    validateKey(key);
    const data = Buffer.from(serialise(this.description, key, value), 'utf8');
    if (data.length > MAX_NODE_BYTES) {
      throw new KitError('INVALID_STORAGE', `${this.description}: value for '${key}' is ${data.length} bytes, over ZooKeeper's ${MAX_NODE_BYTES}-byte node limit`);
    }
    const path = this.node(key);
    if (expectedVersion === MUST_NOT_EXIST) {
      const created = await this.op<boolean>(`create ${key}`, (c, cb) => c.create(path, data, this.acls, zookeeper.CreateMode.PERSISTENT, (e) => (isCode(e, 'NODE_EXISTS') ? cb(null, false) : cb(e, true))));
      if (!created) throw conflict(this.description, key, expectedVersion, await this.version(key));
      return 0;
    }
    for (;;) {
      const stat = await this.op<Stat | undefined>(`set ${key}`, (c, cb) =>
        c.setData(path, data, expectedVersion ?? -1, (e, s) => (isCode(e, 'NO_NODE') || isCode(e, 'BAD_VERSION') ? cb(null, undefined) : cb(e, s))),
      );
      if (stat !== undefined) return stat.version;
      if (expectedVersion !== undefined) throw conflict(this.description, key, expectedVersion, await this.version(key));
      const created = await this.op<boolean>(`create ${key}`, (c, cb) => c.create(path, data, this.acls, zookeeper.CreateMode.PERSISTENT, (e) => (isCode(e, 'NODE_EXISTS') ? cb(null, false) : cb(e, true))));
      if (created) return 0;
      // Somebody created it between our setData and create: set again.
    }
  }

  async delete(key: string, expectedVersion?: number): Promise<boolean> {
    validateKey(key);
    const path = this.node(key);
    const outcome = await this.op<'removed' | 'absent' | 'conflict'>(`delete ${key}`, (c, cb) =>
      c.remove(path, expectedVersion ?? -1, (e) => {
        if (isCode(e, 'NO_NODE')) return cb(null, 'absent');
        if (isCode(e, 'BAD_VERSION')) return cb(null, 'conflict');
        return cb(e, 'removed');
      }),
    );
    if (outcome === 'conflict' || (outcome === 'absent' && expectedVersion !== undefined)) {
      throw conflict(this.description, key, expectedVersion!, await this.version(key));
    }
    return outcome === 'removed';
  }

  async keys(): Promise<string[]> {
    const children = await this.op<string[]>('list keys', (c, cb) => c.getChildren(this.root, (e, list) => cb(e, list)));
    return [...children].sort();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.session.close();
  }

  private node(key: string): string {
    return `${this.root}/${key}`;
  }

  private async version(key: string): Promise<number | undefined> {
    const stat = await this.op<Stat | undefined>(`stat ${key}`, (c, cb) => c.exists(this.node(key), (e, s) => cb(e, s ?? undefined)));
    return stat?.version;
  }

  private openSession(): ZkSession {
    return new ZkSession({
      servers: this.options.hosts,
      auth: this.options.auth,
      sessionTimeoutMs: this.options.sessionTimeoutMs ?? 10_000,
      operationTimeoutMs: this.options.operationTimeoutMs ?? 15_000,
    });
  }

  /** Runs one ZooKeeper request on the session (which retries connection loss); replaces an expired session. */
  private async op<T>(what: string, request: (client: Client, cb: ZkCallback<T>) => void): Promise<T> {
    for (;;) {
      if (this.closed) throw new KitError('STORE_UNAVAILABLE', `${this.description}: ${what} failed: the store is closed`);
      const session = this.session;
      try {
        return await session.op(what, request);
      } catch (e) {
        if (isZooKeeperError(e, 'ZK_SESSION_EXPIRED') && !this.closed) {
          if (session === this.session) this.session = this.openSession();
          continue;
        }
        if (isZooKeeperError(e, 'ZK_UNAUTHORIZED')) throw this.unauthorized(what);
        if (isZooKeeperError(e, 'ZK_UNAVAILABLE')) {
          throw new KitError('STORE_UNAVAILABLE', `${this.description}: ${what} failed: no ZooKeeper connection within ${this.options.operationTimeoutMs ?? 15_000} ms (${(e as Error).message}); is ZooKeeper at ${this.options.hosts} up?`, { cause: e });
        }
        throw new KitError('STORE_UNAVAILABLE', `${this.description}: ${what} failed: ${this.closed ? 'the store is closed' : String(e)}`, { cause: e });
      }
    }
  }

  private unauthorized(what: string): KitError {
    return new KitError('STORE_UNAUTHORIZED', `${this.description}: ${what} refused: ZooKeeper does not accept ${this.options.auth === undefined ? 'anonymous access to this node' : `the credentials of user '${this.options.auth.user}'`}; check user:password in the zk:// address`);
  }
}

function isCode(e: unknown, name: keyof typeof zookeeper.Exception): boolean {
  return zkErrorName(e) === name;
}
