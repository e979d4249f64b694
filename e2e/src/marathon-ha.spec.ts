// Issue 15: two `marathon` processes with one `--zk` elect one leader in a real ZooKeeper; the standby proxies
// every API request to it (a POST to the standby creates the app on the leader). After kill -9 of the leader
// the standby takes over within the ZooKeeper session timeout, adopts the running tasks (same task ids,
// nothing launched twice) and serves the API itself. Prints the takeover time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster, type LocalCluster } from '@mesos-ts/cli';
import { freePort, waitUntil } from './harness/daemons.js';
import { startZooKeeper, type ZooKeeperServer } from './harness/zookeeper.js';

const BIN = fileURLToPath(new URL('../../frameworks/marathon/src/bin/marathon.ts', import.meta.url));
const SESSION_MS = 2_000;

let cluster: LocalCluster;
let zk: ZooKeeperServer;
let workDir: string;
const launchers: Array<{ port: number; child: ChildProcess }> = [];

async function start(): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@mesos-ts/source', BIN, `--master=${cluster.master}`, `--http_port=${port}`, `--zk=zk://${zk.connect}/marathon`, `--zk_session_timeout=${SESSION_MS}`], { stdio: 'ignore' });
  const l = { port, child };
  launchers.push(l);
  await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/ping`).catch(() => undefined))?.ok === true, 30_000, `the launcher on ${port} answering /ping`);
  return l;
}

async function get(port: number, p: string): Promise<{ status: number; json: Record<string, unknown>; leaderHeader: string | null }> {
  const res = await fetch(`http://127.0.0.1:${port}${p}`);
  const text = await res.text();
  return { status: res.status, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {}, leaderHeader: res.headers.get('x-marathon-leader') };
}

async function runningTaskIds(port: number): Promise<string[]> {
  const r = await get(port, '/v2/apps/sleepy?embed=apps.tasks').catch(() => undefined);
  if (r?.status !== 200) return [];
  return (r.json.app as { tasks: Array<{ id: string; state: string }> }).tasks.filter((t) => t.state === 'TASK_RUNNING').map((t) => t.id).sort();
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'marathon-ha-'));
  zk = await startZooKeeper();
  cluster = await startCluster({ numAgents: 2, ip: '127.0.0.1', port: 0, workDir, resources: 'cpus:2;mem:2048;disk:2048', attributes: undefined, allocationInterval: '100ms', verbose: false, launcherPort: undefined });
}, 60_000);

afterAll(async () => {
  for (const { child } of launchers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await cluster?.stop();
  await zk?.stop();
  await rm(workDir, { recursive: true, force: true });
});

describe('launchers with --zk', () => {
  it('elect one leader, proxy from the standby, and fail over after kill -9 without launching twice', async () => {
    const a = await start();
    await waitUntil(async () => (await get(a.port, '/v2/leader')).json.leader === `127.0.0.1:${a.port}`, 30_000, 'the first launcher elected');
    const b = await start();
    // The standby names the leader (once its detector has read the election) and answers through it.
    await waitUntil(async () => (await get(b.port, '/v2/leader')).json.leader === `127.0.0.1:${a.port}`, 30_000, 'the standby naming the leader');
    const info = await get(b.port, '/v2/info');
    expect(info.leaderHeader).toBe(`http://127.0.0.1:${a.port}`);
    expect(info.json.elected).toBe(true);

    const created = await fetch(`http://127.0.0.1:${b.port}/v2/apps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: '/sleepy', cmd: 'exec sleep 1000', cpus: 0.1, mem: 32, instances: 2 }) });
    expect(created.status).toBe(201);
    await waitUntil(async () => (await runningTaskIds(a.port)).length === 2, 30_000, 'two running tasks');
    const before = await runningTaskIds(a.port);
    expect(await runningTaskIds(b.port)).toEqual(before);

    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    await waitUntil(async () => (await get(b.port, '/v2/leader').catch(() => undefined))?.json.leader === `127.0.0.1:${b.port}` && (await runningTaskIds(b.port)).length === 2, 30_000, 'the standby leading with the two tasks');
    console.log(`[figures] launcher HA: kill -9 of the leader to the standby serving its tasks: ${Date.now() - killedAt} ms (ZooKeeper session ${SESSION_MS} ms)`);
    // Give it time to (wrongly) launch more: it must not.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await runningTaskIds(b.port)).toEqual(before);
    const master = (await (await fetch(`http://${cluster.master}/master/tasks`)).json()) as { tasks: Array<{ id: string; state: string }> };
    expect(master.tasks.filter((t) => t.state === 'TASK_RUNNING').map((t) => t.id).sort()).toEqual(before);
    const frameworks = ((await (await fetch(`http://${cluster.master}/master/frameworks`)).json()) as { frameworks: Array<{ name: string; active: boolean }> }).frameworks;
    expect(frameworks.filter((f) => f.name === 'marathon').map((f) => f.active)).toEqual([true]);

    // The new leader serves changes itself.
    const scaled = await fetch(`http://127.0.0.1:${b.port}/v2/apps/sleepy`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ instances: 1 }) });
    expect(scaled.status).toBe(200);
    await waitUntil(async () => (await runningTaskIds(b.port)).length === 1, 30_000, 'scaled to one');
  }, 120_000);
});
