// `zk:/path`: each key is a child node of the store's root node (`<chroot>/<path>/<key>`), holding the JSON
// text; the node's version is the store version, so put/delete with an expected version are ZooKeeper's
// conditional setData/remove. With credentials the nodes get a creator-only digest ACL. Connection losses are
// retried until `operationTimeoutMs`; an expired session is replaced by a new one. (A conditional write whose
// reply was lost and is retried may report VERSION_CONFLICT although it succeeded: re-read and compare.)
import zookeeper from 'node-zookeeper-client';
import type { ACL, Client, Exception, Stat } from 'node-zookeeper-client';
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

type Callback<T> = (error: Error | Exception | null, result: T) => void;

export class ZkStateStore implements StateStore {
  readonly description: string;
  private readonly root: string;
  private readonly acls: ACL[];
  private client!: Client;
  private connected = false;
  private closed = false;
  private authFailed = false;
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly options: ZkStateStoreOptions) {
    this.root = `${options.chroot}${options.path}`;
    this.description = `zk:${options.hosts}${this.root}`;
    this.acls = options.auth === undefined
      ? [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('world', 'anyone'))]
      : [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('auth', ''))];
  }

  /** Connects and creates the root node (with parents) when missing. */
  static async open(options: ZkStateStoreOptions): Promise<ZkStateStore> {
    const store = new ZkStateStore(options);
    store.connect();
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
    this.connected = false;
    for (const w of this.waiters) w();
    this.client.close();
  }

  private node(key: string): string {
    return `${this.root}/${key}`;
  }

  private async version(key: string): Promise<number | undefined> {
    const stat = await this.op<Stat | undefined>(`stat ${key}`, (c, cb) => c.exists(this.node(key), (e, s) => cb(e, s ?? undefined)));
    return stat?.version;
  }

  private connect(): void {
    const client = zookeeper.createClient(this.options.hosts, { sessionTimeout: this.options.sessionTimeoutMs ?? 10_000, spinDelay: 200, retries: 0 });
    if (this.options.auth !== undefined) client.addAuthInfo('digest', Buffer.from(`${this.options.auth.user}:${this.options.auth.password}`));
    client.on('connected', () => {
      this.connected = true;
      for (const w of this.waiters) w();
    });
    client.on('disconnected', () => (this.connected = false));
    client.on('authenticationFailed', () => {
      this.authFailed = true;
      for (const w of this.waiters) w();
    });
    client.on('expired', () => {
      // The session is gone for good: start a new one (our nodes are persistent, nothing is lost).
      this.connected = false;
      client.close();
      if (!this.closed) this.connect();
    });
    this.client = client;
    client.connect();
  }

  /** Runs one ZooKeeper request, retrying connection loss and session expiry until the operation timeout. */
  private async op<T>(what: string, request: (client: Client, cb: Callback<T>) => void): Promise<T> {
    const deadline = Date.now() + (this.options.operationTimeoutMs ?? 15_000);
    let lastError: unknown;
    while (!this.closed) {
      if (this.authFailed) throw this.unauthorized(what);
      if (!this.connected) {
        if (!(await this.waitConnected(deadline))) break;
        continue;
      }
      try {
        return await new Promise<T>((resolve, reject) => request(this.client, (e, result) => (e ? reject(e) : resolve(result))));
      } catch (e) {
        lastError = e;
        if (isCode(e, 'NO_AUTH') || isCode(e, 'AUTH_FAILED')) throw this.unauthorized(what);
        if (!isCode(e, 'CONNECTION_LOSS') && !isCode(e, 'SESSION_EXPIRED') && !isCode(e, 'OPERATION_TIMEOUT')) {
          throw new KitError('STORE_UNAVAILABLE', `${this.description}: ${what} failed: ${String(e)}`, { cause: e });
        }
        if (Date.now() >= deadline) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    if (this.closed) throw new KitError('STORE_UNAVAILABLE', `${this.description}: ${what} failed: the store is closed`);
    throw new KitError('STORE_UNAVAILABLE', `${this.description}: ${what} failed: no ZooKeeper connection within ${this.options.operationTimeoutMs ?? 15_000} ms${lastError === undefined ? '' : ` (${String(lastError)})`}; is ZooKeeper at ${this.options.hosts} up?`, { cause: lastError });
  }

  private waitConnected(deadline: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(this.connected || this.authFailed);
      };
      const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
      this.waiters.add(done);
    });
  }

  private unauthorized(what: string): KitError {
    return new KitError('STORE_UNAUTHORIZED', `${this.description}: ${what} refused: ZooKeeper does not accept ${this.options.auth === undefined ? 'anonymous access to this node' : `the credentials of user '${this.options.auth.user}'`}; check user:password in the zk:// address`);
  }
}

function isCode(e: unknown, name: keyof typeof zookeeper.Exception): boolean {
  const code = (e as Exception | null)?.code;
  return typeof code === 'number' && code === zookeeper.Exception[name];
}
