// The fetcher cache on disk (--fetcher_cache_dir, --fetcher_cache_size). Entries are keyed by
// user+URI and live at <dir>/<sha256>-<n>. Concurrent requests for one key share one download;
// the downloaded file is used through leases (reference counts) so eviction never removes a file
// that is being copied or extracted into a sandbox. A file that cannot fit (bigger than the cache,
// or the cache is full of entries in use) is handed out once and deleted when its last lease ends.
import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { CacheIndex } from './cache-index.js';
import { FetchStepError } from './fetch-error.js';

/** Fills `tmpPath` with the entry's bytes; must stop when `signal` aborts. */
export type CacheLoader = (tmpPath: string, signal: AbortSignal) => Promise<void>;

export interface CacheLease {
  /** The cached file; valid until release(). */
  readonly path: string;
  /** Ends this use of the entry; calling it twice is harmless. */
  release(): void;
}

interface Loaded {
  path: string;
  /** Releases one of the references the load handed over. */
  releaseOne: () => void;
}

interface LoadState {
  /** Users waiting for this download; when it drops to 0 the download is aborted. */
  refs: number;
  settled: boolean;
  readonly controller: AbortController;
}

interface Pending extends LoadState {
  readonly done: Promise<Loaded>;
}

interface Transient {
  readonly path: string;
  refs: number;
}

// Files this cache writes; only these are deleted when the cache starts, so a misconfigured
// --fetcher_cache_dir never loses anyone else's files.
const OWN_FILE = /^[0-9a-f]{64}-\d+(\.tmp)?$/;

export class FetcherCache {
  private readonly index: CacheIndex;
  private readonly loading = new Map<string, Pending>();
  private readonly transient = new Map<string, Transient>();
  private seq = 0;
  private prepared: Promise<void> | undefined;

  constructor(
    private readonly dir: string,
    capacityBytes: number,
    private readonly log?: Logger,
  ) {
    this.index = new CacheIndex(capacityBytes);
  }

  /** Cache key of a URI fetched for a user (upstream keys by both: users must not share files). */
  static keyOf(user: string | undefined, uri: string): string {
    return createHash('sha256').update(`${user ?? ''}\0${uri}`).digest('hex');
  }

  /** Bytes held by cached entries (not counting files handed out once). */
  get totalBytes(): number {
    return this.index.totalBytes;
  }

  /** Keys currently cached, for inspection. */
  cachedKeys(): string[] {
    return this.index.keys();
  }

  /** A lease on the entry for `key`, loading it with `load` unless it is cached or being loaded. */
  async acquire(key: string, load: CacheLoader, signal?: AbortSignal): Promise<CacheLease> {
    // A failed preparation (say, an unwritable directory) is retried by the next fetch.
    await (this.prepared ??= this.prepare().catch((err: unknown) => {
      this.prepared = undefined;
      throw err;
    }));
    if (signal?.aborted) throw new FetchStepError('aborted');
    const cached = this.index.get(key);
    if (cached !== undefined) {
      this.index.acquire(key);
      return lease(cached.path, () => this.index.release(key));
    }
    const held = this.transient.get(key);
    if (held !== undefined) {
      held.refs++;
      return lease(held.path, () => this.releaseTransient(key, held));
    }
    let pending = this.loading.get(key);
    if (pending === undefined) pending = this.startLoad(key, load);
    else pending.refs++;
    return this.waitFor(key, pending, signal);
  }

  private startLoad(key: string, load: CacheLoader): Pending {
    const state: LoadState = { refs: 1, settled: false, controller: new AbortController() };
    const pending: Pending = Object.assign(state, { done: this.load(key, load, state) });
    // Waiters observe failures; this keeps an abandoned load's failure from being "unhandled".
    pending.done.catch(() => undefined);
    this.loading.set(key, pending);
    return pending;
  }

  private async load(key: string, load: CacheLoader, pending: LoadState): Promise<Loaded> {
    const path = join(this.dir, `${key}-${++this.seq}`);
    const tmp = `${path}.tmp`;
    let sizeBytes: number;
    try {
      await load(tmp, pending.controller.signal);
      await rename(tmp, path);
      sizeBytes = (await stat(path)).size;
    } catch (err) {
      pending.settled = true;
      await rm(tmp, { force: true });
      // After an await, so the entry is in `loading` even when the loader failed synchronously.
      if (this.loading.get(key) === pending) this.loading.delete(key);
      throw err;
    }
    pending.settled = true;
    if (this.loading.get(key) !== pending) {
      // Everyone gave up while the last bytes arrived.
      await rm(path, { force: true });
      throw new FetchStepError('aborted');
    }
    this.loading.delete(key);
    const admission = this.index.admit(key, path, sizeBytes, pending.refs);
    if (admission.admitted) {
      for (const old of admission.evicted) {
        this.log?.debug({ key: old.key, sizeBytes: old.sizeBytes }, 'fetcher cache evicted entry');
        await rm(old.path, { force: true }).catch((err: Error) =>
          this.log?.warn({ path: old.path, err: err.message }, 'could not delete evicted fetcher cache file'),
        );
      }
      return { path, releaseOne: () => this.index.release(key) };
    }
    this.log?.debug({ key, sizeBytes, capacityBytes: this.index.capacityBytes }, 'fetched file does not fit the cache');
    const held: Transient = { path, refs: pending.refs };
    this.transient.set(key, held);
    return { path, releaseOne: () => this.releaseTransient(key, held) };
  }

  private async waitFor(key: string, pending: Pending, signal?: AbortSignal): Promise<CacheLease> {
    const loaded = await untilAborted(pending.done, signal);
    if (loaded !== ABORTED) return lease(loaded.path, loaded.releaseOne);
    if (pending.settled) {
      // The load finished in the same turn and already counted us: give the reference back.
      await pending.done.then((l) => l.releaseOne(), () => undefined);
    } else if (--pending.refs === 0) {
      pending.controller.abort();
      this.loading.delete(key);
    }
    throw new FetchStepError('aborted');
  }

  private releaseTransient(key: string, held: Transient): void {
    if (--held.refs > 0) return;
    if (this.transient.get(key) === held) this.transient.delete(key);
    rm(held.path, { force: true }).catch((err: Error) =>
      this.log?.warn({ path: held.path, err: err.message }, 'could not delete uncached fetched file'),
    );
  }

  // Leftovers from an earlier run are unknown to the index: delete them (as upstream clears its cache on start).
  private async prepare(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const name of await readdir(this.dir)) {
      if (OWN_FILE.test(name)) await rm(join(this.dir, name), { force: true });
    }
  }
}

function lease(path: string, releaseOnce: () => void): CacheLease {
  let released = false;
  return {
    path,
    release: () => {
      if (released) return;
      released = true;
      releaseOnce();
    },
  };
}

const ABORTED = Symbol('aborted');

function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
