// ZooKeeper HA of real mesos-master processes (--zk, default flags: 10 s sessions, leader probe on) against a real ZooKeeper:
// exactly one master leads and the others redirect to it; an agent given the list of all masters and a
// framework detecting the leader through zk:// follow every leader change; kill -9 of the leader elects another
// well within the session timeout (the next master in line finds the dead leader's port refusing connections and
// removes its election node instead of waiting for its session to expire), the agent re-registers, the framework re-subscribes with its id, the
// long task keeps running (same process), reconciles RUNNING, and is never launched twice. Also: a leader cut
// off from ZooKeeper stops leading at once and exits non-zero. Prints the failover figures (median of the kills).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import os from 'node:os';
import type { v1 } from '@mesos-ts/proto';
import { SchedulerClient } from '@mesos-ts/scheduler';
import { Cluster, commandTask, waitUntil } from './harness/daemons.js';
import { startTcpProxy } from './harness/tcp-proxy.js';
import { startZooKeeper, type ZooKeeperServer } from './harness/zookeeper.js';
import { elected, getRaw, spawnBin, startMaster, startMasters, waitForLeader, type HaMaster } from './ha-masters.js';

// HA_KILLS and HA_SESSION_SECS (default 10, upstream's default) set the run's size and timeout.
const KILLS = Number(process.env.HA_KILLS ?? 5);
const SESSION_MS = Number(process.env.HA_SESSION_SECS ?? 10) * 1000;
let zk: ZooKeeperServer;
let paths = 0;
const cleanups: Array<() => unknown> = [];

beforeAll(async () => {
  // ZooKeeper grants session timeouts of 2 to 20 ticks.
  zk = await startZooKeeper({ tickTimeMs: Math.max(200, Math.ceil(SESSION_MS / 20)) });
}, 30_000);
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  await zk?.stop();
});

const zkPath = (): string => `/mesos-ha-${process.pid}-${++paths}`;

function track(ms: HaMaster[]): HaMaster[] {
  cleanups.push(async () => {
    for (const m of ms) await m.kill9();
  });
  return ms;
}

interface StateJson {
  slaves: { id: string; active: boolean }[];
  frameworks: { id: string; active: boolean; tasks: { id: string; state: string }[] }[];
}

async function state(m: HaMaster): Promise<StateJson | undefined> {
  const r = await fetch(`http://127.0.0.1:${m.port}/master/state`, { redirect: 'manual', signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
  return r?.status === 200 ? ((await r.json()) as StateJson) : undefined;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

describe('mesos-master --zk', () => {
  it(`elects one leader, redirects to it, and survives ${KILLS} kill -9s of the leader without losing or relaunching a task`, async () => {
    const url = `zk://${zk.connect}${zkPath()}`;
    const masters = track(await startMasters(url, 3, [`--zk_session_timeout=${SESSION_MS}ms`]));
    let leader = await waitForLeader(masters, 15_000);
    // Followers learn the leader through their own ZooKeeper detector, a moment after it is elected.
    for (const f of masters.filter((m) => m !== leader)) {
      await waitUntil(async () => (await getRaw(`http://127.0.0.1:${f.port}/master/redirect`)).status === 307, 10_000, 'the followers to detect the leader');
    }

    // Followers: master/elected 0, 307 to the leader for the API, state and /master/redirect.
    for (const f of masters.filter((m) => m !== leader)) {
      expect(await elected(f)).toBe(0);
      expect(await getRaw(`http://127.0.0.1:${f.port}/master/redirect`)).toEqual({ status: 307, location: `//127.0.0.1:${leader.port}` });
      expect(await getRaw(`http://127.0.0.1:${f.port}/master/state?jsonp=x`)).toEqual({ status: 307, location: `//127.0.0.1:${leader.port}/master/state?jsonp=x` });
      const post = await fetch(`http://127.0.0.1:${f.port}/api/v1/scheduler`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/json' }, body: '{"type":"SUBSCRIBE"}' });
      expect([post.status, post.headers.get('location')]).toEqual([307, `//127.0.0.1:${leader.port}/api/v1/scheduler`]);
      await post.arrayBuffer();
    }
    expect(await getRaw(`http://127.0.0.1:${leader.port}/master/redirect`)).toEqual({ status: 307, location: `//127.0.0.1:${leader.port}` });

    const cluster = new Cluster();
    cleanups.push(() => cluster.stop());
    const agent = await spawnBin(
      'agent',
      'mesos-agent',
      [
        `--master=${masters.map((m) => `127.0.0.1:${m.port}`).join(',')}`,
        '--ip=127.0.0.1',
        '--port=0',
        `--work_dir=${cluster.agentDir('agent-1')}`,
        '--hostname=agent-1',
        '--resources=cpus:2;mem:1024;disk:1024',
        // A fast backoff: during an election followers first redirect to the dead leader; the agent must keep
        // following redirects until one names the new leader (a regression test for a redirect-count livelock).
        '--registration_backoff_factor=100ms',
        '--switch_user=false',
      ],
      /"address":"([^"]+)".*"msg":"agent started"/,
    );
    cluster.agents.push(agent);
    let agentId = '';
    await waitUntil(async () => {
      const s = await state(leader);
      agentId = s?.slaves.find((a) => a.active)?.id ?? '';
      return agentId !== '';
    }, 15_000, 'the agent to register with the leader');

    // The framework: one long task, launched on the first offer only.
    const subscriptions: { at: number; master: string; frameworkId: string; resubscribed: boolean }[] = [];
    const updates: { at: number; status: v1.TaskStatus }[] = [];
    let launched = 0;
    const client = new SchedulerClient({
      master: url,
      framework: { user: os.userInfo().username, name: 'ha-failover', failover_timeout: 3600, checkpoint: true },
      backoff: { initialMs: 100, maxMs: 1_000 },
    });
    cleanups.push(() => client.stop());
    client.on('subscribed', (info) => void subscriptions.push({ at: Date.now(), master: info.master, frameworkId: info.frameworkId, resubscribed: info.resubscribed }));
    client.on('update', (status) => void updates.push({ at: Date.now(), status }));
    client.on('offers', async (offers) => {
      const [first, ...rest] = offers;
      if (rest.length > 0) await client.decline(rest.map((o) => o.id));
      if (!first) return;
      if (launched > 0) return client.decline([first.id], { refuse_seconds: 3600 });
      launched++;
      await client.launch([first.id], [commandTask('long-task', first, 'exec sleep 600')]);
    });
    client.start();
    await waitUntil(() => updates.some((u) => u.status.state === 'TASK_RUNNING'), 20_000, 'the task to run');
    const frameworkId = subscriptions[0]!.frameworkId;
    const [pid] = cluster.taskPids('sleep 600');
    expect(pid).toBeDefined();

    const figures: { electedMs: number; agentMs: number; frameworkMs: number }[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const old = leader;
      const survivors = masters.filter((m) => m !== old);
      const subsBefore = subscriptions.length;
      const t0 = Date.now();
      await old.kill9();
      leader = await waitForLeader(survivors, SESSION_MS + 8_000);
      const electedMs = Date.now() - t0;
      // The dead leader's node was removed by the leader probe, not left to its session's expiry.
      expect(leader.log()).toMatch(/removed the election node of a master whose port refuses connections/);
      await waitUntil(async () => (await state(leader))?.slaves.some((a) => a.id === agentId && a.active) ?? false, 20_000, 'the agent to re-register').catch((e: Error) => {
        throw new Error(`${e.message} at 127.0.0.1:${leader.port}; agent log tail:\n${agent.log().split('\n').slice(-30).join('\n')}\nleader log tail:\n${leader.log().split('\n').slice(-30).join('\n')}`);
      });
      const agentMs = Date.now() - t0;
      await waitUntil(() => subscriptions.length > subsBefore && subscriptions.at(-1)!.master === `127.0.0.1:${leader.port}`, 20_000, 'the framework to re-subscribe');
      const sub = subscriptions.at(-1)!;
      expect(sub).toMatchObject({ frameworkId, resubscribed: true });
      figures.push({ electedMs, agentMs, frameworkMs: sub.at - t0 });

      // Reconciliation at the new leader says RUNNING; the same process still runs; one task, launched once.
      const asked = Date.now();
      await client.reconcile([{ taskId: { value: 'long-task' }, agentId: { value: agentId } }]);
      await waitUntil(() => updates.some((u) => u.at >= asked && u.status.task_id.value === 'long-task' && u.status.state === 'TASK_RUNNING'), 10_000, 'reconciliation to answer RUNNING');
      expect(cluster.taskPids('sleep 600')).toEqual([pid]);
      const s = await state(leader);
      expect(s?.frameworks.map((f) => [f.id, f.tasks.map((t) => [t.id, t.state])])).toEqual([[frameworkId, [['long-task', 'TASK_RUNNING']]]]);
      expect(launched).toBe(1);

      // The killed master comes back (as a supervisor would restart it): a follower at the back of the queue.
      const back = await startMaster(url, old.port, [`--zk_session_timeout=${SESSION_MS}ms`]);
      masters[masters.indexOf(old)] = back;
      await waitUntil(async () => (await elected(back)) === 0 && (await getRaw(`http://127.0.0.1:${back.port}/master/redirect`)).location === `//127.0.0.1:${leader.port}`, 10_000, 'the restarted master to follow the leader');
    }
    expect(updates.filter((u) => u.status.state !== 'TASK_RUNNING' && u.status.state !== 'TASK_STARTING')).toEqual([]);

    const summary = {
      kills: figures.length,
      sessionTimeoutMs: SESSION_MS,
      medianElectedMs: median(figures.map((f) => f.electedMs)),
      medianAgentReregisteredMs: median(figures.map((f) => f.agentMs)),
      medianFrameworkResubscribedMs: median(figures.map((f) => f.frameworkMs)),
      each: figures,
    };
    console.log(`HA failover figures: ${JSON.stringify(summary)}`);
    for (const f of figures) expect(f.electedMs).toBeLessThan(SESSION_MS + 5_000);
  }, 60_000 + KILLS * 30_000);

  it('the next leader holds calls while it takes over (fence, registry read) instead of answering 503', async () => {
    const url = `zk://${zk.connect}${zkPath()}`;
    const masters = track(await startMasters(url, 2, [`--zk_session_timeout=${SESSION_MS}ms`]));
    const leader = await waitForLeader(masters, 15_000);
    const next = masters.find((m) => m !== leader)!;
    await waitUntil(async () => (await getRaw(`http://127.0.0.1:${next.port}/master/redirect`)).status === 307, 10_000, 'the follower to detect the leader');
    await leader.kill9();
    // Ask the next master over and over until it answers as the leader: first 307s (it still sees the dead
    // leader), then, once it has removed the dead leader's node, calls wait until it serves: never a 503.
    const statuses: number[] = [];
    const call = (): Promise<number> =>
      fetch(`http://127.0.0.1:${next.port}/api/v1`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/json' }, body: '{"type":"GET_MASTER"}', signal: AbortSignal.timeout(10_000) }).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      });
    await waitUntil(async () => {
      statuses.push(await call());
      return statuses.at(-1) === 200;
    }, SESSION_MS + 10_000, 'the next master to serve');
    expect(statuses.filter((s) => s !== 307 && s !== 200)).toEqual([]);
    expect(next.log()).toMatch(/removed the election node of a master whose port refuses connections/);
  }, 60_000);

  it('a leader cut off from ZooKeeper stops leading at once and exits non-zero; another master takes over', async () => {
    const proxy = await startTcpProxy(zk.port);
    cleanups.push(() => proxy.close());
    const p = zkPath();
    // The first master reaches ZooKeeper only through the proxy, and leads (it contends first).
    const [cut] = track([await startMaster(`zk://${proxy.address}${p}`, 0, [`--zk_session_timeout=${SESSION_MS}ms`])]);
    const first = cut!;
    const firstPort = Number(first.address.split(':')[1]);
    const cutMaster = Object.assign(first, { port: firstPort });
    await waitUntil(async () => (await elected(cutMaster)) === 1, 15_000, 'the first master to lead');
    const [other] = track(await startMasters(`zk://${zk.connect}${p}`, 1, [`--zk_session_timeout=${SESSION_MS}ms`]));
    await waitUntil(async () => (await getRaw(`http://127.0.0.1:${other!.port}/master/redirect`)).location === `//127.0.0.1:${firstPort}`, 10_000, 'the second master to follow the first');
    expect(await elected(other!)).toBe(0);

    const t0 = Date.now();
    proxy.block();
    const code = await cutMaster.exited;
    const exitedMs = Date.now() - t0;
    expect(code).toBe(1);
    // It gave up within its lease (0.75 x session timeout, plus a little), before ZooKeeper could expire it.
    expect(exitedMs).toBeLessThan(SESSION_MS);
    expect(cutMaster.log()).toMatch(/lost the leadership \(.*\); exiting so a supervisor restarts this master/);
    const next = await waitForLeader([other!], SESSION_MS + 8_000);
    expect(next).toBe(other);
  }, 60_000);
});
