// The executor against the executor SDK's FakeAgent (real HTTP) with a stand-in distribution written here: its
// bin/elasticsearch is a small Node HTTP server that records its -E settings and answers the cluster health
// call with the colour in a file. Real Elasticsearch runs in e2e/src/elasticsearch-mesos.spec.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ExecutorClient, executorEnvironment, silentLogger } from '@mesos-ts/executor';
import { FakeAgent } from '@mesos-ts/executor/testing';
import type { v1 } from '@mesos-ts/proto';
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeLaunch } from '../domain/offer-plan.js';
import { EsExecutor } from './es-executor.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

// Answers GET /_cluster/health with the colour in <conf>/colour (default green); exits 0 on SIGTERM.
const LAUNCHER = `#!${process.execPath}
const http = require('node:http'), fs = require('node:fs'), path = require('node:path');
const s = Object.fromEntries(process.argv.slice(2).map((a) => a.slice(2).split(/=(.*)/s).slice(0, 2)));
const dir = process.env.ES_PATH_CONF; // the node's own (writable) config directory
fs.writeFileSync(path.join(dir, 'seen.json'), JSON.stringify({ settings: s, javaOpts: process.env.ES_JAVA_OPTS }));
http.createServer((req, res) => {
  let colour = 'green';
  try { colour = fs.readFileSync(path.join(dir, 'colour'), 'utf8').trim(); } catch {}
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ status: colour, number_of_nodes: 1 }));
}).listen(Number(s['http.port']), s['network.host']);
process.on('SIGTERM', () => process.exit(0));
`;

async function setup(): Promise<{ agent: FakeAgent; executor: EsExecutor; sandbox: string }> {
  const sandbox = await mkdtemp(path.join(os.tmpdir(), 'es-exec-'));
  await chmod(sandbox, 0o777);
  cleanups.push(() => rm(sandbox, { recursive: true, force: true }));
  const dist = path.join(sandbox, 'elasticsearch-7.17.25');
  await mkdir(path.join(dist, 'bin'), { recursive: true });
  await mkdir(path.join(dist, 'config'), { recursive: true });
  await writeFile(path.join(dist, 'config', 'elasticsearch.yml'), 'cluster.name: x\n');
  await writeFile(path.join(dist, 'bin', 'elasticsearch'), LAUNCHER);
  await chmod(path.join(dist, 'bin', 'elasticsearch'), 0o755);
  for (const d of [sandbox, dist, path.join(dist, 'bin')]) await chmod(d, 0o755);
  const agent = await FakeAgent.start();
  cleanups.push(() => agent.close());
  const client = new ExecutorClient({ environment: executorEnvironment(agent.environment({ MESOS_SANDBOX: sandbox })), heartbeatIntervalMs: 0 });
  const executor = new EsExecutor(client, { sandbox, logger: silentLogger, healthIntervalMs: 50, killGraceMs: 2_000 });
  cleanups.push(() => executor.killNow());
  client.start();
  cleanups.push(() => client.stop());
  await until(() => agent.subscribed, 'subscription');
  return { agent, executor, sandbox };
}

async function until(probe: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function task(id: string, port: number): v1.TaskInfo {
  const data: NodeLaunch = {
    settings: { clusterName: 'c', nodeName: 'es-0', host: '127.0.0.1', httpPort: port, transportPort: port + 1, dataPath: 'data/es', logsPath: 'logs', running: [], initialManagers: ['es-0'] },
    heapMb: 256,
    yml: 'indices.query.bool.max_clause_count: 2048',
  };
  return { name: 'es-0', task_id: { value: id }, agent_id: { value: 'a' }, data: new TextEncoder().encode(JSON.stringify(data)) };
}

const states = (agent: FakeAgent, id: string): string[] => agent.updates.filter((u) => u.task_id.value === id).map((u) => u.state);
const healthOf = (u: v1.TaskStatus): string | undefined => (u.data === undefined || u.data.length === 0 ? undefined : (JSON.parse(new TextDecoder().decode(u.data)) as { health: string }).health);

describe('EsExecutor', () => {
  it('starts the node with its settings, reports RUNNING when joined, health colours as they change, stops it on KILL', async () => {
    const { agent, executor, sandbox } = await setup();
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    agent.launch(task('t1', port));
    await until(() => states(agent, 't1').includes('TASK_RUNNING'), 'TASK_RUNNING');
    expect(states(agent, 't1')[0]).toBe('TASK_STARTING');
    const seen = JSON.parse(await readFile(path.join(sandbox, 'config', 'seen.json'), 'utf8')) as { settings: Record<string, string>; javaOpts: string };
    expect(seen.settings).toMatchObject({ 'cluster.name': 'c', 'node.name': 'es-0', 'http.port': String(port), 'path.data': path.join(sandbox, 'data/es'), 'cluster.initial_master_nodes': 'es-0' });
    expect(seen.javaOpts).toBe('-Xms256m -Xmx256m');
    expect(await readFile(path.join(sandbox, 'config', 'elasticsearch.yml'), 'utf8')).toContain('max_clause_count: 2048');
    await until(() => agent.updates.some((u) => healthOf(u) === 'green'), 'green reported');
    await writeFile(path.join(sandbox, 'config', 'colour'), 'yellow');
    await until(() => agent.updates.some((u) => healthOf(u) === 'yellow'), 'yellow reported');

    agent.kill('t1');
    await until(() => states(agent, 't1').includes('TASK_KILLED'), 'TASK_KILLED');
    await executor.done;
    expect(states(agent, 't1').slice(-2)).toEqual(['TASK_KILLING', 'TASK_KILLED']);
  }, 20_000);

  it('a node that exits on its own is TASK_FAILED; no distribution in the sandbox is TASK_FAILED with the reason', async () => {
    const { agent } = await setup();
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    agent.launch(task('t2', port));
    await until(() => states(agent, 't2').includes('TASK_RUNNING'), 'TASK_RUNNING');
    // Kill the node itself, as kill -9 would: the process whose command line names its port.
    const child = readdirSync('/proc').filter((e) => /^\d+$/.test(e)).find((e) => {
      try {
        return readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(`-Ehttp.port=${port}`);
      } catch {
        return false;
      }
    });
    expect(child).toBeDefined();
    process.kill(Number(child), 'SIGKILL');
    await until(() => states(agent, 't2').includes('TASK_FAILED'), 'TASK_FAILED');
    expect(agent.updates.find((u) => u.state === 'TASK_FAILED')!.message).toContain('the node exited');

    const other = await setup();
    await rm(path.join(other.sandbox, 'elasticsearch-7.17.25'), { recursive: true });
    other.agent.launch(task('t3', port));
    await until(() => states(other.agent, 't3').includes('TASK_FAILED'), 'TASK_FAILED');
    expect(other.agent.updates.find((u) => u.state === 'TASK_FAILED')!.message).toContain('--elasticsearchBinaryUrl');
  }, 20_000);
});
