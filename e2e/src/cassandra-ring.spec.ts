// A REAL two-node Cassandra ring (cassandra-all 5.0.x assembled from Maven Central by the dists tool) started
// exactly as the cassandra-mesos executor will start a node: cassandra.yaml, rack/dc properties and the
// bin/cassandra environment all come from the framework's pure nodeLaunch(), one node per distinct loopback
// address (127.0.0.2 seed, 127.0.0.3), each on its own "volume" directory. Checked with cassandra-driver:
// RF 2 keyspace, QUORUM write and read, kill -9 of the non-seed and its return on the same volume with its rows.
// What this does NOT cover yet: the Mesos scheduler and executor around it (see frameworks/cassandra/README.md).
// Figures (printed): both nodes UN from first spawn, kill -9 until UN again, RSS per node at the chosen heap.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, JOB_NODETOOL_ARGS, MemoryRingService, apiRouter, jobNodeDone, nextJobNode, nodeLaunch, prepareNode, runNodetool, type CassandraConfig, type CassandraNode } from '@mesos-ts/cassandra';
import { ensureDistribution } from '../dists/index.js';
import { loadCassandraDriver } from '../dists/products/cassandra.js';
import { waitUntil } from './harness/daemons.js';
import { freePort } from './harness/ports.js';

const cassandra = loadCassandraDriver();
type Client = InstanceType<typeof cassandra.Client>;
// Generous: on a loaded 2-core machine a node start took 6 s idle and over 3 minutes at load 20.
const JOIN_MS = 240_000;
const config: CassandraConfig = { ...DEFAULTS, clusterName: 'e2e-ring', nodeCount: 2, seedCount: 1, memMb: 768, heapMb: 256 };

interface RingNode {
  name: string;
  address: string;
  ports: { storage: number; native: number; jmx: number };
  dir: string;
  process?: ChildProcess;
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'cassandra-ring-'));
let distDir = '';
const nodes: RingNode[] = [];
const figures: Record<string, string> = {};

async function newNode(name: string, address: string): Promise<RingNode> {
  const node = { name, address, ports: { storage: await freePort(), native: await freePort(), jmx: await freePort() }, dir: path.join(scratch, name) };
  mkdirSync(path.join(node.dir, 'conf'), { recursive: true });
  mkdirSync(path.join(node.dir, 'volume'), { recursive: true });
  return node;
}

/** Writes the node's configuration with nodeLaunch() + prepareNode() and starts bin/cassandra in its own process group. */
function startNode(node: RingNode, seeds: string[]): void {
  const launch = nodeLaunch({ config, node: { name: node.name }, address: node.address, ports: node.ports, seeds, volumeDir: path.join(node.dir, 'volume') });
  const spec = prepareNode(launch, { distDir, confDir: path.join(node.dir, 'conf'), volumeDir: path.join(node.dir, 'volume'), logDir: path.join(node.dir, 'logs') });
  node.process = spawn(spec.command, spec.args, { env: { ...process.env, ...spec.env }, stdio: 'ignore', detached: true });
}

function kill9(node: RingNode): void {
  if (node.process?.pid === undefined || node.process.exitCode !== null) return;
  try {
    process.kill(-node.process.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** `nodetool status` of the seed: the addresses reported Up/Normal. */
function upNormal(): string[] {
  const seed = nodes[0]!;
  // -Dcassandra.jmx.local.port binds JMX to 127.0.0.1 whatever the node's listen address.
  const out = spawnSync(path.join(distDir, 'bin', 'nodetool'), ['-h', '127.0.0.1', '-p', String(seed.ports.jmx), 'status'], { encoding: 'utf8', timeout: 60_000 });
  lastStatus = `${out.stdout ?? ''}${out.stderr ?? ''}`.slice(-1500);
  return (out.stdout ?? '').split('\n').filter((l) => l.startsWith('UN ')).map((l) => l.split(/\s+/)[1]!.split(':')[0]!);
}

async function answersCql(node: RingNode): Promise<boolean> {
  const client = new cassandra.Client({ contactPoints: [`${node.address}:${node.ports.native}`], localDataCenter: 'DC1', policies: { loadBalancing: new cassandra.policies.loadBalancing.AllowListPolicy(new cassandra.policies.loadBalancing.RoundRobinPolicy(), [`${node.address}:${node.ports.native}`]) } });
  try {
    await client.connect();
    await client.execute('SELECT release_version FROM system.local');
    return true;
  } catch {
    return false;
  } finally {
    await client.shutdown().catch(() => undefined);
  }
}

function logTail(node: RingNode): string {
  try {
    return readFileSync(path.join(node.dir, 'logs', 'system.log'), 'utf8').slice(-1500);
  } catch {
    return '(no system.log)';
  }
}

async function waitForRing(what: string): Promise<void> {
  try {
    await waitUntil(() => upNormal().length === nodes.length, JOIN_MS, what);
  } catch (e) {
    throw new Error(`${(e as Error).message}\nnodetool status: ${lastStatus}\n${nodes.map((n) => `--- ${n.name} ---\n${logTail(n)}`).join('\n')}`);
  }
}

function rssMiB(node: RingNode): number {
  const status = readFileSync(`/proc/${node.process!.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

let client: Client;
let lastStatus = '';

describe('a real 2-node Cassandra ring from the framework node configuration', () => {
  beforeAll(async () => {
    distDir = (await ensureDistribution('cassandra')).dir;
    nodes.push(await newNode('node-0', '127.0.0.2'), await newNode('node-1', '127.0.0.3'));
    const seeds = [`${nodes[0]!.address}:${nodes[0]!.ports.storage}`];
    const started = Date.now();
    startNode(nodes[0]!, seeds);
    await waitUntil(() => answersCql(nodes[0]!), JOIN_MS, 'the seed to answer CQL');
    startNode(nodes[1]!, seeds);
    await waitForRing('both nodes UN in nodetool status');
    figures['spawn until 2 nodes UN'] = `${((Date.now() - started) / 1000).toFixed(1)} s`;
    client = new cassandra.Client({ contactPoints: [`${nodes[0]!.address}:${nodes[0]!.ports.native}`], localDataCenter: 'DC1' });
    await client.connect();
  }, 2 * JOIN_MS + 120_000);

  afterAll(async () => {
    await client?.shutdown().catch(() => undefined);
    for (const n of nodes) kill9(n);
    rmSync(scratch, { recursive: true, force: true });
    process.stdout.write(`cassandra ring figures: ${JSON.stringify(figures)}\n`);
  });

  it('writes and reads at QUORUM with replication factor 2', async () => {
    await client.execute("CREATE KEYSPACE IF NOT EXISTS e2e WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}");
    await client.execute('CREATE TABLE IF NOT EXISTS e2e.kv (k int PRIMARY KEY, v text)');
    const quorum = { prepare: true, consistency: cassandra.types.consistencies.quorum };
    for (let k = 0; k < 20; k++) await client.execute('INSERT INTO e2e.kv (k, v) VALUES (?, ?)', [k, `value-${k}`], quorum);
    const rs = await client.execute('SELECT k, v FROM e2e.kv', [], quorum);
    expect(rs.rows.map((r) => r.get('v') as string).sort()).toEqual(Array.from({ length: 20 }, (_, k) => `value-${k}`).sort());
    for (const n of nodes) figures[`RSS ${n.name} (heap ${config.heapMb} MB)`] = `${rssMiB(n).toFixed(0)} MiB`;
  }, 120_000);

  it('a kill -9 node comes back on its own volume with its rows', async () => {
    const victim = nodes[1]!;
    kill9(victim);
    await waitUntil(() => victim.process!.exitCode !== null || victim.process!.signalCode !== null, 30_000, 'the killed node to exit');
    const killed = Date.now();
    startNode(victim, [`${nodes[0]!.address}:${nodes[0]!.ports.storage}`]);
    // The seed may still list the dead node as UN for a while (gossip), so the node must answer CQL first.
    await waitUntil(() => answersCql(victim), JOIN_MS, 'the restarted node to answer CQL').catch((e: Error) => {
      throw new Error(`${e.message} (process exit ${victim.process!.exitCode ?? victim.process!.signalCode ?? 'none: still running'})\n${logTail(victim)}`);
    });
    await waitForRing('the restarted node UN again');
    figures['node kill -9 until UN again'] = `${((Date.now() - killed) / 1000).toFixed(1)} s`;
    // Read with the restarted node as the only coordinator, at ONE (it holds a replica of every row at RF 2).
    const direct = new cassandra.Client({
      contactPoints: [`${victim.address}:${victim.ports.native}`],
      localDataCenter: 'DC1',
      policies: { loadBalancing: new cassandra.policies.loadBalancing.AllowListPolicy(new cassandra.policies.loadBalancing.RoundRobinPolicy(), [`${victim.address}:${victim.ports.native}`]) },
    });
    try {
      await direct.connect();
      const rs = await direct.execute("SELECT count(*) AS n FROM e2e.kv", [], { consistency: cassandra.types.consistencies.one });
      expect(Number(rs.first()!.get('n'))).toBe(20);
    } finally {
      await direct.shutdown();
    }
  }, JOIN_MS + 60_000);
  it('a repair job visits every node, one at a time, to completion (REST API + jobs engine + real nodetool)', async () => {
    const ringNodes: CassandraNode[] = nodes.map((n, i) => ({
      name: n.name, agentId: `agent-${i}`, hostname: n.address, ip: n.address, seed: i === 0, targetRunState: 'RUN', ports: n.ports,
      taskState: 'TASK_RUNNING', health: { mode: 'NORMAL', healthy: true, loadBytes: 0, at: Date.now() }, lastLaunchAt: 1,
    }));
    const service = new MemoryRingService({ ring: { config, nodes: ringNodes }, jobs: { last: {} } }, async () => undefined, () => Date.now(), true);
    const router = apiRouter(service);
    expect((await router.dispatch('POST', '/cluster/repair/start', '')).status).toBe(200);
    expect((await router.dispatch('POST', '/cluster/repair/start', '')).status).toBe(409);
    const visited: string[] = [];
    for (;;) {
      const step = nextJobNode(service.snapshot().jobs);
      if (step.node === undefined) break;
      await service.mutate((s) => ({ next: { ...s, jobs: step.jobs }, result: undefined }));
      const target = nodes.find((n) => n.name === step.node)!;
      const result = await runNodetool(distDir, target.ports.jmx, JOB_NODETOOL_ARGS.repair);
      visited.push(step.node);
      await service.mutate((s) => ({ next: { ...s, jobs: jobNodeDone(s.jobs, step.node!, result.ok, result.output, Date.now()) }, result: undefined }));
    }
    expect(visited).toEqual(['node-0', 'node-1']);
    const last = (await router.dispatch('GET', '/cluster/repair/last', '')).body as { present: boolean; job: { completed: Array<{ node: string; ok: boolean; output: string }>; finishedAt?: number } };
    expect(last.present).toBe(true);
    expect(last.job.finishedAt).toBeGreaterThan(0);
    expect(last.job.completed.map((c) => [c.node, c.ok, c.ok ? '' : c.output])).toEqual([['node-0', true, ''], ['node-1', true, '']]);
  }, 300_000);
});
