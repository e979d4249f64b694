// The kafka-mesos used-by scenario as one function: add 0..2, start 0..2, stop/update/start on the same host,
// kill -9 of a broker's server process → failover on the same host with its volume data intact, scheduler
// restart adoption, `topic add`/`topic list`, `broker log`, a clean stop. The distribution (stand-in or real
// Kafka) and the mode are parameters; everything that differs between them is a field of UsedByTarget.
import { expect } from 'vitest';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { until } from './cli-harness.js';
import { block, km, ofExecutor, pidsUnder, sandboxOf, setup, type BrokerJson, type SetupOptions } from './kafka-used-by-harness.js';

export interface UsedByTarget extends SetupOptions {
  /** `broker add --heap` / `--mem`, MB. */
  heap: number;
  mem: number;
  /** `broker add --options` (printed in the blocks until `broker update` replaces them); '' for none. */
  options: string;
  /** Marks the broker's server process in its command line: the stand-in's script, or Kafka's main class. */
  serverCmdline: string;
  /** `broker start|stop --timeout` and the scenario's waits for brokers, seconds (a JVM starts slower). */
  waitSeconds: number;
  /** The id key Kafka writes in a log dir's meta.properties: `broker.id` (ZooKeeper mode) or `node.id` (KRaft). */
  metaIdKey: 'broker.id' | 'node.id';
  /**
   * Whether Metadata names the active controller, so exactly one broker reports is-active-controller 1:
   * true in ZooKeeper mode; KRaft brokers answer with a random live broker id instead.
   */
  metadataNamesController: boolean;
  /**
   * What the tail of broker `id`'s server.log shows (`broker log` reads at most 100 KiB from its end): the
   * stand-in's started line, or a real broker's own log prefix (its startup lines scroll out quickly).
   */
  ownLogLine(id: number): string | RegExp;
  /** Extra steps while the three brokers run after `topic list`, given their current endpoints (e.g. produce/consume). */
  withTopic?(endpoints: string[]): Promise<void>;
}

/** Runs the scenario against `t`; `cleanups` (run in reverse after the test) stop everything it started. */
export async function runUsedByScenario(t: UsedByTarget, cleanups: Array<() => unknown>): Promise<void> {
  const setupAt = Date.now();
  const { workDir, api, startScheduler, brokers } = await setup(t, cleanups);
  const first = await startScheduler();
  const broker = async (id: number): Promise<BrokerJson> => (await brokers()).find((b) => b.id === String(id))!;
  const timeout = `${t.waitSeconds}s`;
  const waitMs = t.waitSeconds * 1000;
  const resources = `resources: cpus:1\\.00, mem:${t.mem}, heap:${t.heap}, port:auto\\n`;
  const options = t.options === '' ? '' : `  options: ${t.options}\n`;
  const optionsRe = options.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const serverOf = (executorId: string): number[] => pidsUnder(workDir, t.serverCmdline).filter((pid) => ofExecutor(pid, executorId));

  // broker add: the failover delay is short so the kill -9 below recovers quickly.
  const optionArgs = t.options === '' ? [] : ['--options', t.options];
  const added = await km(api, 'broker', 'add', '0..2', '--heap', String(t.heap), '--mem', String(t.mem), '--failover-delay', '1s', ...optionArgs);
  expect(added).toMatchObject({ code: 0, err: '' });
  expect(added.out).toMatch(/^brokers added:\n {2}id: 0\n/);
  expect(block(added.out, 1)).toBe(`  id: 1\n  active: false\n  state: stopped\n  resources: cpus:1.00, mem:${t.mem}, heap:${t.heap}, port:auto\n${options}  failover: delay:1s, max-delay:10m\n  stickiness: period:10m\n`);

  // broker start: three running brokers on distinct ports, spread over both agents.
  const setupMs = Date.now() - setupAt;
  const startedAt = Date.now();
  const started = await km(api, 'broker', 'start', '0..2', '--timeout', timeout);
  const startMs = Date.now() - startedAt;
  expect(started).toMatchObject({ code: 0, err: '' });
  expect(started.out).toMatch(/^brokers started:\n/);
  for (const id of [0, 1, 2]) {
    expect(block(started.out, id)).toMatch(
      new RegExp(`^  id: ${id}\\n  active: true\\n  state: running\\n  ${resources}${optionsRe}  failover: delay:1s, max-delay:10m\\n  stickiness: period:10m, hostname:127\\.0\\.0\\.1\\n  task:\\n    id: broker-${id}-[0-9a-f-]{36}\\n    running: true\\n    endpoint: 127\\.0\\.0\\.1:\\d+\\n`),
    );
  }
  const endpoints = [...started.out.matchAll(/endpoint: (127\.0\.0\.1:\d+)/g)].map((m) => m[1]!);
  expect(new Set(endpoints).size).toBe(3);
  const placed = await brokers();
  const agentOf = new Map(placed.map((b) => [Number(b.id), b.task!.slaveId]));
  expect(new Set(agentOf.values()).size).toBe(2);
  // Each executor is the bundle the scheduler served, fetched and extracted into its sandbox, run by `node`;
  // each runs exactly one broker server process.
  for (const b of placed) {
    const executor = pidsUnder(workDir, 'kafka-mesos.js executor').filter((pid) => ofExecutor(pid, b.task!.id) && path.basename(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]!) === 'node');
    expect(executor).toHaveLength(1);
    expect(readFileSync(`/proc/${executor[0]}/cmdline`, 'utf8').split('\0').slice(1, 3)).toEqual(['kafka-mesos/node_modules/@mesos-ts/kafka/dist/bin/kafka-mesos.js', 'executor']);
    expect(realpathSync(`/proc/${executor[0]}/cwd`)).toBe(sandboxOf(workDir, b.task!.id));
    expect(serverOf(b.task!.id)).toHaveLength(1);
  }
  // The brokers form one cluster for a Kafka client.
  const kafka = new Kafka({ clientId: 'e2e', brokers: endpoints, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  expect((await admin.describeCluster()).brokers.map((b) => b.nodeId).sort()).toEqual([0, 1, 2]);
  await admin.disconnect();

  // The executor reports metrics as soon as its broker answers: `broker list` shows the block.
  const listed = await until(async () => {
    const r = await km(api, 'broker', 'list');
    const complete = (r.out.match(/\n {2}metrics:\n/g) ?? []).length === 3;
    // A real broker learns the controller from the controller's first metadata update: metrics collected
    // before that name none, so wait for a collection that names it.
    const controllerNamed = !t.metadataNamesController || (r.out.match(/is-active-controller: 1/g) ?? []).length === 1;
    return complete && controllerNamed ? r.out : undefined;
  }, 'metrics of the three brokers', 30_000);
  for (const id of [0, 1, 2]) {
    expect(block(listed, id)).toMatch(/\n {2}metrics:\n {4}collected: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\n {4}under-replicated-partitions: 0\n {4}offline-partitions-count: 0\n {4}is-active-controller: [01]\n$/);
  }
  if (t.metadataNamesController) expect((listed.match(/is-active-controller: 1/g) ?? []).length).toBe(1);

  // broker stop 0: stopped, sticky to its host for 10m.
  const stopAt = Date.now();
  const stopped = await km(api, 'broker', 'stop', '0', '--timeout', timeout);
  const stopMs = Date.now() - stopAt;
  expect(stopped).toMatchObject({ code: 0, err: '' });
  expect(stopped.out).toMatch(
    new RegExp(`^broker stopped:\\n  id: 0\\n  active: false\\n  state: stopped\\n  ${resources}${optionsRe}  failover: delay:1s, max-delay:10m\\n  stickiness: period:10m, hostname:127\\.0\\.0\\.1, expires:\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\\n$`),
  );

  // broker update 0 --options log.dirs=/mnt/kafka/broker0: on a persistent volume that is a directory on
  // the volume (data/mnt/kafka/broker0 in the sandbox), never the host's /mnt.
  const updated = await km(api, 'broker', 'update', '0', '--options', 'log.dirs=/mnt/kafka/broker0');
  expect(updated).toMatchObject({ code: 0, err: '' });
  expect(updated.out).toMatch(new RegExp(`^broker updated:\\n  id: 0\\n  active: false\\n  state: stopped\\n  ${resources}  options: log\\.dirs=\\/mnt\\/kafka\\/broker0\\n  failover: delay:1s, max-delay:10m\\n  stickiness: period:10m, hostname:127\\.0\\.0\\.1, expires:`));

  // broker start 0: back on the same agent, with its data dir on its volume.
  const againAt = Date.now();
  const again = await km(api, 'broker', 'start', '0', '--timeout', timeout);
  const againMs = Date.now() - againAt;
  expect(again).toMatchObject({ code: 0, err: '' });
  expect(again.out).toMatch(/^broker started:\n {2}id: 0\n {2}active: true\n {2}state: running\n[^]* {4}endpoint: 127\.0\.0\.1:\d+\n/);
  const b0 = await broker(0);
  expect(b0.task!.slaveId).toBe(agentOf.get(0));
  const sandbox0 = sandboxOf(workDir, b0.task!.id);
  expect(readFileSync(path.join(sandbox0, 'server.properties'), 'utf8')).toContain(`log.dirs=${path.join(sandbox0, 'data/mnt/kafka/broker0')}\n`);
  expect(readFileSync(path.join(sandbox0, 'data/mnt/kafka/broker0/meta.properties'), 'utf8')).toContain(`${t.metaIdKey}=0`);
  expect(existsSync('/mnt/kafka/broker0')).toBe(false);

  // kill -9 broker 1's server process: restarted after the failover delay, same agent, its volume's data intact.
  const before1 = await broker(1);
  const volume1 = path.join(sandboxOf(workDir, before1.task!.id), 'data');
  writeFileSync(path.join(volume1, 'kafka-logs', 'marker'), 'kept\n');
  const [server1] = serverOf(before1.task!.id);
  expect(server1).toBeDefined();
  const killedAt = Date.now();
  process.kill(server1!, 'SIGKILL');
  // The failure is counted and the relaunch waits for the failover delay (1s).
  const failedState = await until(async () => {
    const state = (await broker(1)).state ?? '';
    return state.startsWith('failed 1 ') ? state : undefined;
  }, 'broker 1 to register its failure', 20_000);
  expect(failedState).toMatch(/^failed 1 \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ, next start \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  const after1 = await until(async () => {
    const b = await broker(1);
    return b.task !== undefined && b.task.id !== before1.task!.id && b.task.state === 'running' ? b : undefined;
  }, 'broker 1 restarted after its failover delay', waitMs);
  const failoverMs = Date.now() - killedAt;
  expect(after1.task!.slaveId).toBe(agentOf.get(1));
  const sandbox1 = sandboxOf(workDir, after1.task!.id);
  expect(readFileSync(path.join(sandbox1, 'data', 'kafka-logs', 'marker'), 'utf8')).toBe('kept\n');
  expect(block((await km(api, 'broker', 'list', '1')).out, 1)).toMatch(/ {2}state: running\n[^]* {4}running: true\n/);

  // Scheduler restart (kill -9, then a new process): the running brokers are adopted, task ids unchanged.
  const tasks = new Map((await brokers()).map((b) => [b.id, b.task!.id]));
  first.kill('SIGKILL');
  const restartedAt = Date.now();
  await until(async () => (await km(api, 'broker', 'list')).code === 1 || undefined, 'the old scheduler to be gone');
  await startScheduler();
  const adopted = await until(async () => {
    const r = await km(api, 'broker', 'list');
    return (r.out.match(/ {2}state: running\n/g) ?? []).length === 3 ? r.out : undefined;
  }, 'brokers adopted by the new scheduler', waitMs);
  const adoptMs = Date.now() - restartedAt;
  expect(new Map([...adopted.matchAll(/ {4}id: (broker-(\d)-[0-9a-f-]+)\n/g)].map((m) => [m[2]!, m[1]!]))).toEqual(tasks);

  // topic add, then topic list with partitions, leaders and ISR.
  const topic = await km(api, 'topic', 'add', 't1', '--partitions', '3', '--replicas', '2');
  expect(topic).toMatchObject({ code: 0, err: '' });
  expect(topic.out).toMatch(/^topic added:\n {2}name: t1\n {2}partitions: 0:\[0, 1\], 1:\[1, 2\], 2:\[2, 0\]\n/);
  const list = await km(api, 'topic', 'list');
  expect(list).toMatchObject({ code: 0, err: '' });
  expect(list.out).toBe('topic:\n  name: t1\n  partitions: 0:[0, 1], 1:[1, 2], 2:[2, 0]\n  leaders: 0:0, 1:1, 2:2\n  isr: 0:[0, 1], 1:[1, 2], 2:[2, 0]\n');
  await t.withTopic?.((await brokers()).map((b) => b.task!.endpoint));

  // broker log: the executor answers through framework messages with the tail of Kafka's server.log.
  const log = await km(api, 'broker', 'log', '1', '--name', 'server.log', '--lines', '2000');
  expect(log).toMatchObject({ code: 0, err: '' });
  expect(log.out).toMatch(t.ownLogLine(1));

  // A clean stop: every broker's server gets SIGTERM through its executor.
  const stopAllAt = Date.now();
  expect(await km(api, 'broker', 'stop', '0..2', '--timeout', timeout)).toMatchObject({ code: 0, out: expect.stringMatching(/^brokers stopped:\n/) });
  expect(pidsUnder(workDir, t.serverCmdline)).toEqual([]);
  const stopAllMs = Date.now() - stopAllAt;
  // Figures (printed, not asserted): one run's wall times on this machine.
  console.log(`kafka-used-by (${t.serverCmdline}): broker start 0..2 ${startMs} ms; kill -9 to running again ${failoverMs} ms; scheduler kill -9 to 3 brokers adopted ${adoptMs} ms; cluster set-up ${setupMs} ms; stop 0 ${stopMs} ms; start 0 again ${againMs} ms; stop 0..2 ${stopAllMs} ms`);
}
