// Fetches a task's CommandInfo.URIs into its sandbox before launch (upstream's mesos-fetcher):
// download or copy, optionally through the cache, then chmod (executable) or extract (archives),
// then hand the files to the task's user. URIs are fetched in order; the first failure stops the
// fetch with a FetchError naming the URI and the reason.
import { chmod, copyFile, mkdir, realpath, rename, rm } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import type { Logger } from 'pino';
import type { v1 } from '@mesos-ts/proto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { archiveKind } from './archive-kind.js';
import { chmodAs, copyAs, mkdirAs, removeAs, renameAs, writeAs, type UserIds } from './as-user.js';
import { FetcherCache } from './cache.js';
import { download } from './download.js';
import { extractArchive } from './extract.js';
import { FetchError, FetchStepError } from './fetch-error.js';
import { runTool } from './run-tool.js';
import { destinationName, parseSource } from './uri.js';

export interface FetcherOptions {
  /** Where cached downloads live (--fetcher_cache_dir). Only files the cache wrote are ever deleted there. */
  cacheDir: string;
  /** Upper bound of the cache's total size in bytes (--fetcher_cache_size). */
  cacheSizeBytes: number;
  log?: Logger;
}

export interface FetchOptions {
  /** The sandbox directory (must exist); every result lands inside it. */
  sandbox: string;
  /** The task's user: part of the cache key, and the owner of fetched files when the agent runs as root. */
  user?: string;
  /**
   * The task user's ids when the agent runs as root: every step that reads a local source or writes in the
   * sandbox then runs as that user (as-user.ts), and only network bytes pass through root.
   */
  ids?: UserIds;
  signal?: AbortSignal;
}

export class Fetcher {
  private readonly cache: FetcherCache;
  private readonly log: Logger | undefined;
  private seq = 0;

  constructor(opts: FetcherOptions) {
    this.cache = new FetcherCache(opts.cacheDir, opts.cacheSizeBytes, opts.log);
    this.log = opts.log;
  }

  /** Fetches every URI into `opts.sandbox`; rejects with a FetchError on the first one that fails. */
  async fetch(uris: readonly v1.CommandInfo.URI[], opts: FetchOptions): Promise<void> {
    for (const uri of uris) {
      const started = Date.now();
      try {
        await this.fetchOne(uri, opts);
      } catch (err) {
        if (opts.signal?.aborted) throw new FetchError(uri.value, 'aborted');
        if (err instanceof FetchStepError) throw new FetchError(uri.value, err.message);
        throw new FetchError(uri.value, err instanceof Error ? err.message : String(err));
      }
      this.log?.debug({ uri: uri.value, sandbox: opts.sandbox, ms: Date.now() - started }, 'fetched URI');
    }
  }

  private async fetchOne(uri: v1.CommandInfo.URI, opts: FetchOptions): Promise<void> {
    if (opts.ids !== undefined) return this.fetchOneAs(opts.ids, uri, opts);
    const { sandbox, signal } = opts;
    const source = parseSource(uri.value);
    const name = destinationName(source, uri.output_file);
    const dest = join(sandbox, name);
    await mkdir(dirname(dest), { recursive: true });
    await assertInside(sandbox, dirname(dest));
    // Same directory as the destination so the final rename is atomic.
    const tmp = `${dest}.fetching-${process.pid}-${++this.seq}`;
    try {
      if (uri.cache === true) {
        const key = FetcherCache.keyOf(opts.user, uri.value);
        const lease = await this.cache.acquire(key, (path, s) => download(source, path, s).then(() => undefined), signal);
        // The sandbox gets its own copy (extraction reads that copy), so the lease ends after copying.
        try {
          await copyFile(lease.path, tmp);
        } finally {
          lease.release();
        }
      } else {
        await download(source, tmp, signal);
      }
      await rename(tmp, dest);
    } finally {
      await rm(tmp, { force: true });
    }
    signal?.throwIfAborted();

    // What this URI created, so exactly that is handed to the user.
    const owned = [join(sandbox, name.split('/')[0] ?? name)];
    if (uri.executable === true) {
      await chmod(dest, 0o755);
    } else if (uri.extract !== false) {
      const kind = archiveKind(name);
      if (kind !== undefined) {
        const entries = await extractArchive(kind, dest, dirname(dest), signal);
        owned.push(...entries.map((entry) => join(dirname(dest), entry)));
      }
    }
    if (opts.user !== undefined && process.getuid?.() === 0) {
      // -h: change symlinks themselves, never what they point at (could be outside the sandbox).
      await runTool('chown', ['-R', '-h', '--', `${opts.user}:`, ...new Set(owned)], { signal }).catch((err: Error) => {
        throw new FetchStepError(`could not hand the fetched files to user '${opts.user}' (${err.message})`);
      });
    }
  }

  /** fetchOne with every sandbox step run as the task's user (`ids`); see FetchOptions.ids. */
  private async fetchOneAs(ids: UserIds, uri: v1.CommandInfo.URI, opts: FetchOptions): Promise<void> {
    const { sandbox, signal } = opts;
    const source = parseSource(uri.value);
    const name = destinationName(source, uri.output_file);
    const dest = join(sandbox, name);
    await mkdirAs(ids, dirname(dest), signal);
    await assertInside(sandbox, dirname(dest));
    const tmp = `${dest}.fetching-${process.pid}-${++this.seq}`;
    try {
      if (source.kind === 'file') {
        // Read with the user's permissions, never root's; the cache (filled as root) is skipped for local files.
        await copyAs(ids, source.path, tmp, signal);
      } else if (uri.cache === true) {
        const key = FetcherCache.keyOf(opts.user, uri.value);
        const lease = await this.cache.acquire(key, (path, s) => download(source, path, s).then(() => undefined), signal);
        try {
          await writeAs(ids, lease.path, tmp, signal);
        } finally {
          lease.release();
        }
      } else {
        const staging = await mkdtemp(join(tmpdir(), 'mesos-fetch-'));
        try {
          await download(source, join(staging, 'data'), signal);
          await writeAs(ids, join(staging, 'data'), tmp, signal);
        } finally {
          await rm(staging, { recursive: true, force: true });
        }
      }
      await renameAs(ids, tmp, dest, signal);
    } finally {
      await removeAs(ids, tmp);
    }
    signal?.throwIfAborted();
    if (uri.executable === true) {
      await chmodAs(ids, '755', dest, signal);
    } else if (uri.extract !== false) {
      const kind = archiveKind(name);
      if (kind !== undefined) await extractArchive(kind, dest, dirname(dest), signal, ids);
    }
  }
}

/** Refuses a destination directory that resolves outside the sandbox (through a symlink an earlier URI planted). */
async function assertInside(sandbox: string, dir: string): Promise<void> {
  const root = await realpath(sandbox);
  const real = await realpath(dir);
  if (real !== root && !real.startsWith(root + sep)) {
    throw new FetchStepError(`destination directory '${dir}' resolves to '${real}', outside the sandbox`);
  }
}
