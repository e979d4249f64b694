import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FetcherCache, type CacheLoader } from './cache.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fetcher-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A loader whose completion the test controls; counts how often it ran and sees aborts. */
function gatedLoader(bytes: number) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const state = { calls: 0, aborted: false };
  const load: CacheLoader = async (tmp, signal) => {
    state.calls++;
    signal.addEventListener('abort', () => (state.aborted = true));
    await gate;
    if (signal.aborted) throw new Error('aborted');
    await writeFile(tmp, Buffer.alloc(bytes, 'x'));
  };
  return { load, open: () => open(), state };
}

const instantLoader = (bytes: number): CacheLoader => (tmp) => writeFile(tmp, Buffer.alloc(bytes, 'y'));
const key = (name: string) => FetcherCache.keyOf('alice', `http://h/${name}`);

describe('FetcherCache', () => {
  it('shares one load between concurrent acquirers', async () => {
    const cache = new FetcherCache(dir, 1000);
    const loader = gatedLoader(10);
    const leases = Promise.all([1, 2, 3].map(() => cache.acquire(key('a'), loader.load)));
    await expect.poll(() => loader.state.calls, { timeout: 2000 }).toBe(1);
    loader.open();
    const got = await leases;
    expect(loader.state.calls).toBe(1);
    expect(new Set(got.map((l) => l.path)).size).toBe(1);
    expect((await readFile(got[0]!.path)).length).toBe(10);
    for (const lease of got) lease.release();
    expect(cache.totalBytes).toBe(10);
  });

  it('keys by user and URI', () => {
    expect(FetcherCache.keyOf('alice', 'http://h/a')).not.toBe(FetcherCache.keyOf('bob', 'http://h/a'));
    expect(FetcherCache.keyOf(undefined, 'http://h/a')).toBe(FetcherCache.keyOf('', 'http://h/a'));
    expect(FetcherCache.keyOf('alice', 'http://h/a')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('evicts least recently used entries but keeps one in use', async () => {
    const cache = new FetcherCache(dir, 250);
    const a = await cache.acquire(key('a'), instantLoader(100)); // held for the whole test
    (await cache.acquire(key('b'), instantLoader(100))).release();
    (await cache.acquire(key('c'), instantLoader(100))).release(); // evicts b, not a
    expect(cache.cachedKeys().sort()).toEqual([key('a'), key('c')].sort());
    expect((await readFile(a.path)).length).toBe(100);
    (await cache.acquire(key('d'), instantLoader(100))).release(); // evicts c
    expect(cache.cachedKeys().sort()).toEqual([key('a'), key('d')].sort());
    expect(cache.totalBytes).toBe(200);
    expect((await readdir(dir)).length).toBe(2);
    a.release();
  });

  it('hands out an entry too big for the cache once and deletes it after the last release', async () => {
    const cache = new FetcherCache(dir, 50);
    const first = await cache.acquire(key('big'), instantLoader(100));
    const second = await cache.acquire(key('big'), instantLoader(100));
    expect(second.path).toBe(first.path);
    expect(cache.totalBytes).toBe(0);
    first.release();
    first.release(); // twice is harmless
    expect((await readFile(second.path)).length).toBe(100);
    second.release();
    await expect.poll(() => readdir(dir), { timeout: 2000 }).toEqual([]);
  });

  it('aborting one waiter leaves the load running for the others', async () => {
    const cache = new FetcherCache(dir, 1000);
    const loader = gatedLoader(10);
    const quitter = new AbortController();
    const gaveUp = cache.acquire(key('a'), loader.load, quitter.signal);
    const stayer = cache.acquire(key('a'), loader.load);
    await expect.poll(() => loader.state.calls, { timeout: 2000 }).toBe(1);
    quitter.abort();
    await expect(gaveUp).rejects.toThrow('aborted');
    expect(loader.state.aborted).toBe(false);
    loader.open();
    const lease = await stayer;
    expect((await readFile(lease.path)).length).toBe(10);
    lease.release();
  });

  it('aborts the load when every waiter gave up, and the next acquire loads afresh', async () => {
    const cache = new FetcherCache(dir, 1000);
    const loader = gatedLoader(10);
    const ac = new AbortController();
    const gaveUp = cache.acquire(key('a'), loader.load, ac.signal);
    await expect.poll(() => loader.state.calls, { timeout: 2000 }).toBe(1);
    ac.abort();
    await expect(gaveUp).rejects.toThrow('aborted');
    expect(loader.state.aborted).toBe(true);
    loader.open();
    const lease = await cache.acquire(key('a'), instantLoader(7));
    expect((await readFile(lease.path)).length).toBe(7);
    lease.release();
    await expect.poll(() => readdir(dir), { timeout: 2000 }).toHaveLength(1);
  });

  it('reports a failed load to every waiter and retries on the next acquire', async () => {
    const cache = new FetcherCache(dir, 1000);
    let calls = 0;
    const failing: CacheLoader = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 10));
      throw new Error('HTTP 500 Internal Server Error');
    };
    const results = await Promise.allSettled([cache.acquire(key('a'), failing), cache.acquire(key('a'), failing)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    const lease = await cache.acquire(key('a'), instantLoader(3));
    lease.release();
    expect(cache.totalBytes).toBe(3);
  });

  it('deletes its own leftovers from an earlier run and nothing else', async () => {
    const stale = `${'a'.repeat(64)}-3`;
    await writeFile(join(dir, stale), 'old');
    await writeFile(join(dir, `${stale}.tmp`), 'half');
    await writeFile(join(dir, 'keep-me.txt'), 'not ours');
    const cache = new FetcherCache(dir, 1000);
    (await cache.acquire(key('a'), instantLoader(1))).release();
    const names = await readdir(dir);
    expect(names).toContain('keep-me.txt');
    expect(names).not.toContain(stale);
    expect(names).not.toContain(`${stale}.tmp`);
  });
});
