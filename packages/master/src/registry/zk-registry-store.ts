// The registry in ZooKeeper (--registry=zk): the same JSON document as the file registry, stored by the wire's
// ZooKeeperDocumentStore (gzipped, chunked under ZooKeeper's 1 MB node limit, committed with one versioned multi).
// Saves are serialized, each written over the version the previous one returned, so a write by any other master
// (a newer leader) makes ours fail with VERSION_CONFLICT: this master is no longer the leader and must stop
// (`onConflict`), never overwrite the newer registry.
import { isZooKeeperError, ZooKeeperDocumentStore, type ZkUrl } from '@mesos-ts/wire';
import { MasterError } from '../core/errors.js';
import { decodeRegistry, encodeRegistry } from './registry-json.js';
import { emptyRegistry, type RegistryDocument, type RegistryStore } from './registry-store.js';

export interface ZooKeeperRegistryStoreOptions {
  url: string | ZkUrl;
  sessionTimeoutMs: number;
  /** Called once when another master wrote the registry since we read it (we lost the leadership). */
  onConflict?: (error: MasterError) => void;
}

export class ZooKeeperRegistryStore implements RegistryStore {
  private store: ZooKeeperDocumentStore | undefined;
  private version = 0;
  private queue: Promise<void> = Promise.resolve();
  private conflicted = false;

  constructor(private readonly options: ZooKeeperRegistryStoreOptions) {}

  async load(): Promise<RegistryDocument> {
    const store = await this.open();
    const { data, version } = await store.get();
    this.version = version;
    if (data === undefined || data.length === 0) return emptyRegistry();
    try {
      return decodeRegistry(data.toString('utf8'));
    } catch (e) {
      throw new MasterError('REGISTRY_FAILED', `the registry in ZooKeeper at ${store.node} is corrupt (${(e as Error).message}); restore it from a backup or delete the node to start empty`, { cause: e });
    }
  }

  save(doc: RegistryDocument): Promise<void> {
    const bytes = Buffer.from(encodeRegistry(doc), 'utf8'); // now: the caller keeps mutating doc
    const next = this.queue.then(async () => {
      if (this.conflicted) throw this.conflictError();
      const store = await this.open();
      try {
        this.version = await store.put(bytes, this.version);
      } catch (e) {
        if (isZooKeeperError(e) && e.code === 'VERSION_CONFLICT') {
          this.conflicted = true;
          const error = this.conflictError();
          this.options.onConflict?.(error);
          throw error;
        }
        throw e;
      }
    });
    // The next save waits for this one whether it failed or not.
    this.queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.store?.close();
  }

  private async open(): Promise<ZooKeeperDocumentStore> {
    this.store ??= await ZooKeeperDocumentStore.open({ url: this.options.url, sessionTimeoutMs: this.options.sessionTimeoutMs });
    return this.store;
  }

  private conflictError(): MasterError {
    return new MasterError('REGISTRY_FAILED', 'another master wrote the registry in ZooKeeper: this master is no longer the leader; retry against the leading master');
  }
}
