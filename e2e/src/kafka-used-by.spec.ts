// The kafka-mesos used-by scenario, run as a user would: `mesos-local` (a real master and two real agents
// that fork real executor processes), a real ZooKeeper, the built `kafka-mesos scheduler` process pointed at
// the stand-in Kafka distribution (e2e/fixtures/kafka, a test double) in ZooKeeper mode, and `kafka-mesos`
// CLI processes whose printed blocks are asserted. The executor is the bundle the scheduler serves
// (`/executor/kafka-mesos.tgz`), fetched and extracted by the agents' fetcher. Each agent offers room for two
// brokers, so three brokers span both agents and "same host" means the same agent id and port range.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { startLocal, until } from './cli-harness.js';
import { cleanupsAfterEach, zooKeeperForFile } from './harness/fixtures.js';
import { freePort } from './harness/ports.js';

const BIN = fileURLToPath(new URL('../../frameworks/kafka/dist/bin/kafka-mesos.js', import.meta.url));
const DIST = fileURLToPath(new URL('../fixtures/kafka', import.meta.url));

const zk = zooKeeperForFile();
const cleanups = cleanupsAfterEach();

interface Run {
  code: number | null;
  out: string;
  err: string;
}

interface BrokerJson {
  id: string;
  task?: { id: string; slaveId: string; endpoint: string; state: string };
}

/** One `kafka-mesos …` CLI process (built bin), bounded by 90 s. */
function km(api: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, KM_API: api }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

/** The block of broker `id` in a CLI answer (from `  id: N` to the next block). */
function block(out: string, id: number): string {
  const found = out.split(/\n(?=  id: \d+\n)/).find((b) => b.includes(`  id: ${id}\n`));
  if (found === undefined) throw new Error(`no block for broker ${id} in:\n${out}`);
  return found.replace(/^brokers? \w+:\n/, '').replace(/^brokers?:\n/, '');
}

/** Pids of processes started under `dir` (their sandbox is there) whose command line includes `cmdline`. */
function pidsUnder(dir: string, cmdline = ''): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${name}/environ`, 'utf8').includes(`MESOS_SANDBOX=${dir}/`)) continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(cmdline)) out.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** The sandbox of an executor (its id is the task id) under mesos-local's work_dir. */
function sandboxOf(workDir: string, executorId: string): string {
  for (const agent of readdirSync(workDir).filter((d) => d.startsWith('agent-'))) {
    const slaves = path.join(workDir, agent, 'slaves');
    if (!existsSync(slaves)) continue;
    for (const slave of readdirSync(slaves)) {
      const frameworks = path.join(slaves, slave, 'frameworks');
      for (const fw of existsSync(frameworks) ? readdirSync(frameworks) : []) {
        const run = path.join(frameworks, fw, 'executors', executorId, 'runs', 'latest');
        if (existsSync(run)) return realpathSync(run);
      }
    }
  }
  throw new Error(`no sandbox for executor ${executorId} under ${workDir}`);
}

interface Setup {
  dir: string;
  workDir: string;
  api: string;
  startScheduler(): Promise<ChildProcess>;
  brokers(): Promise<BrokerJson[]>;
}

/**
 * mesos-local with two agents (room for two brokers each) and the built scheduler's flags, everything under
 * a temp dir; cleanups kill what runs under it and unmount the volumes the agents bind-mounted.
 */
async function setup(mode: string[]): Promise<Setup> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kafka-used-by-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const workDir = path.join(dir, 'mesos');
  // Whatever happens, no broker or executor outlives the test, and no volume stays bind-mounted in a sandbox.
  cleanups.push(() => {
    for (const mount of readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(`${workDir}/`)).reverse()) {
      spawnSync('umount', ['-l', mount]);
    }
  });
  cleanups.push(() => pidsUnder(workDir).forEach((pid) => process.kill(pid, 'SIGKILL')));
  // The agents' executors hand their environment to Kafka. The stand-in (not a real Kafka, whose jars carry
  // everything) needs node-zookeeper-client in ZooKeeper mode, found through NODE_PATH once the fetcher
  // copied it into a sandbox: set for the mesos-local process only (spawn copies the environment).
  const nodePath = process.env.NODE_PATH;
  process.env.NODE_PATH = fileURLToPath(new URL('../../node_modules', import.meta.url));
  const starting = startLocal(workDir, ['--allocation_interval=100ms', '--resources=cpus:2;mem:4608;disk:8192']);
  if (nodePath === undefined) delete process.env.NODE_PATH;
  else process.env.NODE_PATH = nodePath;
  const cluster = await starting;
  cleanups.push(() => cluster.stop('SIGINT'));

  const api = `http://127.0.0.1:${await freePort()}`;
  const flags = [`--master=${cluster.master}`, `--api=${api}`, '--bind-address=127.0.0.1', ...mode, `--kafka-dist=${DIST}`, `--storage=file:${path.join(dir, 'kafka-mesos.json')}`, '--framework-role=kafka', '--principal=kafka'];
  const schedulers: ChildProcess[] = [];
  cleanups.push(() => schedulers.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL')));
  return {
    dir,
    workDir,
    api,
    async startScheduler() {
      const child = spawn(process.execPath, [BIN, 'scheduler', ...flags], { cwd: dir, stdio: 'ignore' });
      schedulers.push(child);
      await until(async () => (await fetch(`${api}/health`)).ok, 'the scheduler API');
      return child;
    },
    brokers: async () => ((await (await fetch(`${api}/api/broker/list`)).json()) as { brokers: BrokerJson[] }).brokers,
  };
}

describe('kafka-mesos used-by scenario on mesos-local', () => {
  it('adds, starts, stops, updates, fails over and adopts brokers, and manages a topic', async () => {
    const { workDir, api, startScheduler, brokers } = await setup([`--zk=${zk.server.connect}/kafka`]);
    const first = await startScheduler();
    const broker = async (id: number): Promise<BrokerJson> => (await brokers()).find((b) => b.id === String(id))!;

    // broker add: the failover delay is short so the kill -9 below recovers quickly, and the stand-in's
    // ZooKeeper session too (a restarted broker waits for its old registration to expire, as Kafka would).
    const added = await km(api, 'broker', 'add', '0..2', '--heap', '1024', '--mem', '2048', '--failover-delay', '1s', '--options', 'zookeeper.session.timeout.ms=2000');
    expect(added).toMatchObject({ code: 0, err: '' });
    expect(added.out).toMatch(/^brokers added:\n {2}id: 0\n/);
    expect(block(added.out, 1)).toBe(
      '  id: 1\n  active: false\n  state: stopped\n  resources: cpus:1.00, mem:2048, heap:1024, port:auto\n  options: zookeeper.session.timeout.ms=2000\n  failover: delay:1s, max-delay:10m\n  stickiness: period:10m\n',
    );

    // broker start: three running brokers on distinct ports, spread over both agents.
    const startedAt = Date.now();
    const started = await km(api, 'broker', 'start', '0..2', '--timeout', '60s');
    const startMs = Date.now() - startedAt;
    expect(started).toMatchObject({ code: 0, err: '' });
    expect(started.out).toMatch(/^brokers started:\n/);
    for (const id of [0, 1, 2]) {
      expect(block(started.out, id)).toMatch(
        new RegExp(`^  id: ${id}\\n  active: true\\n  state: running\\n  resources: cpus:1\\.00, mem:2048, heap:1024, port:auto\\n  options: zookeeper\\.session\\.timeout\\.ms=2000\\n  failover: delay:1s, max-delay:10m\\n  stickiness: period:10m, hostname:127\\.0\\.0\\.1\\n  task:\\n    id: broker-${id}-[0-9a-f-]{36}\\n    running: true\\n    endpoint: 127\\.0\\.0\\.1:\\d+\\n`),
      );
    }
    const endpoints = [...started.out.matchAll(/endpoint: (127\.0\.0\.1:\d+)/g)].map((m) => m[1]!);
    expect(new Set(endpoints).size).toBe(3);
    const placed = await brokers();
    const agentOf = new Map(placed.map((b) => [Number(b.id), b.task!.slaveId]));
    expect(new Set(agentOf.values()).size).toBe(2);
    // Each executor is the bundle the scheduler served, fetched and extracted into its sandbox, run by `node`.
    for (const b of placed) {
      const executor = pidsUnder(workDir, 'kafka-mesos.js executor').filter(
        (pid) => readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`MESOS_EXECUTOR_ID=${b.task!.id}\0`) && path.basename(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]!) === 'node',
      );
      expect(executor).toHaveLength(1);
      expect(readFileSync(`/proc/${executor[0]}/cmdline`, 'utf8').split('\0').slice(1, 3)).toEqual(['kafka-mesos/node_modules/@mesos-ts/kafka/dist/bin/kafka-mesos.js', 'executor']);
      expect(realpathSync(`/proc/${executor[0]}/cwd`)).toBe(sandboxOf(workDir, b.task!.id));
    }
    // The brokers registered in ZooKeeper (/brokers/ids/<id>) and form one cluster for a Kafka client.
    const kafka = new Kafka({ clientId: 'e2e', brokers: endpoints, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    expect((await admin.describeCluster()).brokers.map((b) => b.nodeId).sort()).toEqual([0, 1, 2]);
    await admin.disconnect();

    // The executor reports metrics as soon as its broker answers: `broker list` shows the block.
    const listed = await until(async () => {
      const r = await km(api, 'broker', 'list');
      return (r.out.match(/\n {2}metrics:\n/g) ?? []).length === 3 ? r.out : undefined;
    }, 'metrics of the three brokers', 30_000);
    for (const id of [0, 1, 2]) {
      expect(block(listed, id)).toMatch(/\n {2}metrics:\n {4}collected: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\n {4}under-replicated-partitions: 0\n {4}offline-partitions-count: 0\n {4}is-active-controller: [01]\n$/);
    }
    expect((listed.match(/is-active-controller: 1/g) ?? []).length).toBe(1);

    // broker stop 0: stopped, sticky to its host for 10m.
    const stopped = await km(api, 'broker', 'stop', '0');
    expect(stopped).toMatchObject({ code: 0, err: '' });
    expect(stopped.out).toMatch(/^broker stopped:\n {2}id: 0\n {2}active: false\n {2}state: stopped\n {2}resources: cpus:1\.00, mem:2048, heap:1024, port:auto\n {2}options: zookeeper\.session\.timeout\.ms=2000\n {2}failover: delay:1s, max-delay:10m\n {2}stickiness: period:10m, hostname:127\.0\.0\.1, expires:\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\n$/);

    // broker update 0 --options log.dirs=/mnt/kafka/broker0: on a persistent volume that is a directory on
    // the volume (data/mnt/kafka/broker0 in the sandbox), never the host's /mnt.
    const updated = await km(api, 'broker', 'update', '0', '--options', 'log.dirs=/mnt/kafka/broker0');
    expect(updated).toMatchObject({ code: 0, err: '' });
    expect(updated.out).toMatch(/^broker updated:\n {2}id: 0\n {2}active: false\n {2}state: stopped\n {2}resources: cpus:1\.00, mem:2048, heap:1024, port:auto\n {2}options: log\.dirs=\/mnt\/kafka\/broker0\n {2}failover: delay:1s, max-delay:10m\n {2}stickiness: period:10m, hostname:127\.0\.0\.1, expires:/);

    // broker start 0: back on the same agent, with its data dir on its volume.
    const again = await km(api, 'broker', 'start', '0', '--timeout', '60s');
    expect(again).toMatchObject({ code: 0, err: '' });
    expect(again.out).toMatch(/^broker started:\n {2}id: 0\n {2}active: true\n {2}state: running\n[^]* {4}endpoint: 127\.0\.0\.1:\d+\n/);
    const b0 = await broker(0);
    expect(b0.task!.slaveId).toBe(agentOf.get(0));
    const sandbox0 = sandboxOf(workDir, b0.task!.id);
    expect(readFileSync(path.join(sandbox0, 'server.properties'), 'utf8')).toContain(`log.dirs=${path.join(sandbox0, 'data/mnt/kafka/broker0')}\n`);
    expect(readFileSync(path.join(sandbox0, 'data/mnt/kafka/broker0/meta.properties'), 'utf8')).toContain('broker.id=0');
    expect(existsSync('/mnt/kafka/broker0')).toBe(false);

    // kill -9 broker 1's Kafka process: restarted after the failover delay, same agent, its volume's data intact.
    const before1 = await broker(1);
    const volume1 = path.join(sandboxOf(workDir, before1.task!.id), 'data');
    writeFileSync(path.join(volume1, 'kafka-logs', 'marker'), 'kept\n');
    const [server1] = pidsUnder(workDir, 'stand-in-server.mjs').filter((pid) => readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`MESOS_EXECUTOR_ID=${before1.task!.id}\0`));
    expect(server1).toBeDefined();
    const killedAt = Date.now();
    process.kill(server1!, 'SIGKILL');
    // The failure is counted and the relaunch waits for the failover delay (1s).
    const failedState = await until(async () => {
      const state = ((await broker(1)) as BrokerJson & { state: string }).state;
      return state.startsWith('failed 1 ') ? state : undefined;
    }, 'broker 1 to register its failure', 20_000);
    expect(failedState).toMatch(/^failed 1 \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ, next start \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    const after1 = await until(async () => {
      const b = await broker(1);
      return b.task !== undefined && b.task.id !== before1.task!.id && b.task.state === 'running' ? b : undefined;
    }, 'broker 1 restarted after its failover delay', 60_000);
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
    }, 'brokers adopted by the new scheduler', 60_000);
    const adoptMs = Date.now() - restartedAt;
    expect(new Map([...adopted.matchAll(/ {4}id: (broker-(\d)-[0-9a-f-]+)\n/g)].map((m) => [m[2]!, m[1]!]))).toEqual(tasks);

    // topic add, then topic list with partitions, leaders and ISR.
    const topic = await km(api, 'topic', 'add', 't1', '--partitions', '3', '--replicas', '2');
    expect(topic).toMatchObject({ code: 0, err: '' });
    expect(topic.out).toMatch(/^topic added:\n {2}name: t1\n {2}partitions: 0:\[0, 1\], 1:\[1, 2\], 2:\[2, 0\]\n/);
    const list = await km(api, 'topic', 'list');
    expect(list).toMatchObject({ code: 0, err: '' });
    expect(list.out).toBe('topic:\n  name: t1\n  partitions: 0:[0, 1], 1:[1, 2], 2:[2, 0]\n  leaders: 0:0, 1:1, 2:2\n  isr: 0:[0, 1], 1:[1, 2], 2:[2, 0]\n');

    // broker log: the executor answers through framework messages with the tail of Kafka's server.log.
    const log = await km(api, 'broker', 'log', '1', '--name', 'server.log', '--lines', '200');
    expect(log).toMatchObject({ code: 0, err: '' });
    expect(log.out).toContain('[KafkaServer id=1] started (kafka.server.KafkaServer)\n');

    // A clean stop: every broker's Kafka gets SIGTERM through its executor.
    expect(await km(api, 'broker', 'stop', '0..2', '--timeout', '60s')).toMatchObject({ code: 0, out: expect.stringMatching(/^brokers stopped:\n/) });
    expect(pidsUnder(workDir, 'stand-in-server.mjs')).toEqual([]);
    // Figures (printed, not asserted): one run's wall times on this machine.
    console.log(`kafka-used-by: broker start 0..2 ${startMs} ms; kill -9 to running again ${failoverMs} ms (1s failover delay + 2s ZooKeeper session); scheduler kill -9 to 3 brokers adopted ${adoptMs} ms`);
  }, 240_000);

  it('KRaft: the quorum formed by the first brokers stays the same for a broker added later', async () => {
    const { dir, workDir, api, startScheduler, brokers } = await setup([]);
    await startScheduler();
    // The stand-in's KRaft brokers share a cluster directory (it has no controller quorum of its own).
    const options = `--options=stand-in.cluster.dir=${path.join(dir, 'kraft')}`;
    expect((await km(api, 'broker', 'add', '0..2', '--mem', '2048', options)).code).toBe(0);
    expect(await km(api, 'broker', 'start', '0..2', '--timeout', '60s')).toMatchObject({ code: 0, err: '' });
    expect((await km(api, 'broker', 'add', '3', '--mem', '2048', options)).code).toBe(0);
    const started = await km(api, 'broker', 'start', '3', '--timeout', '60s');
    expect(started).toMatchObject({ code: 0, out: expect.stringMatching(/^broker started:\n {2}id: 3\n {2}active: true\n {2}state: running\n/) });
    const props = new Map(
      (await brokers()).map((b) => [Number(b.id), new Map(readFileSync(path.join(sandboxOf(workDir, b.task!.id), 'server.properties'), 'utf8').trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const))]),
    );
    const voters = props.get(0)!.get('controller.quorum.voters')!;
    // The three brokers of the first start are the voters, spread over both agents' port ranges.
    expect(voters).toMatch(/^0@127\.0\.0\.1:3\d{4},1@127\.0\.0\.1:3\d{4},2@127\.0\.0\.1:3\d{4}$/);
    expect(new Set([...voters.matchAll(/:(3[12])\d{3}/g)].map((m) => m[1])).size).toBe(2);
    for (const id of [0, 1, 2]) expect([props.get(id)!.get('process.roles'), props.get(id)!.get('controller.quorum.voters')]).toEqual(['broker,controller', voters]);
    expect([props.get(3)!.get('process.roles'), props.get(3)!.get('controller.quorum.voters'), props.get(3)!.get('listeners')]).toEqual(['broker', voters, expect.stringMatching(/^PLAINTEXT:\/\/127\.0\.0\.1:\d+$/)]);
    // Every node was formatted with the cluster's id, and a Kafka client sees the four brokers.
    const topic = await km(api, 'topic', 'add', 't1', '--partitions', '4', '--replicas', '2');
    expect(topic.out).toMatch(/^topic added:\n {2}name: t1\n {2}partitions: 0:\[0, 1\], 1:\[1, 2\], 2:\[2, 3\], 3:\[3, 0\]\n/);
    expect((await km(api, 'broker', 'remove', '1')).err).toContain('broker 1 is a KRaft controller quorum voter');
    expect(await km(api, 'broker', 'stop', '0..3', '--timeout', '60s')).toMatchObject({ code: 0 });
  }, 120_000);
});
