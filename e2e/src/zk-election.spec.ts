// Leader election and detection (@mesos-ts/wire ZooKeeper building blocks) against a real ZooKeeper 3.8:
// upstream's layout (ephemeral sequential json.info_ nodes holding MasterInfo JSON), lowest sequence leads,
// predecessor-only watches, prompt detection, and no split brain when a leader's session is lost.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { v1 } from '@mesos-ts/proto';
import {
  ZkSession,
  ZooKeeperContender,
  ZooKeeperLeaderView,
  ZooKeeperMasterDetector,
  decodeMasterInfo,
  ipv4ToNetworkOrder,
  isZooKeeperError,
  resolveLeader,
  sequenceOf,
  type DetectedLeader,
  type LeadershipEvent,
} from '@mesos-ts/wire';
import type { Contender, LeaderDetector } from '@mesos-ts/master';
import type { MasterDetector } from '@mesos-ts/scheduler';
import { startZooKeeper, type ZooKeeperServer } from './harness/zookeeper.js';
import { startTcpProxy, type TcpProxy } from './harness/tcp-proxy.js';

const SESSION_MS = 2_000;
let zk: ZooKeeperServer;
const cleanups: (() => unknown)[] = [];
let pathCounter = 0;

beforeAll(async () => {
  zk = await startZooKeeper({ tickTimeMs: 200 });
}, 30_000);
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  await zk?.stop();
});

function masterInfo(port: number): v1.MasterInfo {
  return { id: `master-${port}`, ip: ipv4ToNetworkOrder('127.0.0.1'), port, hostname: '127.0.0.1', address: { hostname: '127.0.0.1', ip: '127.0.0.1', port } };
}
function freshUrl(servers = zk.connect): string {
  return `zk://${servers}/mesos-${process.pid}-${++pathCounter}`;
}
function contender(url: string, port: number): ZooKeeperContender {
  const c = new ZooKeeperContender({ url, masterInfo: masterInfo(port), sessionTimeoutMs: SESSION_MS });
  cleanups.push(() => c.withdraw());
  return c;
}
function detector(url: string): ZooKeeperMasterDetector {
  const d = new ZooKeeperMasterDetector({ url, sessionTimeoutMs: SESSION_MS });
  cleanups.push(() => d.close());
  return d;
}
function record(c: ZooKeeperContender): (LeadershipEvent & { at: number })[] {
  const events: (LeadershipEvent & { at: number })[] = [];
  c.onLeadership((e) => events.push({ ...e, at: performance.now() }));
  return events;
}
async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('ZooKeeper leader election', () => {
  it('elects in creation order with json.info_ nodes holding MasterInfo JSON', async () => {
    const url = freshUrl();
    const a = contender(url, 5001);
    await a.contend();
    const b = contender(url, 5002);
    const c = contender(url, 5003);
    const bElected = b.contend();
    const cElected = c.contend();
    await until(() => b.node !== undefined && c.node !== undefined, 5_000, 'b and c to join');
    expect([a.isLeader(), b.isLeader(), c.isLeader()]).toEqual([true, false, false]);
    expect(a.node).toMatch(/^json\.info_\d{10}$/);
    // What any upstream tool reads: the znode data is MasterInfo JSON.
    const raw = new ZkSession({ servers: zk.connect });
    cleanups.push(() => raw.close());
    const path = url.slice(url.lastIndexOf('/'));
    const children = await raw.op<string[]>('ls', (cl, cb) => cl.getChildren(path, (e, l) => cb(e, l)));
    expect(children.sort()).toEqual([a.node, b.node, c.node].sort());
    const data = await raw.op<Buffer>('get', (cl, cb) => cl.getData(`${path}/${a.node}`, (e, d) => cb(e, d)));
    expect(JSON.parse(data.toString('utf8'))).toMatchObject({ id: 'master-5001', port: 5001, address: { ip: '127.0.0.1', port: 5001 } });
    expect(decodeMasterInfo(data, a.node!).port).toBe(5001);

    // b and c joined concurrently on separate sessions: their sequence numbers decide, not the call order.
    const [first, second] = [{ c: b, elected: bElected }, { c, elected: cElected }].sort((x, y) => sequenceOf(x.c.node!)! - sequenceOf(y.c.node!)!);
    await a.withdraw();
    await first!.elected;
    expect([first!.c.isLeader(), second!.c.isLeader()]).toEqual([true, false]);
    await first!.c.withdraw();
    await second!.elected;
    expect(second!.c.isLeader()).toBe(true);
  });

  it('watches only the predecessor: a middle member leaving elects nobody new', async () => {
    const url = freshUrl();
    const [a, b, c] = [contender(url, 5011), contender(url, 5012), contender(url, 5013)];
    const cEvents = record(c);
    await a.contend();
    void b.contend().catch(() => undefined);
    await until(() => b.node !== undefined, 5_000, 'b to join');
    const cElected = c.contend();
    await until(() => c.node !== undefined, 5_000, 'c to join');
    await b.withdraw();
    await new Promise((r) => setTimeout(r, 300));
    expect(cEvents).toEqual([]);
    expect([a.isLeader(), c.isLeader()]).toEqual([true, false]);
    await a.withdraw();
    await cElected;
    expect(cEvents.map((e) => e.type)).toEqual(['elected']);
  });

  it('detects the leader and follows every change promptly, including "no leader"', async () => {
    const url = freshUrl();
    const d = detector(url);
    expect(await d.detect()).toBeUndefined();
    const seen: (DetectedLeader | undefined)[] = [];
    d.subscribe((l) => seen.push(l));
    const a = contender(url, 5021);
    await a.contend();
    const b = contender(url, 5022);
    const bElected = b.contend();
    await until(() => d.current()?.port === 5021 && b.node !== undefined, 2_000, 'detector to see a, b to join');
    expect(await d.next()).toBe('127.0.0.1:5021');
    const t0 = performance.now();
    await a.withdraw();
    await until(() => d.current()?.port === 5022, 2_000, 'detector to see b');
    expect(performance.now() - t0).toBeLessThan(1_000);
    await bElected;
    await b.withdraw();
    await until(() => seen.length >= 3, 2_000, '"no leader"');
    expect(seen.map((l) => l?.address.port)).toEqual([5021, 5022, undefined]);
    expect(seen[0]?.node).toMatch(/^json\.info_/);
  });

  it('async-iterates changes until aborted', async () => {
    const url = freshUrl();
    const d = detector(url);
    await d.detect();
    const abort = new AbortController();
    const ports: (number | undefined)[] = [];
    const done = (async () => {
      for await (const l of d.changes(abort.signal)) {
        ports.push(l?.address.port);
        if (ports.length === 2) abort.abort();
      }
    })();
    const a = contender(url, 5031);
    await a.contend();
    // A leader gone before the detector's next read is never reported (it reads the current children, as
    // upstream's does): withdraw only once it was seen.
    await until(() => ports.length >= 1, 10_000, 'the detector to report 5031');
    await a.withdraw();
    await done;
    expect(ports).toEqual([5031, undefined]);
  });

  it('a leader whose host dies is replaced within the session timeout; it reported lost before', async () => {
    const url = freshUrl();
    const proxy = await startTcpProxy(zk.port);
    cleanups.push(() => proxy.close());
    const a = contender(freshUrlFor(url, proxy), 5041);
    const aEvents = record(a);
    await a.contend();
    const b = contender(url, 5042);
    const bEvents = record(b);
    const bElected = b.contend();
    await until(() => b.node !== undefined, 5_000, 'b to join');
    const killedAt = performance.now();
    proxy.kill();
    await bElected;
    const electedAt = bEvents[0]!.at;
    expect(electedAt - killedAt).toBeLessThan(SESSION_MS + 2_000);
    expect(aEvents.map((e) => e.type)).toEqual(['elected', 'lost']);
    expect(aEvents[1]!.at).toBeLessThan(electedAt);
  });

  it('a partitioned leader (session expires) stops leading before anyone else is elected', async () => {
    const url = freshUrl();
    const proxy = await startTcpProxy(zk.port);
    cleanups.push(() => proxy.close());
    const a = contender(freshUrlFor(url, proxy), 5051);
    const aEvents = record(a);
    await a.contend();
    const b = contender(url, 5052);
    const bElected = b.contend();
    await until(() => b.node !== undefined, 5_000, 'b to join');
    // Sample a.isLeader() continuously: it must never overlap with b.isLeader().
    let overlap = false;
    const sampler = setInterval(() => void (a.isLeader() && b.isLeader() && (overlap = true)), 1);
    cleanups.push(() => clearInterval(sampler));
    proxy.block();
    await bElected;
    const bAt = performance.now();
    expect(overlap).toBe(false);
    expect(aEvents.map((e) => e.type)).toEqual(['elected', 'lost']);
    expect(aEvents[1]!.at).toBeLessThan(bAt);
    expect(a.isLeader()).toBe(false);
    // After the partition heals, `a` can contend again and queues behind b.
    proxy.heal();
    const again = a.contend();
    await until(() => a.node !== undefined, 5_000, 'a to re-join');
    expect(a.isLeader()).toBe(false);
    await b.withdraw();
    await again;
    expect(a.isLeader()).toBe(true);
  });

  it('leader view: 307 target for followers, self only while leading', async () => {
    const url = freshUrl();
    const a = contender(url, 5061);
    const b = contender(url, 5062);
    const d = detector(url);
    // The objects fit the master's and the scheduler SDK's ports as they are (checked by the compiler).
    const viewB: LeaderDetector = new ZooKeeperLeaderView(d, b, () => ({ hostname: '127.0.0.1', port: 5062 }));
    const ports: [Contender, MasterDetector] = [b, d];
    expect(ports).toHaveLength(2);
    await a.contend();
    const bElected = b.contend();
    await until(() => d.current()?.port === 5061, 2_000, 'detector to see a');
    expect(viewB.isSelf()).toBe(false);
    expect(viewB.current()).toEqual({ hostname: '127.0.0.1', port: 5061 });
    await a.withdraw();
    await bElected;
    expect(viewB.isSelf()).toBe(true);
    expect(viewB.current()).toEqual({ hostname: '127.0.0.1', port: 5062 });
  });

  it('with digest credentials: anyone may detect, only the credential holders may contend', async () => {
    const path = freshUrl().slice(`zk://${zk.connect}`.length);
    const a = contender(`zk://alice:secret@${zk.connect}${path}`, 5091);
    await a.contend();
    const d = detector(`zk://${zk.connect}${path}`);
    await until(() => d.current()?.port === 5091, 2_000, 'an anonymous detector to see the leader');
    const stranger = contender(`zk://mallory:guess@${zk.connect}${path}`, 5092);
    const error = await stranger.contend().then(() => undefined, (e: unknown) => e);
    expect(isZooKeeperError(error, 'ZK_UNAUTHORIZED')).toBe(true);
    const colleague = contender(`zk://alice:secret@${zk.connect}${path}`, 5093);
    const elected = colleague.contend();
    await a.withdraw();
    await elected;
    expect(colleague.isLeader()).toBe(true);
  });

  it('contend() fails with a typed error when ZooKeeper cannot be reached', async () => {
    const c = new ZooKeeperContender({ url: 'zk://127.0.0.1:1/mesos', masterInfo: masterInfo(5071), sessionTimeoutMs: 1_000 });
    cleanups.push(() => c.withdraw());
    const error = await c.contend().then(() => undefined, (e: unknown) => e);
    expect(isZooKeeperError(error, 'ZK_UNAVAILABLE')).toBe(true);
    expect(c.isLeader()).toBe(false);
  });
});

describe('resolveLeader (mesos resolve)', () => {
  it('reads the leader from zk:// and fails clearly when nobody contends', async () => {
    const url = freshUrl();
    await expect(resolveLeader(url, { timeoutMs: 500 })).rejects.toSatisfy((e) => isZooKeeperError(e, 'NO_LEADER'));
    const a = contender(url, 5081);
    await a.contend();
    expect(await resolveLeader(url, { timeoutMs: 5_000 })).toEqual({ hostname: '127.0.0.1', port: 5081 });
  });

  it('asks /master/redirect of each listed master and takes the first answer', async () => {
    const noLeader = await listen((res) => res.writeHead(503).end('No leading master is elected yet'));
    const follower = await listen((res) => res.writeHead(307, { Location: '//10.1.2.3:5050' }).end());
    const spec = `127.0.0.1:1,127.0.0.1:${noLeader},http://127.0.0.1:${follower}`;
    expect(await resolveLeader(spec, { timeoutMs: 5_000 })).toEqual({ hostname: '10.1.2.3', port: 5050 });
    await expect(resolveLeader(`127.0.0.1:${noLeader}`, { timeoutMs: 2_000 })).rejects.toThrow(/answered 503/);
    await expect(resolveLeader('bad host', { timeoutMs: 100 })).rejects.toSatisfy((e) => isZooKeeperError(e, 'INVALID_ZK_URL'));
  });
});

function freshUrlFor(url: string, proxy: TcpProxy): string {
  return url.replace(zk.connect, proxy.address);
}

async function listen(answer: (res: http.ServerResponse) => void): Promise<number> {
  const server = http.createServer((req, res) => {
    if (req.url === '/master/redirect') answer(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as AddressInfo).port;
}
