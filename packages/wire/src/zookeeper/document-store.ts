// A versioned document (bytes or JSON) in ZooKeeper, any size, written atomically and read consistently; see
// document-chunks.ts for the layout. The version is the ZooKeeper data version of the document node, so
// `put(doc, expectedVersion)` succeeds only if nobody wrote since that version was read — a second writer (a
// deposed master that has not noticed yet) gets VERSION_CONFLICT and must stop.
//
// The master's `RegistryStore` port wraps it in a few lines (see README.md in this folder):
//   load(): const { data, version } = await store.get(); remember version; decode data (or empty registry);
//   save(doc): capture the JSON synchronously, then `version = await store.put(bytes, version)`; a
//   VERSION_CONFLICT means another master owns the registry — give up leadership.
import { gunzipSync, gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import zookeeper from 'node-zookeeper-client';
import type { ACL, Stat } from 'node-zookeeper-client';
import { DEFAULT_CHUNK_BYTES, assemble, chunkName, decodeHeader, encodeHeader, generationOf, makeHeader, splitChunks, type DocumentHeader } from './document-chunks.js';
import { ZooKeeperError, isZooKeeperError } from './zk-error.js';
import { ZkSession, zkErrorName } from './zk-session.js';
import { parseZkUrl, validateZkPath, type ZkUrl } from './zk-url.js';

/** Child created by the first committed write (see commit()); never a chunk, so cleanup leaves it. */
const FIRST_WRITE_MARKER = 'first-write';

export interface ZooKeeperDocumentStoreOptions {
  /** `zk://h1:2181/mesos` (or parsed); the document lives at `<url.path>/<name>`. */
  url: string | ZkUrl;
  /** Node name below the URL's path. Default `registry`. */
  name?: string;
  /** Default 10000. */
  sessionTimeoutMs?: number;
  /** How long one operation waits for a connection, ms. Default 15000. */
  operationTimeoutMs?: number;
  /** Max bytes per chunk node. Default 900000. */
  chunkBytes?: number;
  /** gzip the document before chunking (registry JSON shrinks ~10x). Default true. */
  compress?: boolean;
}

export interface StoredDocument {
  /** undefined when nothing was written yet. */
  readonly data: Buffer | undefined;
  /** Pass to put() to write over exactly this state. */
  readonly version: number;
}

const READ_ATTEMPTS = 5;

export class ZooKeeperDocumentStore {
  readonly url: ZkUrl;
  /** Absolute path of the document node. */
  readonly node: string;
  private session: ZkSession;
  private closed = false;

  private constructor(private readonly options: ZooKeeperDocumentStoreOptions) {
    this.url = typeof options.url === 'string' ? parseZkUrl(options.url) : options.url;
    this.node = `${this.url.path}/${options.name ?? 'registry'}`;
    validateZkPath(this.node);
    this.session = this.newSession();
  }

  /** Connects and creates the document node (empty) with its parents when missing. */
  static async open(options: ZooKeeperDocumentStoreOptions): Promise<ZooKeeperDocumentStore> {
    const store = new ZooKeeperDocumentStore(options);
    try {
      await store.op('create the document node', (c, cb) => c.mkdirp(store.node, store.acls(), cb));
    } catch (e) {
      store.close();
      throw e;
    }
    return store;
  }

  async get(): Promise<StoredDocument> {
    for (let attempt = 1; ; attempt++) {
      const [raw, stat] = await this.op<[Buffer | undefined, Stat]>('read the document header', (c, cb) => c.getData(this.node, (e, d, s) => cb(e, [d ?? undefined, s])));
      const header = decodeHeader(raw, this.node);
      if (header === undefined) return { data: undefined, version: stat.version };
      const chunks = await Promise.all(
        Array.from({ length: header.chunks }, (_, i) => {
          const path = `${this.node}/${chunkName(header.generation, i)}`;
          return this.op<Buffer | undefined>(`read ${path}`, (c, cb) => c.getData(path, (e, d) => (zkErrorName(e) === 'NO_NODE' ? cb(null, undefined) : cb(e, d ?? Buffer.alloc(0)))));
        }),
      );
      // A chunk vanishes only when a newer write committed and cleaned up after we read the header: read again.
      if (chunks.some((c) => c === undefined)) {
        if (attempt >= READ_ATTEMPTS) throw new ZooKeeperError('CORRUPT_DOCUMENT', `${this.node}: chunks of generation ${header.generation} are missing after ${attempt} reads; is something deleting them?`);
        continue;
      }
      const stored = assemble(header, chunks as Buffer[], this.node);
      return { data: header.encoding === 'gzip' ? gunzipSync(stored) : stored, version: stat.version };
    }
  }

  /** Writes `data` if the document is still at `expectedVersion`; resolves with the new version. */
  async put(data: Uint8Array, expectedVersion: number): Promise<number> {
    const compress = this.options.compress ?? true;
    const stored = compress ? gzipSync(data) : Buffer.from(data);
    const generation = `g${randomBytes(8).toString('hex')}`;
    const chunks = splitChunks(stored, this.options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
    const header = makeHeader(generation, stored, chunks.length, compress ? 'gzip' : 'identity');
    const names = chunks.map((_, i) => `${this.node}/${chunkName(generation, i)}`);
    try {
      // Chunks are invisible until the header names them, so they may be created in any order, in parallel.
      await Promise.all(
        chunks.map((chunk, i) =>
          this.op(`write chunk ${i}`, (c, cb) => c.create(names[i]!, chunk, this.acls(), zookeeper.CreateMode.PERSISTENT, (e) => (zkErrorName(e) === 'NODE_EXISTS' ? cb(null, undefined) : cb(e, undefined)))),
        ),
      );
      const version = await this.commit(header, names, expectedVersion);
      void this.removeAllBut(generation);
      return version;
    } catch (e) {
      void this.removeAllBut(undefined, new Set(names.map((n) => n.slice(this.node.length + 1))));
      throw e;
    }
  }

  async getJson<T = unknown>(): Promise<{ value: T | undefined; version: number }> {
    const { data, version } = await this.get();
    if (data === undefined) return { value: undefined, version };
    try {
      return { value: JSON.parse(data.toString('utf8')) as T, version };
    } catch (e) {
      throw new ZooKeeperError('CORRUPT_DOCUMENT', `${this.node} does not hold JSON (${(e as Error).message})`, { cause: e });
    }
  }

  putJson(value: unknown, expectedVersion: number): Promise<number> {
    return this.put(Buffer.from(JSON.stringify(value), 'utf8'), expectedVersion);
  }

  close(): void {
    this.closed = true;
    this.session.close();
  }

  /** One multi: every new chunk still exists, and the header moves from expectedVersion to the new one. */
  private async commit(header: DocumentHeader, chunkPaths: string[], expectedVersion: number): Promise<number> {
    const outcome = await this.op<number | 'conflict' | 'unknown'>('commit the document', (c, cb) => {
      const tx = c.transaction();
      for (const p of chunkPaths) tx.check(p, 0);
      // node-zookeeper-client sends an expected version of 0 as -1 ("any version"), so setData alone cannot guard
      // the first write; it also creates a marker child in the same multi, which only one first writer can do.
      if (expectedVersion === 0) tx.create(`${this.node}/${FIRST_WRITE_MARKER}`, Buffer.alloc(0), this.acls(), zookeeper.CreateMode.PERSISTENT);
      tx.setData(this.node, encodeHeader(header), expectedVersion);
      tx.commit((e, results: { stat?: Stat }[] | undefined) => {
        const code = zkErrorName(e);
        if (code === 'BAD_VERSION' || code === 'NO_NODE' || code === 'NODE_EXISTS') return cb(null, 'conflict');
        if (e) return cb(e, 'unknown');
        cb(null, results?.[results.length - 1]?.stat?.version ?? expectedVersion + 1);
      });
    }, { retry: false }).catch((e: unknown) => {
      if (isZooKeeperError(e, 'ZK_UNAVAILABLE')) return 'unknown' as const;
      throw e;
    });
    if (typeof outcome === 'number') return outcome;
    // Lost reply: the header tells whether our generation won.
    const [raw, stat] = await this.op<[Buffer | undefined, Stat]>('re-read the header', (c, cb) => c.getData(this.node, (e, d, s) => cb(e, [d ?? undefined, s])));
    if (decodeHeader(raw, this.node)?.generation === header.generation) return stat.version;
    if (outcome === 'unknown' && stat.version === expectedVersion) return this.commit(header, chunkPaths, expectedVersion);
    throw new ZooKeeperError('VERSION_CONFLICT', `${this.node} was written by someone else: expected version ${expectedVersion}, it is now ${stat.version}; re-read it (another master may lead)`, { retriable: false });
  }

  /** Best effort: deletes chunk nodes of other generations (or exactly `only`). Leftovers are harmless. */
  private async removeAllBut(keep: string | undefined, only?: Set<string>): Promise<void> {
    try {
      const children = await this.op<string[]>('list chunks', (c, cb) => c.getChildren(this.node, (e, l) => cb(e, l)));
      await Promise.all(
        children
          .filter((child) => (only !== undefined ? only.has(child) : generationOf(child) !== undefined && generationOf(child) !== keep))
          .map((child) => this.op(`remove ${child}`, (c, cb) => c.remove(`${this.node}/${child}`, -1, (e) => cb(zkErrorName(e) === 'NO_NODE' ? null : e, undefined)))),
      );
    } catch {
      // The next successful write cleans up again.
    }
  }

  private newSession(): ZkSession {
    return new ZkSession({
      servers: this.url.servers,
      auth: this.url.auth,
      sessionTimeoutMs: this.options.sessionTimeoutMs,
      operationTimeoutMs: this.options.operationTimeoutMs ?? 15_000,
    });
  }

  /** Operations on our own session; an expired session is replaced (the store holds no ephemeral state). */
  private async op<T>(what: string, request: Parameters<ZkSession['op']>[1], options?: { retry?: boolean }): Promise<T> {
    if (!this.closed && this.session.state === 'expired') this.session = this.newSession();
    try {
      return (await this.session.op(what, request, options)) as T;
    } catch (e) {
      if (!this.closed && isZooKeeperError(e, 'ZK_SESSION_EXPIRED')) {
        this.session = this.newSession();
        return (await this.session.op(what, request, options)) as T;
      }
      if (zkErrorName(e) !== undefined) throw new ZooKeeperError('ZK_ERROR', `${what} on ${this.node} failed: ${String(e)}`, { cause: e });
      throw e;
    }
  }

  /** Only holders of the URL's credentials may read or write the registry. */
  private acls(): ACL[] {
    if (this.url.auth === undefined) return [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('world', 'anyone'))];
    return [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('auth', ''))];
  }
}
