// Fault tolerance on a real 3-node ZooKeeper 3.8 ensemble: losing one member changes nothing (no leadership
// flap, detector unchanged, registry writes go on); losing quorum makes the leader stop leading within the
// session timeout, and the masters are elected again once quorum returns.
import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { ZooKeeperContender, ZooKeeperDocumentStore, ZooKeeperMasterDetector, ipv4ToNetworkOrder, type LeadershipEvent } from '@mesos-ts/wire';
import type { EnsembleMember } from './harness/zookeeper-ensemble.js';
import { cleanupsAfterEach, zooKeeperEnsembleForFile } from './harness/fixtures.js';

const SESSION_MS = 2_000;
const zookeeper = zooKeeperEnsembleForFile(250);
const cleanups = cleanupsAfterEach();

function masterInfo(port: number): v1.MasterInfo {
  return { id: `master-${port}`, ip: ipv4ToNetworkOrder('127.0.0.1'), port, hostname: '127.0.0.1', address: { hostname: '127.0.0.1', ip: '127.0.0.1', port } };
}
function contender(url: string, port: number): { c: ZooKeeperContender; events: LeadershipEvent['type'][] } {
  const c = new ZooKeeperContender({ url, masterInfo: masterInfo(port), sessionTimeoutMs: SESSION_MS });
  const events: LeadershipEvent['type'][] = [];
  c.onLeadership((e) => events.push(e.type));
  cleanups.push(() => c.withdraw());
  return { c, events };
}
async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('3-node ZooKeeper ensemble faults', () => {
  it('losing any one member (each in turn, the ZooKeeper leader last) changes nothing', async () => {
    const url = `zk://${zookeeper.ensemble.connect}/mesos-one`;
    const a = contender(url, 6001);
    const b = contender(url, 6002);
    await a.c.contend();
    const bElected = b.c.contend().catch(() => 'lost');
    const d = new ZooKeeperMasterDetector({ url, sessionTimeoutMs: SESSION_MS });
    cleanups.push(() => d.close());
    await until(() => d.current()?.port === 6001, 5_000, 'detector to see a');
    const store = await ZooKeeperDocumentStore.open({ url, sessionTimeoutMs: SESSION_MS, operationTimeoutMs: 10_000 });
    cleanups.push(() => store.close());
    let version = await store.putJson({ n: 0 }, 0);
    const changes: unknown[] = [];
    d.subscribe((l) => changes.push(l));
    const followers: EnsembleMember[] = [];
    for (const m of zookeeper.ensemble.members) if ((await m.mode()) === 'follower') followers.push(m);
    expect(followers).toHaveLength(2);
    const zkLeader = zookeeper.ensemble.members.find((m) => !followers.includes(m))!;
    for (const member of [...followers, zkLeader]) {
      await member.stop();
      // Two session timeouts without the member: every client connected to it has moved.
      const deadline = Date.now() + 2 * SESSION_MS;
      while (Date.now() < deadline) {
        expect(a.c.isLeader()).toBe(true);
        await new Promise((r) => setTimeout(r, 50));
      }
      version = await store.putJson({ n: version }, version);
      await member.start();
      await zookeeper.ensemble.waitServing(3);
    }
    expect(a.events).toEqual(['elected']);
    expect(b.events).toEqual([]);
    expect(changes).toEqual([]);
    expect((await store.getJson()).value).toEqual({ n: version - 1 });
    void bElected;
  }, 60_000);

  it('losing quorum stops the leader within the session timeout; leaders are elected again when it returns', async () => {
    const url = `zk://${zookeeper.ensemble.connect}/mesos-quorum`;
    const a = contender(url, 6011);
    const b = contender(url, 6012);
    await a.c.contend();
    const bFirst = b.c.contend().catch(() => 'lost');
    await until(() => b.c.node !== undefined, 5_000, 'b to join');
    const [m1, m2] = zookeeper.ensemble.members;
    const stoppedAt = performance.now();
    await m1!.stop();
    await m2!.stop();
    await until(() => !a.c.isLeader(), SESSION_MS + 500, 'a to stop leading');
    const stepDownMs = performance.now() - stoppedAt;
    await until(() => a.events.includes('lost') && b.events.includes('lost'), SESSION_MS + 1_000, 'both candidacies to end');
    expect(await bFirst).toBe('lost');
    console.log(`[figures] quorum loss → leader stopped leading after ${stepDownMs.toFixed(0)} ms (session timeout ${SESSION_MS} ms)`);

    // While there is no quorum nobody can be elected.
    const failed = new Set<ZooKeeperContender>();
    const recontend = (x: ZooKeeperContender): void => void x.contend().catch(() => failed.add(x));
    recontend(a.c);
    recontend(b.c);
    await new Promise((r) => setTimeout(r, 500));
    expect(a.c.isLeader() || b.c.isLeader()).toBe(false);
    await m1!.start();
    await m2!.start();
    await zookeeper.ensemble.waitServing(3);
    // A candidacy that gave up while quorum was gone (ZK_UNAVAILABLE) contends once more; then exactly one leads.
    const deadline = Date.now() + 3 * SESSION_MS;
    while (!(a.c.isLeader() !== b.c.isLeader() && failed.size === 0)) {
      if (Date.now() > deadline) throw new Error('no single leader after quorum returned');
      for (const x of failed) {
        failed.delete(x);
        recontend(x);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const d = new ZooKeeperMasterDetector({ url, sessionTimeoutMs: SESSION_MS });
    cleanups.push(() => d.close());
    const leaderPort = a.c.isLeader() ? 6011 : 6012;
    await until(() => d.current()?.port === leaderPort, 5_000, 'detector to see the new leader');
  }, 90_000);
});
