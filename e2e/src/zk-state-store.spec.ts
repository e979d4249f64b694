// The framework-kit `zk:` state store against a real ZooKeeper 3.8 (started per file by the harness).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import {
  MUST_NOT_EXIST,
  isKitError,
  loadFrameworkId,
  parseStorage,
  saveFrameworkId,
  type StateStore,
} from '@mesos-ts/framework-kit';
import { startTcpProxy } from './harness/tcp-proxy.js';
import { fourLetterWord, startZooKeeper, type ZooKeeperServer } from './harness/zookeeper.js';

let zk: ZooKeeperServer;
const open: StateStore[] = [];

beforeAll(async () => {
  zk = await startZooKeeper();
}, 30_000);

afterAll(async () => {
  for (const s of open.splice(0)) await s.close();
  await zk?.stop();
});

async function store(spec: string, options: Parameters<typeof parseStorage>[1] = {}): Promise<StateStore> {
  const s = await parseStorage(spec, { operationTimeoutMs: 5_000, ...options });
  open.push(s);
  return s;
}

describe('zk: state store on a real ZooKeeper', () => {
  it('serves ruok on loopback only', async () => {
    expect(await fourLetterWord(zk.port, 'ruok')).toBe('imok');
  });

  it('stores JSON with versions under a chroot and lists keys', async () => {
    const s = await store('zk:/kafka-mesos', { zk: `${zk.connect}/chroot` });
    expect(s.description).toBe(`zk:${zk.connect}/chroot/kafka-mesos`);
    expect(await s.get('brokers')).toBeUndefined();
    expect(await s.put('brokers', [{ id: 0 }])).toBe(0);
    expect(await s.put('brokers', [{ id: 0 }, { id: 1 }], 0)).toBe(1);
    expect(await s.put('topics', { t0: {} }, MUST_NOT_EXIST)).toBe(0);
    expect(await s.get('brokers')).toEqual({ value: [{ id: 0 }, { id: 1 }], version: 1 });
    expect(await s.keys()).toEqual(['brokers', 'topics']);
    // The same node through the self-contained zk:// form.
    const same = await store(`zk://${zk.connect}/chroot/kafka-mesos`);
    expect((await same.get('topics'))?.value).toEqual({ t0: {} });
    expect(await same.delete('topics', 0)).toBe(true);
    expect(await s.delete('topics')).toBe(false);
  });

  it('lets only one of two concurrent writers win (versioned sets)', async () => {
    const a = await store(`zk://${zk.connect}/race`);
    const b = await store(`zk://${zk.connect}/race`);
    await a.put('state', { owner: 'none' });
    const seenByA = (await a.get('state'))!.version;
    const seenByB = (await b.get('state'))!.version;
    expect(await a.put('state', { owner: 'a' }, seenByA)).toBe(seenByA + 1);
    await expect(b.put('state', { owner: 'b' }, seenByB)).rejects.toSatisfy(
      (e) => isKitError(e, 'VERSION_CONFLICT') && (e as Error).message.includes(`at version ${seenByA + 1}`),
    );
    await expect(b.put('state', {}, MUST_NOT_EXIST)).rejects.toSatisfy((e) => isKitError(e, 'VERSION_CONFLICT'));
    await expect(b.delete('state', seenByB)).rejects.toSatisfy((e) => isKitError(e, 'VERSION_CONFLICT'));
    expect((await b.get('state'))?.value).toEqual({ owner: 'a' });
  });

  it('protects nodes with digest credentials', async () => {
    const alice = await store(`zk://alice:secret@${zk.connect}/secure`);
    await alice.put('framework-id', { id: 'fw-7' });
    const anonymous = await store(`zk://${zk.connect}/secure`);
    await expect(anonymous.get('framework-id')).rejects.toSatisfy((e) => isKitError(e, 'STORE_UNAUTHORIZED'));
    const mallory = await store(`zk://alice:wrong@${zk.connect}/secure`);
    await expect(mallory.put('framework-id', { id: 'evil' })).rejects.toSatisfy((e) => isKitError(e, 'STORE_UNAUTHORIZED'));
    expect(await loadFrameworkId(alice)).toBe('fw-7');
  });

  it('persists the framework id across store instances', async () => {
    const first = await store('zk:/fw', { zk: zk.connect });
    expect(await loadFrameworkId(first)).toBeUndefined();
    await saveFrameworkId(first, 'fw-42');
    await first.close();
    const second = await store('zk:/fw', { zk: zk.connect });
    expect(await loadFrameworkId(second)).toBe('fw-42');
  });

  it('reconnects after a ZooKeeper restart', async () => {
    // A JVM restart on a loaded machine can take seconds: give operations the default 15 s.
    const s = await store(`zk://${zk.connect}/restart`, { operationTimeoutMs: 15_000 });
    await s.put('k', 1);
    await zk.restart();
    expect(await s.get('k')).toEqual({ value: 1, version: 0 });
    expect(await s.put('k', 2, 0)).toBe(1);
  }, 30_000);

  it('opens a new session when its session expired (the wire ZkSession ends; the store carries on)', async () => {
    const proxy = await startTcpProxy(zk.port);
    try {
      const s = await store(`zk://${proxy.address}/expiry`, { sessionTimeoutMs: 1_000, operationTimeoutMs: 10_000 });
      await s.put('k', 'before');
      // The host "dies" for longer than the session timeout: the session is expired on both sides.
      proxy.kill();
      await new Promise((r) => setTimeout(r, 2_500));
      proxy.heal();
      expect(await s.get('k')).toEqual({ value: 'before', version: 0 });
      expect(await s.put('k', 'after', 0)).toBe(1);
    } finally {
      await proxy.close();
    }
  }, 30_000);

  it('reports an unreachable ZooKeeper as STORE_UNAVAILABLE within the operation timeout', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(p));
      });
    });
    const started = Date.now();
    await expect(parseStorage(`zk://127.0.0.1:${port}/x`, { operationTimeoutMs: 500 })).rejects.toSatisfy(
      (e) => isKitError(e, 'STORE_UNAVAILABLE') && (e as Error).message.includes('is ZooKeeper at'),
    );
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
