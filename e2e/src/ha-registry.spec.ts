// The master's registry in ZooKeeper (--zk, --registry=zk) against a real ZooKeeper, in process: what the
// leader admits is in the registry node before it answers; the next leader loads it before serving; and a
// registry written by anyone else (a newer leader) makes the old leader's next save fail, drop the leadership
// and call onLeadershipLost — it never overwrites the newer registry.
import { describe, expect, it } from 'vitest';
import { isMasterError, parseFlags, registryStoreFor, startMaster, emptyRegistry, type MasterFlags, type RunningMaster } from '@mesos-ts/master';
import { FakeAgent } from '@mesos-ts/master/testing';
import { ZooKeeperDocumentStore } from '@mesos-ts/wire';
import { waitUntil } from './harness/daemons.js';
import { cleanupsAfterEach, zooKeeperForFile } from './harness/fixtures.js';

let paths = 0;

const zkFile = zooKeeperForFile();
const cleanups = cleanupsAfterEach();

const newUrl = (): string => `zk://${zkFile.server.connect}/mesos-reg-${process.pid}-${++paths}`;

function zkFlags(url: string): MasterFlags {
  const r = parseFlags([`--zk=${url}`, '--quorum=2', '--zk_session_timeout=2secs', '--ip=127.0.0.1', '--port=0', '--allocation_interval=50ms'], {});
  if (r.help) throw new Error('unexpected --help');
  return r.flags;
}

async function master(url: string, onLeadershipLost?: (reason: string) => void): Promise<RunningMaster> {
  const m = await startMaster(zkFlags(url), onLeadershipLost ? { onLeadershipLost } : {});
  cleanups.push(() => m.stop());
  return m;
}

async function agentOn(m: RunningMaster, hostname: string): Promise<FakeAgent> {
  const a = new FakeAgent({ master: m.url, hostname });
  cleanups.push(() => a.close());
  await a.connect();
  return a;
}

/** The registry document as stored in ZooKeeper (JSON, after the document store's gunzip). */
async function stored(url: string): Promise<{ agents: { info: { id: { value: string }; hostname: string } }[] }> {
  const store = await ZooKeeperDocumentStore.open({ url, sessionTimeoutMs: 2_000 });
  try {
    const { data } = await store.get();
    return JSON.parse(data?.toString('utf8') ?? '{"agents":[]}') as { agents: { info: { id: { value: string }; hostname: string } }[] };
  } finally {
    store.close();
  }
}

describe('master registry in ZooKeeper', () => {
  it('stores admitted agents in ZooKeeper, and the next leader recovers them before serving', async () => {
    const url = newUrl();
    const first = await master(url);
    await first.ready;
    const second = await master(url);
    const agent = await agentOn(first, 'zk-agent-1');
    expect((await stored(url)).agents.map((a) => [a.info.id.value, a.info.hostname])).toEqual([[agent.id, 'zk-agent-1']]);
    expect(second.master.recovering).toBe(true);

    await first.stop(); // withdraws: its election node goes at once
    await second.ready;
    expect([...second.master.books.recoveredAgents.keys()]).toEqual([agent.id]);
    const metrics = (await (await fetch(`${second.url}/metrics/snapshot`)).json()) as Record<string, number>;
    expect(metrics['master/elected']).toBe(1);
  }, 30_000);

  it('a leader whose registry another master wrote stops leading instead of overwriting it', async () => {
    const url = newUrl();
    const reasons: string[] = [];
    const m = await master(url, (reason) => reasons.push(reason));
    await m.ready;
    await agentOn(m, 'zk-agent-1');
    // Someone else (a newer leader) writes the registry over the version the leader last wrote.
    const other = await ZooKeeperDocumentStore.open({ url, sessionTimeoutMs: 2_000 });
    cleanups.push(() => other.close());
    const { version } = await other.get();
    await other.put(Buffer.from(JSON.stringify({ version: 1, ...emptyRegistry() })), version);

    const late = new FakeAgent({ master: m.url, hostname: 'zk-agent-2' });
    cleanups.push(() => late.close());
    await expect(late.connect()).rejects.toThrow();
    await waitUntil(() => reasons.length === 1, 5_000, 'the master to report the lost leadership');
    expect(reasons[0]).toMatch(/another master wrote the registry in ZooKeeper/);
    expect(m.master.leader.isSelf()).toBe(false);
    const metrics = (await (await fetch(`${m.url}/metrics/snapshot`)).json()) as Record<string, number>;
    expect(metrics['master/elected']).toBe(0);
    // What the newer writer stored stands.
    expect((await stored(url)).agents).toEqual([]);
  }, 30_000);

  it('serialises saves over the version each returned, and refuses a stale writer', async () => {
    const url = newUrl();
    const flags = zkFlags(url);
    const conflicts: string[] = [];
    const a = registryStoreFor(flags);
    const b = registryStoreFor(flags, { onConflict: (reason) => conflicts.push(reason) });
    cleanups.push(() => [a, b].forEach((s) => (s as unknown as { close(): void }).close()));
    expect(await a.load()).toEqual(emptyRegistry());
    await a.save({ ...emptyRegistry(), goneAgents: ['gone-0'] });
    // b reads what a wrote (a stale reader from version 1 on: the ZooKeeper client library drops an expected
    // version of 0 to "any version", so a conflict over the never-written registry is not detected — see notes).
    expect((await b.load()).goneAgents).toEqual(['gone-0']);
    const doc = emptyRegistry();
    doc.goneAgents.push('gone-1');
    const saves = [a.save(doc), a.save({ ...doc, goneAgents: ['gone-1', 'gone-2'] })];
    doc.goneAgents.push('mutated-after-save'); // the first save captured the document already
    await Promise.all(saves);
    expect((await a.load()).goneAgents).toEqual(['gone-1', 'gone-2']);
    await expect(b.save(emptyRegistry())).rejects.toSatisfy((e) => isMasterError(e) && e.code === 'REGISTRY_FAILED');
    expect(conflicts).toHaveLength(1);
    expect((await a.load()).goneAgents).toEqual(['gone-1', 'gone-2']);
  }, 30_000);
});
