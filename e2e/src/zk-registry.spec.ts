// The versioned document store (@mesos-ts/wire ZooKeeperDocumentStore) on a real ZooKeeper 3.8: a registry of
// 50,000 agents round-trips with every znode under ZooKeeper's 1 MB limit, concurrent writers conflict with a
// typed error, readers never see a torn document, and digest credentials guard it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Stat } from 'node-zookeeper-client';
import { ZkSession, ZooKeeperDocumentStore, isZooKeeperError, type ZooKeeperDocumentStoreOptions } from '@mesos-ts/wire';
import { startZooKeeper, type ZooKeeperServer } from './harness/zookeeper.js';

const ONE_MB = 1_048_575; // ZooKeeper's default jute.maxbuffer
let zk: ZooKeeperServer;
let counter = 0;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  zk = await startZooKeeper();
}, 30_000);
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  await zk?.stop();
});

async function open(options: Partial<ZooKeeperDocumentStoreOptions> & { path?: string } = {}): Promise<ZooKeeperDocumentStore> {
  const store = await ZooKeeperDocumentStore.open({ url: `zk://${zk.connect}${options.path ?? `/registry-${++counter}`}`, operationTimeoutMs: 10_000, ...options });
  cleanups.push(() => store.close());
  return store;
}

/** A registry shaped like the master's RegistryDocument, with `count` agents of realistic size. */
function registry(count: number): { agents: unknown[]; goneAgents: string[] } {
  const agents = Array.from({ length: count }, (_, i) => ({
    info: {
      hostname: `agent-${i}.rack-${i % 40}.example.com`,
      port: 5051,
      id: { value: `0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0-S${i}` },
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 16 } },
        { name: 'mem', type: 'SCALAR', scalar: { value: 64_000 } },
        { name: 'disk', type: 'SCALAR', scalar: { value: 900_000 } },
        { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 32000 }] } },
      ],
      attributes: [{ name: 'rack', type: 'TEXT', text: { value: `r${i % 40}` } }],
    },
    checkpointed: i % 10 === 0 ? [{ name: 'disk', type: 'SCALAR', scalar: { value: 1024 }, reservations: [{ type: 'DYNAMIC', role: 'kafka', principal: 'kafka' }] }] : [],
  }));
  return { agents, goneAgents: [] };
}

async function largestNode(store: ZooKeeperDocumentStore): Promise<{ nodes: number; largest: number }> {
  const raw = new ZkSession({ servers: zk.connect });
  try {
    // Chunks only: the header node plus its chunk children (the store's 'first-write' marker is not document data).
    const children = (await raw.op<string[]>('ls', (c, cb) => c.getChildren(store.node, (e, l) => cb(e, l)))).filter((ch) => ch !== 'first-write');
    const stats = await Promise.all([store.node, ...children.map((ch) => `${store.node}/${ch}`)].map((p) => raw.op<Stat>('stat', (c, cb) => c.exists(p, (e, s) => cb(e, s)))));
    return { nodes: stats.length, largest: Math.max(...stats.map((s) => s.dataLength)) };
  } finally {
    raw.close();
  }
}

describe('ZooKeeper versioned document store', () => {
  it.each([
    ['gzip (default)', true],
    ['uncompressed, so really chunked', false],
  ])('round-trips 50,000 agents with every znode under 1 MB: %s', async (_name, compress) => {
    const store = await open({ compress });
    const doc = registry(50_000);
    const bytes = Buffer.from(JSON.stringify(doc));
    expect(await store.get()).toEqual({ data: undefined, version: 0 });
    const t0 = performance.now();
    const version = await store.put(bytes, 0);
    const t1 = performance.now();
    const back = await (await open({ url: `zk://${zk.connect}${store.node.slice(0, store.node.lastIndexOf('/'))}` })).getJson<typeof doc>();
    const t2 = performance.now();
    expect(version).toBe(1);
    expect(back.version).toBe(1);
    expect(back.value).toEqual(doc);
    const { nodes, largest } = await largestNode(store);
    expect(largest).toBeLessThan(ONE_MB);
    if (!compress) expect(nodes).toBeGreaterThan(bytes.length / ONE_MB);
    console.log(`[figures] registry of 50,000 agents (${(bytes.length / 1e6).toFixed(1)} MB JSON, ${compress ? 'gzip' : 'raw'}): ${nodes} znodes, largest ${largest} bytes, write ${(t1 - t0).toFixed(0)} ms, read ${(t2 - t1).toFixed(0)} ms`);
    // A second write replaces the generation and removes the old chunks.
    expect(await store.putJson({ agents: [], goneAgents: ['x'] }, 1)).toBe(2);
    await expect.poll(async () => (await largestNode(store)).nodes, { timeout: 5_000 }).toBe(2);
  }, 120_000);

  it('lets exactly one of two concurrent writers win; the loser gets VERSION_CONFLICT', async () => {
    const a = await open({ path: '/race', name: 'doc', chunkBytes: 1_000 });
    const b = await open({ path: '/race', name: 'doc', chunkBytes: 1_000 });
    const start = await a.putJson({ owner: 'none' }, 0);
    for (let round = 0; round < 10; round++) {
      const version = (await a.get()).version;
      const big = (who: string): unknown => ({ owner: who, round, pad: 'x'.repeat(5_000) });
      const results = await Promise.allSettled([a.putJson(big('a'), version), b.putJson(big('b'), version)]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(isZooKeeperError(lost[0]!.reason, 'VERSION_CONFLICT')).toBe(true);
      const winner = results[0]!.status === 'fulfilled' ? 'a' : 'b';
      expect((await b.getJson<{ owner: string; round: number }>()).value).toMatchObject({ owner: winner, round });
    }
    expect(start).toBe(1);
    // A stale version is refused as well.
    await expect(a.putJson({ owner: 'late' }, 1)).rejects.toSatisfy((e) => isZooKeeperError(e, 'VERSION_CONFLICT'));
  }, 60_000);

  it('guards the very first write too: of two writers at version 0 one wins, and a stale version-0 writer later loses', async () => {
    const a = await open({ path: '/first', name: 'doc' });
    const b = await open({ path: '/first', name: 'doc' });
    expect((await a.get()).version).toBe(0);
    const results = await Promise.allSettled([a.putJson({ owner: 'a' }, 0), b.putJson({ owner: 'b' }, 0)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(isZooKeeperError(lost?.reason, 'VERSION_CONFLICT')).toBe(true);
    // A leader that loaded the empty document long ago must not overwrite its successor's first write.
    await expect(a.putJson({ owner: 'stale' }, 0)).rejects.toSatisfy((e) => isZooKeeperError(e, 'VERSION_CONFLICT'));
    expect((await a.getJson<{ owner: string }>()).value?.owner).not.toBe('stale');
  }, 60_000);

  it('readers see whole documents only while a writer keeps replacing it', async () => {
    const writer = await open({ path: '/torn', chunkBytes: 2_000 });
    const reader = await open({ path: '/torn', chunkBytes: 2_000 });
    let version = await writer.putJson({ n: 0, pad: '0'.repeat(20_000) }, 0);
    let writing = true;
    const written = (async () => {
      for (let n = 1; n <= 30; n++) version = await writer.putJson({ n, pad: String(n % 10).repeat(20_000) }, version);
      writing = false;
    })();
    let reads = 0;
    while (writing) {
      const { value } = await reader.getJson<{ n: number; pad: string }>();
      expect(value!.pad).toBe(String(value!.n % 10).repeat(20_000));
      reads++;
    }
    await written;
    expect(reads).toBeGreaterThan(0);
    expect((await reader.getJson<{ n: number }>()).value!.n).toBe(30);
  }, 60_000);

  it('guards the document with digest credentials', async () => {
    const owner = await open({ url: `zk://alice:secret@${zk.connect}/secured`, name: 'registry' });
    await owner.putJson({ ok: true }, 0);
    const stranger = await open({ url: `zk://mallory:guess@${zk.connect}/secured`, name: 'registry' }).catch((e: unknown) => e);
    const error = stranger instanceof ZooKeeperDocumentStore ? await stranger.get().catch((e: unknown) => e) : stranger;
    expect(isZooKeeperError(error, 'ZK_UNAUTHORIZED')).toBe(true);
    expect((await owner.getJson()).value).toEqual({ ok: true });
  });
});
