// The executor against the executor SDK's FakeAgent (real HTTP) with a tiny shell "distribution" written
// here (its start script records what it was given and waits for SIGTERM; readiness is probed by a file).
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExecutorClient, executorEnvironment, silentLogger } from '@mesos-ts/executor';
import { FakeAgent } from '@mesos-ts/executor/testing';
import type { v1 } from '@mesos-ts/proto';
import type { BrokerLaunch } from '../domain/broker-launch.js';
import { KafkaExecutor, type KafkaExecutorOptions } from './kafka-executor.js';
import { tailFile } from './sandbox-files.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const START = `#!/bin/sh
dir=$(dirname "$1")
echo "$KAFKA_HEAP_OPTS" > "$dir/heap.txt"
[ -n "$FAIL" ] && { echo "boom" >&2; exit 3; }
cp "$1" "$dir/seen.properties"
trap 'echo stopped > "$dir/stopped.txt"; exit 0' TERM
while true; do sleep 0.05; done
`;
const STORAGE = `#!/bin/sh
logdirs=$(grep '^log.dirs=' "$5" | cut -d= -f2)
mkdir -p "$logdirs"
echo "cluster.id=$3" > "$logdirs/meta.properties"
echo x >> "$(dirname "$5")/formats.txt"
`;

async function setup(env: Record<string, string> = {}, extra: Partial<KafkaExecutorOptions> = {}): Promise<{ agent: FakeAgent; executor: KafkaExecutor; sandbox: string }> {
  const sandbox = await mkdtemp(path.join(os.tmpdir(), 'kafka-exec-'));
  cleanups.push(() => rm(sandbox, { recursive: true, force: true }));
  const dist = path.join(sandbox, 'kafka_2.13-3.7.0');
  await mkdir(path.join(dist, 'bin'), { recursive: true });
  await writeFile(path.join(dist, 'bin', 'kafka-server-start.sh'), START);
  await writeFile(path.join(dist, 'bin', 'kafka-storage.sh'), STORAGE);
  await chmod(path.join(dist, 'bin', 'kafka-server-start.sh'), 0o755);
  await chmod(path.join(dist, 'bin', 'kafka-storage.sh'), 0o755);
  const agent = await FakeAgent.start();
  cleanups.push(() => agent.close());
  const client = new ExecutorClient({ environment: executorEnvironment(agent.environment({ MESOS_SANDBOX: sandbox })), heartbeatIntervalMs: 0 });
  const executor = new KafkaExecutor(client, { sandbox, probe: async () => existsSync(path.join(sandbox, 'seen.properties')), probeIntervalMs: 20, killGraceMs: 2_000, logger: silentLogger, env, ...extra });
  client.start();
  cleanups.push(() => client.stop());
  await until(() => agent.subscribed, 'subscription');
  return { agent, executor, sandbox };
}

async function until(probe: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function task(id: string, launch: Partial<BrokerLaunch> = {}): v1.TaskInfo {
  const data: BrokerLaunch = {
    brokerId: 0,
    hostname: '127.0.0.1',
    port: 31000,
    controllerPort: 31001,
    heap: 512,
    log4jOptions: {},
    properties: { 'node.id': '0', 'process.roles': 'broker,controller', 'log.dirs': 'data/kafka-logs' },
    clusterId: 'abc',
    distribution: 'kafka_2.13-3.7.0.tgz',
    ...launch,
  };
  return { name: 'broker-0', task_id: { value: id }, agent_id: { value: 'a' }, data: new TextEncoder().encode(JSON.stringify(data)) };
}

const states = (agent: FakeAgent, id: string): string[] => agent.updates.filter((u) => u.task_id.value === id).map((u) => u.state);

describe('KafkaExecutor', () => {
  it('writes server.properties, formats KRaft storage once, runs Kafka, reports RUNNING when it answers, stops it with SIGTERM', async () => {
    const { agent, executor, sandbox } = await setup();
    agent.launch(task('t1'));
    await until(() => states(agent, 't1').includes('TASK_RUNNING'), 'TASK_RUNNING');
    expect(states(agent, 't1')).toEqual(['TASK_STARTING', 'TASK_RUNNING']);
    const props = await readFile(path.join(sandbox, 'seen.properties'), 'utf8');
    expect(props).toContain(`log.dirs=${path.join(sandbox, 'data/kafka-logs')}\n`);
    expect(props).toContain('process.roles=broker,controller\n');
    expect(await readFile(path.join(sandbox, 'data/kafka-logs/meta.properties'), 'utf8')).toBe('cluster.id=abc\n');
    expect(await readFile(path.join(sandbox, 'heap.txt'), 'utf8')).toBe('-Xmx512M -Xms512M\n');

    // broker log through framework messages: the tail of the sandbox's stdout.
    await writeFile(path.join(sandbox, 'stdout'), Array.from({ length: 300 }, (_, i) => `line ${i}`).join('\n') + '\n');
    agent.sendMessage(new TextEncoder().encode(JSON.stringify({ type: 'log', id: 'r1', name: 'stdout', lines: 2 })));
    agent.sendMessage(new TextEncoder().encode(JSON.stringify({ type: 'log', id: 'r2', name: '../etc/passwd', lines: 2 })));
    const replies = (): Array<Record<string, string>> => agent.calls.filter((c) => c.call.type === 'MESSAGE').map((c) => JSON.parse(new TextDecoder().decode(c.call.message!.data)) as Record<string, string>);
    await until(() => replies().length === 2, 'log replies');
    expect(replies().find((r) => r.id === 'r1')).toEqual({ type: 'log', id: 'r1', content: 'line 298\nline 299\n' });
    expect(replies().find((r) => r.id === 'r2')?.error).toContain("invalid log name '../etc/passwd'");

    agent.kill('t1');
    await executor.done;
    await until(() => states(agent, 't1').includes('TASK_KILLED'), 'TASK_KILLED');
    expect(states(agent, 't1')).toEqual(['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_KILLED']);
    expect(await readFile(path.join(sandbox, 'stopped.txt'), 'utf8')).toBe('stopped\n');
    expect(await readFile(path.join(sandbox, 'formats.txt'), 'utf8')).toBe('x\n');
  }, 15_000);

  it('reports metrics after TASK_RUNNING and every interval, until the broker stops', async () => {
    let collected = 0;
    const metrics = async (endpoint: string, brokerId: number) => {
      collected += 1;
      if (collected === 2) throw new Error('broker busy'); // a failed collection is skipped, not fatal
      return { timestamp: collected, underReplicatedPartitions: brokerId, offlinePartitionsCount: 0, activeControllerCount: endpoint === '127.0.0.1:31000' ? 1 : 0 };
    };
    const { agent, executor } = await setup({}, { metrics, metricsIntervalMs: 30 });
    agent.launch(task('t4', { brokerId: 7 }));
    const reports = (): Array<Record<string, unknown>> =>
      agent.calls.filter((c) => c.call.type === 'MESSAGE').map((c) => JSON.parse(new TextDecoder().decode(c.call.message!.data)) as Record<string, unknown>);
    await until(() => reports().length >= 2, 'two metrics reports');
    expect(states(agent, 't4')).toEqual(['TASK_STARTING', 'TASK_RUNNING']);
    expect(reports().slice(0, 2)).toEqual([
      { type: 'metrics', brokerId: 7, metrics: { timestamp: 1, underReplicatedPartitions: 7, offlinePartitionsCount: 0, activeControllerCount: 1 } },
      { type: 'metrics', brokerId: 7, metrics: { timestamp: 3, underReplicatedPartitions: 7, offlinePartitionsCount: 0, activeControllerCount: 1 } },
    ]);
    agent.kill('t4');
    await executor.done;
    const after = reports().length;
    await new Promise((r) => setTimeout(r, 100));
    expect(reports().length).toBe(after);
  }, 15_000);

  it('fails the task with the exit code when Kafka exits on its own', async () => {
    const { agent, executor } = await setup({ FAIL: '1' });
    agent.launch(task('t2', { clusterId: undefined, properties: { 'broker.id': '0', 'zookeeper.connect': 'zk:2181' } }));
    await executor.done;
    await until(() => states(agent, 't2').includes('TASK_FAILED'), 'TASK_FAILED');
    const failed = agent.updates.find((u) => u.state === 'TASK_FAILED')!;
    expect(failed.message).toBe("kafka-server-start.sh exited with 3; see 'broker log 0 --name stderr'");
  }, 15_000);

  it('fails clearly without a distribution', async () => {
    const { agent, executor } = await setup();
    agent.launch(task('t3', { distribution: '' }));
    await executor.done;
    await until(() => states(agent, 't3').includes('TASK_FAILED'), 'TASK_FAILED');
    expect(agent.updates.find((u) => u.state === 'TASK_FAILED')!.message).toContain('start the scheduler with --kafka-dist');
  });
});

describe('tailFile', () => {
  it('caps what it reads at the byte limit', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kafka-tail-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(path.join(dir, 'f'), 'a\nbb\nccc\n');
    expect(await tailFile(path.join(dir, 'f'), 100)).toBe('a\nbb\nccc\n');
    // The last 6 bytes are `b\nccc\n`: the cut first line is dropped.
    expect(await tailFile(path.join(dir, 'f'), 100, 6)).toBe('ccc\n');
  });
});
