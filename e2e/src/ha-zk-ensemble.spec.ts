// Real mesos-master processes (default HA flags: 10 s sessions, leader probe on) on a real 3-node ZooKeeper
// zookeeper.ensemble. Losing any one ZooKeeper member — each in turn, the ZooKeeper leader last — changes nothing: the
// same master leads throughout, nobody exits, followers keep redirecting to it. Losing quorum makes the
// leading master stop leading (it exits, as upstream masters abort when they lose leadership); a supervisor —
// here the test, restarting every exited master on its port, as systemd or Marathon would upstream — keeps
// them running, nobody leads while quorum is gone, and exactly one master leads again once it returns.
import { describe, expect, it } from 'vitest';
import { waitUntil } from './harness/daemons.js';
import type { EnsembleMember } from './harness/zookeeper-ensemble.js';
import { cleanupsAfterEach, zooKeeperEnsembleForFile } from './harness/fixtures.js';
import { elected, getRaw, startMaster, startMasters, waitForLeader, type HaMaster } from './ha-masters.js';

const FLAGS = ['--allocation_interval=50ms'];
const zookeeper = zooKeeperEnsembleForFile(500);
const cleanups = cleanupsAfterEach();
let paths = 0;

const url = (): string => `zk://${zookeeper.ensemble.connect}/mesos-ens-${process.pid}-${++paths}`;

/** Restarts any exited master on its port every 200 ms, as a process supervisor would. */
function supervise(zk: string, masters: HaMaster[]): { stop(): void; restarts(): number } {
  let restarts = 0;
  let stopped = false;
  let busy = false;
  const timer = setInterval(() => {
    if (busy || stopped) return;
    busy = true;
    void (async () => {
      for (let i = 0; i < masters.length; i++) {
        const m = masters[i]!;
        if (m.proc.exitCode === null && m.proc.signalCode === null) continue;
        try {
          const again = await startMaster(zk, m.port, FLAGS, []);
          if (stopped) await again.kill9();
          else {
            masters[i] = again;
            restarts++;
          }
        } catch {
          // it exited again before it served (no ZooKeeper yet): the next round retries
        }
      }
    })().finally(() => (busy = false));
  }, 200);
  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
    restarts: () => restarts,
  };
}

describe('mesos-master on a 3-node ZooKeeper ensemble', () => {
  it('losing any one member (each in turn, the ZooKeeper leader last) changes nothing for the masters', async () => {
    const zk = url();
    const masters = await startMasters(zk, 3, FLAGS, []);
    cleanups.push(async () => {
      for (const m of masters) await m.kill9();
    });
    const leader = await waitForLeader(masters, 20_000);
    const followers = masters.filter((m) => m !== leader);
    for (const f of followers) {
      await waitUntil(async () => (await getRaw(`http://127.0.0.1:${f.port}/master/redirect`)).location === `//127.0.0.1:${leader.port}`, 10_000, 'followers to follow');
    }
    const zkFollowers: EnsembleMember[] = [];
    for (const m of zookeeper.ensemble.members) if ((await m.mode()) === 'follower') zkFollowers.push(m);
    expect(zkFollowers).toHaveLength(2);
    const zkLeader = zookeeper.ensemble.members.find((m) => !zkFollowers.includes(m))!;
    for (const member of [...zkFollowers, zkLeader]) {
      await member.stop();
      // Five seconds without the member (over three of the masters' 1.4 s leases): the leader never wavers.
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline) {
        const flags = await Promise.all(masters.map((m) => elected(m)));
        expect(flags).toEqual(masters.map((m) => (m === leader ? 1 : 0)));
        await new Promise((r) => setTimeout(r, 200));
      }
      for (const f of followers) expect(await getRaw(`http://127.0.0.1:${f.port}/master/redirect`)).toEqual({ status: 307, location: `//127.0.0.1:${leader.port}` });
      await member.start();
      await zookeeper.ensemble.waitServing(3);
    }
    for (const m of masters) expect(m.proc.exitCode).toBeNull();
    expect(leader.log()).not.toMatch(/lost the leadership/);
  }, 120_000);

  it('losing quorum stops the leader; with a supervisor restarting masters, one leads again once quorum returns', async () => {
    const zk = url();
    const masters = await startMasters(zk, 3, FLAGS, []);
    const supervisor = supervise(zk, masters);
    cleanups.push(async () => {
      supervisor.stop();
      for (const m of masters) await m.kill9();
    });
    const leader = await waitForLeader(masters, 20_000);
    const [z1, z2] = zookeeper.ensemble.members;
    const t0 = Date.now();
    await z1!.stop();
    await z2!.stop();
    const code = await leader.exited;
    const stepDownMs = Date.now() - t0;
    expect(code).toBe(1);
    expect(leader.log()).toMatch(/lost the leadership \(.*\); exiting so a supervisor restarts this master/);
    // Its lease is 1.5 s with the leader probe on; allow for the poll and the exit.
    expect(stepDownMs).toBeLessThan(4_000);
    console.log(`[figures] quorum loss → leading master exited after ${stepDownMs} ms`);

    // While quorum is gone nobody leads, whatever the supervisor restarts.
    const until = Date.now() + 5_000;
    while (Date.now() < until) {
      expect((await Promise.all(masters.map((m) => elected(m)))).filter((e) => e === 1)).toEqual([]);
      await new Promise((r) => setTimeout(r, 250));
    }

    const back = Date.now();
    await z1!.start();
    await z2!.start();
    await zookeeper.ensemble.waitServing(3);
    const next = await waitForLeader(masters, 45_000);
    console.log(`[figures] quorum back → a master leads after ${Date.now() - back} ms (${supervisor.restarts()} supervisor restarts)`);
    for (const f of masters.filter((m) => m !== next)) {
      await waitUntil(async () => (await getRaw(`http://127.0.0.1:${f.port}/master/redirect`)).location === `//127.0.0.1:${next.port}`, 20_000, 'the others to follow the new leader');
    }
  }, 150_000);
});
