// The executor against the executor SDK's FakeAgent (real HTTP) with a tiny shell "distribution" written here
// (bin/cassandra records its environment and waits for SIGTERM); CQL and nodetool are working fakes.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExecutorClient, executorEnvironment, silentLogger } from '@mesos-ts/executor';
import { FakeAgent } from '@mesos-ts/executor/testing';
import type { v1 } from '@mesos-ts/proto';
import { DEFAULTS } from '../domain/config.js';
import type { NodeTaskData } from '../domain/task-data.js';
import { CassandraExecutor } from './cassandra-executor.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const CASSANDRA = `#!/bin/sh
echo "$MAX_HEAP_SIZE|$JVM_EXTRA_OPTS|$CASSANDRA_CONF" > "$CASSANDRA_CONF/../started.txt"
[ -n "$FAIL" ] && exit 3
trap 'echo stopped > "$CASSANDRA_CONF/../stopped.txt"; exit 0' TERM
while true; do sleep 0.05; done
`;

async function setup(): Promise<{ agent: FakeAgent; executor: CassandraExecutor; sandbox: string; nodetool: string[][] }> {
  const sandbox = await mkdtemp(path.join(os.tmpdir(), 'cassandra-exec-'));
  cleanups.push(() => rm(sandbox, { recursive: true, force: true }));
  const dist = path.join(sandbox, 'apache-cassandra-5.0.6');
  await mkdir(path.join(dist, 'bin'), { recursive: true });
  await mkdir(path.join(dist, 'conf'), { recursive: true });
  await writeFile(path.join(dist, 'bin', 'cassandra'), CASSANDRA);
  await chmod(path.join(dist, 'bin', 'cassandra'), 0o755);
  await writeFile(path.join(dist, 'conf', 'logback.xml'), '<configuration/>');
  const agent = await FakeAgent.start();
  cleanups.push(() => agent.close());
  const client = new ExecutorClient({ environment: executorEnvironment(agent.environment({ MESOS_SANDBOX: sandbox })), heartbeatIntervalMs: 0 });
  const nodetool: string[][] = [];
  const executor = new CassandraExecutor(client, {
    sandbox,
    probe: async () => (existsSync(path.join(sandbox, 'started.txt')) ? { answers: true, mode: 'NORMAL' } : { answers: false, mode: 'DOWN' }),
    nodetool: async (_dist, jmx, args) => {
      nodetool.push([String(jmx), ...args]);
      return { ok: true, output: `${args[0]} done` };
    },
    probeIntervalMs: 20,
    logger: silentLogger,
  });
  client.start();
  cleanups.push(() => client.stop());
  await agent.waitUntil(() => agent.subscribed || undefined, 'subscription');
  return { agent, executor, sandbox, nodetool };
}

function task(id: string, over: Partial<NodeTaskData> = {}): v1.TaskInfo {
  const data: NodeTaskData = {
    launch: { config: { ...DEFAULTS, clusterName: 'dev', heapMb: 256 }, node: { name: 'node-1', replacementForIp: '127.0.0.9', replacementForPort: 7000 }, address: '127.0.0.2', ports: { storage: 31000, native: 31001, jmx: 31002 }, seeds: ['127.0.0.1:32000'], volumeDir: 'volume' },
    distribution: 'apache-cassandra-5.0.6',
    healthIntervalSeconds: 1,
    ...over,
  };
  return { name: 'node-1', task_id: { value: id }, agent_id: { value: 'a' }, data: new TextEncoder().encode(JSON.stringify(data)), kill_policy: { grace_period: { nanoseconds: 5_000_000_000n } } };
}

const states = (agent: FakeAgent, id: string): string[] => agent.updates.filter((u) => u.task_id.value === id).map((u) => u.state);
const messages = (agent: FakeAgent): Array<Record<string, unknown>> =>
  agent.calls.filter((c) => c.call.type === 'MESSAGE').map((c) => JSON.parse(new TextDecoder().decode(c.call.message!.data)) as Record<string, unknown>);

describe('CassandraExecutor', () => {
  it('writes the node config on the volume, runs bin/cassandra, RUNNING once CQL answers, health reports, jobs, drain then stop on kill', async () => {
    const { agent, executor, sandbox, nodetool } = await setup();
    agent.launch(task('t1'));
    await agent.waitUntil(() => states(agent, 't1').includes('TASK_RUNNING') || undefined, 'TASK_RUNNING');
    const yaml = await readFile(path.join(sandbox, 'conf', 'cassandra.yaml'), 'utf8');
    expect(yaml).toContain(`commitlog_directory: ${path.join(sandbox, 'volume')}/commitlog`);
    expect(yaml).toContain('seeds: "127.0.0.1:32000"');
    expect(yaml).toContain('listen_address: 127.0.0.2');
    expect(existsSync(path.join(sandbox, 'volume', 'saved_caches'))).toBe(true);
    const [heap, opts] = (await readFile(path.join(sandbox, 'started.txt'), 'utf8')).split('|');
    expect(heap).toBe('256M');
    expect(opts).toContain('-Dcassandra.replace_address_first_boot=127.0.0.9:7000');
    const running = agent.updates.find((u) => u.state === 'TASK_RUNNING')!;
    expect(JSON.parse(new TextDecoder().decode(running.data))).toMatchObject({ type: 'health', node: 'node-1', mode: 'NORMAL', healthy: true });

    await agent.waitUntil(() => messages(agent).find((m) => m.type === 'health'), 'a health report', 5_000);
    agent.sendMessage(new TextEncoder().encode(JSON.stringify({ type: 'job', jobId: 'j1', job: 'repair' })));
    expect(await agent.waitUntil(() => messages(agent).find((m) => m.type === 'job-result'), 'the job result')).toEqual({ type: 'job-result', jobId: 'j1', node: 'node-1', ok: true, output: 'repair done' });

    agent.kill('t1');
    await executor.done;
    await agent.waitUntil(() => states(agent, 't1').includes('TASK_KILLED') || undefined, 'TASK_KILLED');
    expect(states(agent, 't1')).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
    expect(nodetool).toEqual([['31002', 'repair', '--full'], ['31002', 'drain']]);
    expect(await readFile(path.join(sandbox, 'stopped.txt'), 'utf8')).toBe('stopped\n');
  }, 20_000);

  it('fails the task when Cassandra exits on its own, and without a distribution', async () => {
    const { agent, executor } = await setup();
    process.env.FAIL = '1';
    cleanups.push(() => void delete process.env.FAIL);
    agent.launch(task('t2'));
    await executor.done;
    await agent.waitUntil(() => states(agent, 't2').includes('TASK_FAILED') || undefined, 'TASK_FAILED');
    expect(agent.updates.find((u) => u.state === 'TASK_FAILED')!.message).toMatch(/bin\/cassandra of node-1 exited with 3/);

    const second = await setup();
    await rm(path.join(second.sandbox, 'apache-cassandra-5.0.6'), { recursive: true });
    second.agent.launch(task('t3'));
    await second.executor.done;
    await second.agent.waitUntil(() => states(second.agent, 't3').includes('TASK_FAILED') || undefined, 'TASK_FAILED');
    expect(second.agent.updates.find((u) => u.state === 'TASK_FAILED')!.message).toMatch(/no Cassandra distribution .* check CASSANDRA_DIST/);
  }, 20_000);
});
