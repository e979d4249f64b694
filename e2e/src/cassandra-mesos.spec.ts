// Issue 16's "done when": frameworks/cassandra/cassandra-mesos.json POSTed to the launcher of an in-process
// embedded cluster (3 agents on 127.0.0.1-3) runs the cassandra-mesos scheduler as an app; it grows a REAL
// Cassandra ring (5.0.x assembled by the dists tool, fetched by each node's executor from the scheduler) on
// reserved resources with persistent volumes, its state in a real ZooKeeper (CASSANDRA_ZK). Checked with cassandra-driver and nodetool: a 2-node ring with one
// seed, RF 2 keyspace with QUORUM write+read, kill -9 of a Cassandra process and its return on the same agent
// with its rows, kill -9 of the scheduler and the adoption of the running ring, bad input answered with clear
// errors and nothing changed, scale to 3, a repair job to completion, and the replacement of a terminated node
// on a fourth agent.
// Figures (printed): POST until 2 nodes UN, node kill -9 until UN, scheduler kill -9 until adopted, RSS per node.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type LocalCluster } from '@mesos-ts/cli';
import { ensureDistribution } from '../dists/index.js';
import { loadCassandraDriver } from '../dists/products/cassandra.js';
import { waitUntil } from './harness/daemons.js';
import { zooKeeperForFile } from './harness/fixtures.js';

const cassandra = loadCassandraDriver();
type Client = InstanceType<typeof cassandra.Client>;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const APP_JSON = path.join(ROOT, 'frameworks/cassandra/cassandra-mesos.json');
// Generous: on a loaded 2-core machine a Cassandra start took 6 s idle and minutes at load 20.
const JOIN_MS = 300_000;
const HEAP_MB = 256;

interface NodeJson {
  name: string;
  ip?: string;
  agentId?: string;
  seed: boolean;
  targetRunState: string;
  taskId?: string;
  taskState?: string;
  mode: string;
  healthy: boolean;
  ports?: { storage: number; native: number; jmx: number };
  replacementForIp?: string;
  cassandraDaemonPid?: number;
}

// The framework's state lives in a real ZooKeeper (CASSANDRA_ZK), as in production; the bad-env check uses file:.
const zk = zooKeeperForFile();
let cluster: LocalCluster;
let workDir: string;
let distDir: string;
let api = '';
let client: Client | undefined;
const savedPath = process.env.PATH;
const figures: Record<string, string> = {};

async function get<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${api}${url}`);
  return { status: res.status, body: (await res.json()) as T };
}

async function post<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${api}${url}`, { method: 'POST' });
  return { status: res.status, body: (await res.json()) as T };
}

const nodes = async (): Promise<NodeJson[]> => (await get<{ nodes: NodeJson[] }>('/node/all')).body.nodes;
const live = (ns: NodeJson[]) => ns.filter((n) => n.targetRunState === 'RUN');

/** The launcher's running scheduler task: its id and REST URL ('' while it does not answer /health/process). */
async function schedulerTask(): Promise<{ id: string; url: string }> {
  const app = ((await (await fetch(`${cluster.launcher!.url}/v2/apps/cassandra/dev-test`)).json()) as { app: { tasks: Array<{ id: string; state: string; host: string; ports: number[] }> } }).app;
  const t = app.tasks.find((x) => x.state === 'TASK_RUNNING');
  if (t === undefined) return { id: '', url: '' };
  const url = `http://${t.host}:${t.ports[0]}`;
  return { id: t.id, url: (await fetch(`${url}/health/process`).catch(() => undefined))?.ok === true ? url : '' };
}

const schedulerApi = async (): Promise<string> => (await schedulerTask()).url;

/** Addresses `nodetool status` on a running node reports Up/Normal. */
function upNormal(via: NodeJson): string[] {
  const out = spawnSync(path.join(distDir, 'bin', 'nodetool'), ['-h', '127.0.0.1', '-p', String(via.ports!.jmx), 'status'], { encoding: 'utf8', timeout: 60_000 });
  return (out.stdout ?? '').split('\n').filter((l) => l.startsWith('UN ')).map((l) => l.split(/\s+/)[1]!.split(':')[0]!);
}

/** Every RUN node healthy and NORMAL in the scheduler, and `count` nodes UN in nodetool. */
async function ringUp(count: number): Promise<boolean> {
  const ns = live(await nodes());
  if (ns.length !== count || !ns.every((n) => n.healthy && n.mode === 'NORMAL' && n.taskState === 'TASK_RUNNING')) return false;
  return upNormal(ns.find((n) => n.seed) ?? ns[0]!).length === count;
}

/** Processes with their command line and working directory (an executor's is its sandbox). */
function processes(): Array<{ pid: number; cmd: string; cwd: string }> {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      return [{ pid: Number(d), cmd: readFileSync(`/proc/${d}/cmdline`, 'utf8').replaceAll('\0', ' '), cwd: readlinkSync(`/proc/${d}/cwd`) }];
    } catch {
      return [];
    }
  });
}

function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

function kill9(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function driverFor(n: NodeJson): Client {
  const endpoint = `${n.ip}:${n.ports!.native}`;
  return new cassandra.Client({
    contactPoints: [endpoint],
    localDataCenter: 'DC1',
    policies: { loadBalancing: new cassandra.policies.loadBalancing.AllowListPolicy(new cassandra.policies.loadBalancing.RoundRobinPolicy(), [endpoint]) },
  });
}

async function countRowsOn(n: NodeJson): Promise<number> {
  const direct = driverFor(n);
  try {
    await direct.connect();
    const rs = await direct.execute('SELECT count(*) AS n FROM e2e.kv', [], { consistency: cassandra.types.consistencies.one });
    return Number(rs.first()!.get('n'));
  } finally {
    await direct.shutdown();
  }
}

/**
 * waitUntil, probing at most once a second (a probe may start nodetool, a JVM). A probe that throws (the
 * scheduler's API moved: the launcher relaunched it) counts as not yet, and the API is looked up again.
 */
function until(probe: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  return waitUntil(async () => {
    let ok = false;
    try {
      ok = await probe();
    } catch {
      api = (await schedulerApi().catch(() => '')) || api;
    }
    if (!ok) await new Promise((r) => setTimeout(r, 1_000));
    return ok;
  }, timeoutMs, what);
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

beforeAll(async () => {
  distDir = (await ensureDistribution('cassandra')).dir;
  workDir = await mkdtemp(path.join(os.tmpdir(), 'cassandra-mesos-'));
  // As under `npm start`: the workspace's bins are on the agents' (inherited) PATH.
  process.env.PATH = `${path.join(ROOT, 'node_modules/.bin')}:${savedPath}`;
  // One agent per node. mesos-local gives each agent its own port range: the nodes' JMX ports (bound on 127.0.0.1,
  // shared by every loopback "machine") never collide. The replacement test adds a fourth agent offering the
  // dead node's range, as machines of one cluster usually offer the same ports.
  cluster = await startCluster({ numAgents: 3, ip: '127.0.0.1', port: 0, workDir, resources: 'cpus:2;mem:3072;disk:8192', attributes: undefined, allocationInterval: '100ms', verbose: false, launcherPort: 0 });
}, 600_000);

afterAll(async () => {
  await client?.shutdown().catch(() => undefined);
  await cluster?.stop();
  // Cassandra runs in its own process group; anything of this cluster still alive is killed here.
  for (const p of processes()) if ((p.cmd.includes(workDir) || p.cwd.startsWith(workDir)) && p.pid !== process.pid) kill9(p.pid);
  process.env.PATH = savedPath;
  await rm(workDir, { recursive: true, force: true });
  process.stdout.write(`cassandra-mesos figures: ${JSON.stringify(figures)}\n`);
});

describe('cassandra-mesos launched through the launcher', () => {
  it('POST cassandra-mesos.json: the scheduler runs as an app and a 2-node ring (1 seed) forms on two agents, on reserved volumes', async () => {
    const app = JSON.parse(readFileSync(APP_JSON, 'utf8')) as { env: Record<string, string> };
    // The JSON names npm start's master; this cluster's master has an ephemeral port. State goes to this file's
    // ZooKeeper, the distribution is the cached one; health reports and the bootstrap grace are shortened.
    Object.assign(app.env, {
      MESOS_MASTER: cluster.master,
      CASSANDRA_ZK: `zk://${zk.server.connect}/cassandra-mesos`,
      CASSANDRA_DIST: (await ensureDistribution('cassandra')).tarball,
      CASSANDRA_HEALTH_CHECK_INTERVAL_SECONDS: '3',
      CASSANDRA_BOOTSTRAP_GRACE_TIME_SECONDS: '5',
    });
    expect(app.env.CASSANDRA_RESOURCE_HEAP_MB).toBe(String(HEAP_MB));
    const started = Date.now();
    const res = await fetch(`${cluster.launcher!.url}/v2/apps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(app) });
    expect(res.status).toBe(201);
    await until(async () => (api = await schedulerApi()) !== '', 120_000, 'the cassandra-mesos scheduler running and answering /health/process');
    await until(() => ringUp(2), JOIN_MS, 'two nodes running, NORMAL and UN');
    figures['POST until 2 nodes UN'] = seconds(started);
    const ns = await nodes();
    expect(ns.map((n) => [n.name, n.seed])).toEqual([['node-0', true], ['node-1', false]]);
    expect(new Set(ns.map((n) => n.agentId)).size).toBe(2);
    expect(new Set(ns.map((n) => n.ip)).size).toBe(2);
    expect((await get<{ seeds: string[] }>('/node/seed/all')).body.seeds).toEqual([ns[0]!.ip]);
    expect((await fetch(`${api}/health/cluster`)).status).toBe(200);
    // Each node sits on a dynamic reservation of the role with a persistent volume of its own.
    const state = (await (await fetch(`http://${cluster.master}/master/slaves`)).json()) as { slaves: Array<{ reserved_resources_full?: Record<string, Array<{ disk?: { persistence?: { id: string } } }>> }> };
    const volumes = state.slaves.flatMap((s) => (s.reserved_resources_full?.cassandra ?? []).flatMap((r) => (r.disk?.persistence?.id === undefined ? [] : [r.disk.persistence.id])));
    expect(volumes.sort()).toEqual(['cassandra-dev-test-node-0', 'cassandra-dev-test-node-1']);
    for (const n of ns) figures[`RSS ${n.name} (heap ${HEAP_MB} MB)`] = `${rssMiB(n.cassandraDaemonPid!).toFixed(0)} MiB`;
  }, JOIN_MS + 180_000);

  it('writes and reads at QUORUM with replication factor 2', async () => {
    const seed = (await nodes())[0]!;
    client = new cassandra.Client({ contactPoints: [`${seed.ip}:${seed.ports!.native}`], localDataCenter: 'DC1' });
    await client.connect();
    await client.execute("CREATE KEYSPACE IF NOT EXISTS e2e WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}");
    await client.execute('CREATE TABLE IF NOT EXISTS e2e.kv (k int PRIMARY KEY, v text)');
    const quorum = { prepare: true, consistency: cassandra.types.consistencies.quorum };
    for (let k = 0; k < 20; k++) await client.execute('INSERT INTO e2e.kv (k, v) VALUES (?, ?)', [k, `value-${k}`], quorum);
    const rs = await client.execute('SELECT k, v FROM e2e.kv', [], quorum);
    expect(rs.rows.map((r) => r.get('v') as string).sort()).toEqual(Array.from({ length: 20 }, (_, k) => `value-${k}`).sort());
  }, 120_000);

  it('a kill -9 Cassandra process comes back on the same agent and volume with its rows', async () => {
    const before = (await nodes())[1]!;
    kill9(before.cassandraDaemonPid!);
    const killed = Date.now();
    await until(async () => (await nodes())[1]!.taskId !== before.taskId, 120_000, 'the scheduler to relaunch the killed node');
    await until(() => ringUp(2), JOIN_MS, 'the relaunched node NORMAL and UN again');
    figures['node kill -9 until UN again'] = seconds(killed);
    const after = (await nodes())[1]!;
    expect([after.agentId, after.ip, after.ports]).toEqual([before.agentId, before.ip, before.ports]);
    // Read with the restarted node as the only coordinator, at ONE: it holds a replica of every row at RF 2.
    expect(await countRowsOn(after)).toBe(20);
  }, JOIN_MS + 180_000);

  it('a kill -9 scheduler is relaunched by the launcher and adopts the running ring without launching anything', async () => {
    const before = await nodes();
    const scheduler = processes().filter((p) => /cassandra-mesos(\.js)?\s*$/.test(p.cmd.trim()) && !p.cmd.includes('executor'));
    expect(scheduler).toHaveLength(1);
    const oldTask = (await schedulerTask()).id;
    kill9(scheduler[0]!.pid);
    const killed = Date.now();
    await until(async () => {
      const t = await schedulerTask();
      if (t.id === oldTask || t.url === '') return false;
      api = t.url;
      return true;
    }, 120_000, 'a new scheduler task answering /health/process');
    await until(async () => (await fetch(`${api}/health/cluster`)).status === 200, 120_000, 'the new scheduler to see a healthy ring');
    figures['scheduler kill -9 until adopted'] = seconds(killed);
    const after = await nodes();
    expect(after.map((n) => [n.name, n.taskId, n.cassandraDaemonPid])).toEqual(before.map((n) => [n.name, n.taskId, n.cassandraDaemonPid]));
  }, 300_000);

  it('bad input is answered with clear errors and changes nothing', async () => {
    const before = JSON.stringify(await nodes());
    const config = (await get<{ nodeCount: number }>('/config')).body;
    const cases: Array<[string, number, RegExp]> = [
      ['/scale/nodes?nodeCount=1', 400, /nodeCount=1 is below the current 2 nodes/],
      ['/scale/nodes?nodeCount=two', 400, /not a whole number/],
      ['/node/node-0/replace', 409, /ReplaceNodePreconditionFailed: .*seed/],
      ['/node/node-1/replace', 409, /ReplaceNodePreconditionFailed: .*live/],
      ['/node/10.9.9.9/terminate', 404, /no node '10.9.9.9'/],
    ];
    for (const [url, status, message] of cases) {
      const reply = await post<{ error: string }>(url);
      expect([url, reply.status]).toEqual([url, status]);
      expect(reply.body.error).toMatch(message);
    }
    expect((await get<{ nodeCount: number }>('/config')).body).toEqual(config);
    expect(JSON.stringify(await nodes())).toBe(before);
    // A malformed CASSANDRA_* value: the scheduler says which and exits 2 before storing anything.
    const stateFile = path.join(workDir, 'bad-env-state.json');
    const bad = spawnSync(process.execPath, [path.join(ROOT, 'frameworks/cassandra/bin/cassandra-mesos.js')], {
      env: { ...process.env, MESOS_MASTER: cluster.master, CASSANDRA_STATE_FILE: stateFile, CASSANDRA_NODE_COUNT: 'three', PORT0: '0', HOST: '127.0.0.1' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect([bad.status, bad.stderr.trim()]).toEqual([2, "Error: CASSANDRA_NODE_COUNT='three' is not a whole number >= 1 and <= 1000; fix the app's env (e.g. CASSANDRA_NODE_COUNT=3)"]);
    expect(existsSync(stateFile)).toBe(false);
  }, 60_000);

  it('POST /scale/nodes?nodeCount=3 grows the ring onto the third agent', async () => {
    expect((await post<{ newNodeCount: number }>('/scale/nodes?nodeCount=3')).body).toMatchObject({ oldNodeCount: 2, newNodeCount: 3 });
    const started = Date.now();
    await until(() => ringUp(3), JOIN_MS, 'three nodes running, NORMAL and UN');
    figures['scale 2 -> 3 until UN'] = seconds(started);
    expect(new Set((await nodes()).map((n) => n.agentId)).size).toBe(3);
  }, JOIN_MS + 60_000);

  it('a repair job visits every node, one at a time, to completion', async () => {
    expect((await post('/cluster/repair/start')).body).toEqual({ started: true });
    expect((await post<{ error: string }>('/cluster/repair/start')).status).toBe(409);
    const started = Date.now();
    type Last = { present: boolean; job?: { finishedAt?: number; completed: Array<{ node: string; ok: boolean; output: string }> } };
    await until(async () => (await get<Last>('/cluster/repair/last')).body.job?.finishedAt !== undefined, 300_000, 'the repair job to finish');
    figures['repair of 3 nodes'] = seconds(started);
    const last = (await get<Last>('/cluster/repair/last')).body;
    expect(last.job!.completed.map((c) => [c.node, c.ok, c.ok ? '' : c.output])).toEqual([['node-0', true, ''], ['node-1', true, ''], ['node-2', true, '']]);
    expect((await get<{ running: boolean }>('/cluster/repair/status')).body.running).toBe(false);
  }, 360_000);

  it('a rolling restart restarts every node in turn (drain, stop, relaunch on its volume) to completion', async () => {
    const before = await nodes();
    expect((await post('/cluster/rolling-restart/start')).body).toEqual({ started: true });
    const started = Date.now();
    type Last = { job?: { finishedAt?: number; completed: Array<{ node: string; ok: boolean; output: string }> } };
    await until(async () => (await get<Last>('/cluster/rolling-restart/last')).body.job?.finishedAt !== undefined, 600_000, 'the rolling restart to finish');
    await until(() => ringUp(3), JOIN_MS, 'three nodes UN after the rolling restart');
    figures['rolling restart of 3 nodes'] = seconds(started);
    const last = (await get<Last>('/cluster/rolling-restart/last')).body;
    expect(last.job!.completed.map((c) => [c.node, c.ok, c.ok ? '' : c.output])).toEqual([['node-0', true, ''], ['node-1', true, ''], ['node-2', true, '']]);
    const after = await nodes();
    for (const n of after) expect([n.name, n.agentId, n.taskId === before.find((b) => b.name === n.name)!.taskId]).toEqual([n.name, before.find((b) => b.name === n.name)!.agentId, false]);
  }, 600_000 + JOIN_MS);

  it('a terminated node is replaced on another agent, with its storage port, by a new node that takes over its tokens', async () => {
    const dead = (await nodes()).find((n) => n.name === 'node-2')!;
    // A new machine offering the dead node's ports: Cassandra 5 replaces only at the dead node's storage port, and
    // the placement prefers another address than the dead node's (at the same address the replacement races gossip).
    const deadAgent = cluster.agents.find((a) => a.address.startsWith(`${dead.ip}:`))!;
    const fresh = await cluster.addAgent({ resources: deadAgent.resources });
    expect((await post<{ targetRunState: string }>('/node/node-2/terminate')).body.targetRunState).toBe('TERMINATE');
    await until(async () => !['TASK_RUNNING', 'TASK_STAGING', 'TASK_STARTING', 'TASK_KILLING'].includes((await nodes()).find((n) => n.name === 'node-2')!.taskState ?? ''), 120_000, 'node-2 drained and stopped');
    expect((await post<{ error: string }>('/node/node-2/start')).status).toBe(409);
    const replaced = await post<{ ipToReplace: string; name: string }>('/node/node-2/replace');
    expect(replaced.body).toMatchObject({ ipToReplace: dead.ip, name: 'node-3' });
    const started = Date.now();
    await until(async () => {
      const n = (await nodes()).find((x) => x.name === 'node-3');
      return n?.healthy === true && n.mode === 'NORMAL' && n.replacementForIp === undefined;
    }, JOIN_MS, 'the replacement node-3 NORMAL, its replace mark cleared');
    await until(() => ringUp(3), JOIN_MS, 'three nodes UN after the replacement');
    figures['replace until UN'] = seconds(started);
    const replacement = (await nodes()).find((n) => n.name === 'node-3')!;
    expect([replacement.ip, replacement.ports]).toEqual([fresh.address.split(':')[0], dead.ports]);
    expect(replacement.ip).not.toBe(dead.ip);
    expect(new Set(live(await nodes()).map((n) => n.agentId)).size).toBe(3);
    const rs = await client!.execute('SELECT count(*) AS n FROM e2e.kv', [], { consistency: cassandra.types.consistencies.quorum });
    expect(Number(rs.first()!.get('n'))).toBe(20);
  }, 2 * JOIN_MS + 180_000);
});
