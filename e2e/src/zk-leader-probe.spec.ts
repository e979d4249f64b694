// The leader probe (wire leader-probe.ts) against a real ZooKeeper with the default 10 s session timeout:
// the follower next in line removes the node of a leader whose advertised port refuses connections, and is
// elected only after the fence — and the safety rule holds for false positives: a leader that is alive but
// whose port refuses (so the probe is wrong) stops leading before the follower starts, whether it hears of
// the deletion from ZooKeeper (own-node watch) or is cut off from ZooKeeper too (its capped lease lapses).
// A leader whose port answers is never removed.
import { describe, expect, it } from 'vitest';
import net from 'node:net';
import type { v1 } from '@mesos-ts/proto';
import { FENCE_MS, REFUSED_SPAN_MS, ZooKeeperContender, ipv4ToNetworkOrder, type LeadershipEvent } from '@mesos-ts/wire';
import { freePort } from './harness/ports.js';
import { startTcpProxy } from './harness/tcp-proxy.js';
import { cleanupsAfterEach, zooKeeperForFile } from './harness/fixtures.js';

const PROBE = { intervalMs: 100 }; // the master's default --zk_leader_probe_interval
// ZooKeeper's default tick (500 ms here) grants the masters' default 10 s session.
const zookeeper = zooKeeperForFile({});
const cleanups = cleanupsAfterEach();
let counter = 0;

function info(port: number): v1.MasterInfo {
  return { id: `m${port}`, ip: ipv4ToNetworkOrder('127.0.0.1'), port, hostname: '127.0.0.1', address: { hostname: '127.0.0.1', ip: '127.0.0.1', port } };
}

type Timed = LeadershipEvent & { at: number };
function contender(url: string, port: number): { c: ZooKeeperContender; events: Timed[] } {
  const c = new ZooKeeperContender({ url, masterInfo: info(port), leaderProbe: PROBE });
  const events: Timed[] = [];
  c.onLeadership((e) => events.push({ ...e, at: performance.now() }));
  cleanups.push(() => c.withdraw());
  return { c, events };
}

async function listening(): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const close = (): Promise<void> => new Promise((r) => server.close(() => r()));
  cleanups.push(() => (server.listening ? close() : undefined));
  return { port: (server.address() as net.AddressInfo).port, close };
}

const at = (events: Timed[], type: LeadershipEvent['type']): number => events.find((e) => e.type === type)?.at ?? Number.NaN;

describe('leader probe (default 10 s session)', () => {
  it('keeps a leader whose port answers; removes it once the port refuses, and the follower leads after the fence', async () => {
    const url = `zk://${zookeeper.server.connect}/probe-${process.pid}-${++counter}`;
    const port = await listening();
    const leader = contender(url, port.port);
    await leader.c.contend();
    const follower = contender(url, await freePort());
    const followerElected = follower.c.contend();
    // Three seconds of answered probes: nothing happens.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(leader.c.isLeader()).toBe(true);
    expect(follower.events).toEqual([]);

    // The "process" goes away (the port refuses) while the contender, still connected to ZooKeeper, stays:
    // a false positive. It must step down the moment its node is deleted, before the follower leads.
    const closedAt = performance.now();
    await port.close();
    await followerElected;
    const removed = follower.events.find((e) => e.type === 'removed-dead-member');
    expect(removed).toMatchObject({ node: leader.c.node, address: { hostname: '127.0.0.1', port: port.port } });
    expect(leader.events.map((e) => e.type)).toEqual(['elected', 'lost']);
    expect(leader.events[1]).toMatchObject({ reason: expect.stringMatching(/was deleted/) });
    expect(leader.c.isLeader()).toBe(false);
    expect(at(leader.events, 'lost')).toBeLessThan(at(follower.events, 'elected'));
    // The follower waited the whole fence after its deletion; the deletion came after a streak of refusals.
    expect(at(follower.events, 'elected') - at(follower.events, 'removed-dead-member')).toBeGreaterThanOrEqual(FENCE_MS - 50);
    expect(at(follower.events, 'removed-dead-member') - closedAt).toBeGreaterThanOrEqual(REFUSED_SPAN_MS);
    console.log(`[figures] port closed → follower elected in ${(at(follower.events, 'elected') - closedAt).toFixed(0)} ms (session timeout 10 s)`);
  }, 30_000);

  it('a leader cut off from ZooKeeper whose port refuses (it cannot hear of the deletion) stops leading before the follower leads', async () => {
    const path = `/probe-${process.pid}-${++counter}`;
    const proxy = await startTcpProxy(zookeeper.server.port);
    cleanups.push(() => proxy.close());
    const leader = contender(`zk://${proxy.address}${path}`, await freePort());
    await leader.c.contend();
    // Nothing listens on the leader's port, and now its ZooKeeper traffic is silently dropped too.
    proxy.block();
    const follower = contender(`zk://${zookeeper.server.connect}${path}`, await freePort());
    await follower.c.contend();
    expect(follower.events.map((e) => e.type)).toEqual(['removed-dead-member', 'elected']);
    expect(leader.events.map((e) => e.type)).toEqual(['elected', 'lost']);
    expect(leader.events[1]).toMatchObject({ reason: expect.stringMatching(/no answer from ZooKeeper/) });
    expect(at(leader.events, 'lost')).toBeLessThan(at(follower.events, 'elected'));
  }, 30_000);
});
