// The scheduler SDK with `master: 'zk://…/mesos'` against real ZooKeeper and real (in-process) masters. The
// masters do not know ZooKeeper yet, so each is registered in the election by a ZooKeeperContender carrying
// its MasterInfo, exactly what a master run with --zk will do. The client subscribes to the elected one and,
// when that candidacy is withdrawn and another master is elected, re-subscribes there with its framework id.
import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseFlags, startMaster, type RunningMaster } from '@mesos-ts/master';
import { FakeAgent } from '@mesos-ts/master/testing';
import type { v1 } from '@mesos-ts/proto';
import { SchedulerClient, isSchedulerError, type SchedulerEvents } from '@mesos-ts/scheduler';
import { nextEvent } from '@mesos-ts/scheduler/testing';
import { ZooKeeperContender, ipv4ToNetworkOrder } from '@mesos-ts/wire';
import { cleanupsAfterEach, zooKeeperForFile } from './harness/fixtures.js';
import { waitUntil } from './harness/daemons.js';

const SESSION_MS = 2_000;
let paths = 0;

const zkFile = zooKeeperForFile();
const cleanups = cleanupsAfterEach();

async function master(): Promise<RunningMaster> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'zk-sched-'));
  cleanups.push(() => rm(workDir, { recursive: true, force: true }));
  const parsed = parseFlags(['--port=0', `--work_dir=${workDir}`, '--allocation_interval=50ms']);
  if (parsed.help) throw new Error('unexpected --help');
  const m = await startMaster(parsed.flags);
  cleanups.push(() => m.stop());
  const agent = new FakeAgent({ master: m.url, hostname: `agent-of-${m.port}` });
  cleanups.push(() => agent.close());
  await agent.connect();
  return m;
}

const masterInfo = (m: RunningMaster): v1.MasterInfo => ({
  id: `master-${m.port}`,
  ip: ipv4ToNetworkOrder('127.0.0.1'),
  port: m.port,
  hostname: '127.0.0.1',
  address: { hostname: '127.0.0.1', ip: '127.0.0.1', port: m.port },
});

/** Enters `m` in the election at `url` and waits until it leads. */
async function elect(url: string, m: RunningMaster): Promise<ZooKeeperContender> {
  const c = new ZooKeeperContender({ url, masterInfo: masterInfo(m), sessionTimeoutMs: SESSION_MS });
  cleanups.push(() => c.withdraw());
  await c.contend();
  return c;
}

/** The next matching `event` of `c`, within 10000 ms. */
const next = <K extends keyof SchedulerEvents>(c: SchedulerClient, event: K, pred?: (...a: SchedulerEvents[K]) => boolean, timeoutMs = 10_000): Promise<SchedulerEvents[K]> => nextEvent(c, event, pred, timeoutMs);

describe('SchedulerClient with a zk:// master', () => {
  it('subscribes to the elected master and re-subscribes at the next one after a leader change', async () => {
    const url = `zk://${zkFile.server.connect}/mesos-${process.pid}-${++paths}`;
    const m1 = await master();
    const m2 = await master();
    const c1 = await elect(url, m1);
    const client = new SchedulerClient({
      master: url,
      framework: { user: 'nobody', name: 'zk-sdk', failover_timeout: 3600 },
      // A leader change must not wait for a backoff: re-subscription is immediate.
      backoff: { initialMs: 30_000, maxMs: 30_000 },
    });
    cleanups.push(() => client.stop());
    const offersAt = (port: number) => next(client, 'offers', (offers) => offers.some((o) => o.hostname === `agent-of-${port}`));
    const first = next(client, 'subscribed');
    const firstOffers = offersAt(m1.port);
    client.start();
    const [info1] = await first;
    expect(info1).toMatchObject({ master: `127.0.0.1:${m1.port}`, resubscribed: false });
    expect(info1.masterInfo?.port).toBe(m1.port);
    await firstOffers;
    // One SUBSCRIBE, one framework: the first detection is not mistaken for a leader change.
    expect(await frameworkIds(m1)).toEqual([info1.frameworkId]);

    // The leader withdraws (its master keeps running, as a standalone leader would not): the client leaves it.
    const disconnected = next(client, 'disconnected');
    await c1.withdraw();
    const [{ reason, retryInMs }] = await disconnected;
    expect(reason).toBe(`master 127.0.0.1:${m1.port} is no longer the elected leader`);
    expect(retryInMs).toBe(0);
    // Nobody leads: calls are refused until the client is subscribed again.
    await expect(client.reconcile()).rejects.toSatisfy((e) => isSchedulerError(e, 'NOT_SUBSCRIBED'));

    const again = next(client, 'subscribed');
    const secondOffers = offersAt(m2.port);
    const elected = Date.now();
    await elect(url, m2);
    const [info2] = await again;
    const ms = Date.now() - elected;
    expect(info2).toMatchObject({ master: `127.0.0.1:${m2.port}`, frameworkId: info1.frameworkId, resubscribed: true });
    expect(client.master).toBe(`127.0.0.1:${m2.port}`);
    expect(ms).toBeLessThan(5_000);
    await secondOffers;
    // The new leader knows the framework under the same id.
    expect(await frameworkIds(m2)).toEqual([info1.frameworkId]);
  }, 40_000);

  it('waits for a leader when nobody is elected yet, and closes its ZooKeeper session on stop()', async () => {
    const proxy = await countingProxy(zkFile.server.port);
    cleanups.push(() => proxy.close());
    const pathName = `/mesos-${process.pid}-${++paths}`;
    const m = await master();
    const client = new SchedulerClient({ master: `zk://127.0.0.1:${proxy.port}${pathName}`, framework: { user: 'nobody', name: 'zk-sdk-wait' } });
    cleanups.push(() => client.stop());
    const subscribed = next(client, 'subscribed');
    client.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(client.subscribed).toBe(false);
    expect(proxy.open()).toBe(1);
    await elect(`zk://${zkFile.server.connect}${pathName}`, m);
    const [info] = await subscribed;
    expect(info.master).toBe(`127.0.0.1:${m.port}`);
    await client.stop();
    await until(() => proxy.open() === 0, 'the client to close its ZooKeeper connection');
  }, 30_000);
});

async function frameworkIds(m: RunningMaster): Promise<string[]> {
  const state = (await (await fetch(`${m.url}/master/state`)).json()) as { frameworks: { id: string }[] };
  return state.frameworks.map((f) => f.id);
}

/** A TCP proxy to ZooKeeper that counts the client connections open through it. */
async function countingProxy(targetPort: number): Promise<{ port: number; open(): number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client);
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      sockets.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    open: () => sockets.size,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const until = (probe: () => boolean, what: string, timeoutMs = 5_000): Promise<void> => waitUntil(probe, timeoutMs, what);
