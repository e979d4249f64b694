// The stand-in Kafka distribution (e2e/fixtures/kafka, a test double) driven as the framework's executor drives
// a real one: real processes through bin/*.sh, a real ZooKeeper 3.8 for ZooKeeper mode, and the real kafkajs
// 2.2.4 admin client asserting what it sees.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { parseStorage, type StateStore } from '@mesos-ts/framework-kit';
import { startZooKeeper, type ZooKeeperServer } from './harness/zookeeper.js';
import { freePort } from './harness/ports.js';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'kafka');
const TOPIC_CONFIG = 2;
const BROKER_CONFIG = 4;

interface Broker {
  id: number;
  port: number;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM, then the exit code (SIGKILL after 5 s). */
  stop(): Promise<number | null>;
}

const children = new Set<ChildProcess>();
const admins: Admin[] = [];
const tmpDirs: string[] = [];

function tmp(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tmpDirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const a of admins.splice(0)) await a.disconnect();
  for (const c of children) c.kill('SIGKILL');
  children.clear();
  for (const d of tmpDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Runs `bin/kafka-server-start.sh props`; resolves once the broker logs "started" (or rejects with its output). */
async function startBroker(
  dir: string,
  id: number,
  props: Record<string, string | number>,
  { dist = DIST, args = [] }: { dist?: string; args?: string[] } = {},
): Promise<Broker> {
  const port = await freePort();
  const file = path.join(dir, `server-${id}.properties`);
  const lines = { listeners: `PLAINTEXT://127.0.0.1:${port}`, 'log.dirs': path.join(dir, `data-${id}`), ...props };
  writeFileSync(file, Object.entries(lines).map(([k, v]) => `${k}=${v}`).join('\n'));
  const child = spawn(path.join(dist, 'bin', 'kafka-server-start.sh'), [file, ...args], {
    env: { ...process.env, LOG_DIR: path.join(dir, `logs-${id}`), KAFKA_HEAP_OPTS: '-Xmx1G -Xms1G' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 10_000;
  while (!/\] (Kafka Server )?started/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`broker ${id} did not start (exit ${child.exitCode}):\n${output}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    id,
    port,
    child,
    output: () => output,
    async stop() {
      const done = exited(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      const code = await done;
      clearTimeout(timer);
      return code;
    },
  };
}

/** A broker that must fail: resolves with its exit code and output. */
async function failingBroker(dir: string, props: Record<string, string | number>): Promise<{ code: number | null; output: string }> {
  const file = path.join(dir, 'bad.properties');
  writeFileSync(file, Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n'));
  const run = spawnSync(path.join(DIST, 'bin', 'kafka-server-start.sh'), [file], { env: { ...process.env, LOG_DIR: path.join(dir, 'logs') }, timeout: 10_000 });
  return { code: run.status, output: `${run.stdout.toString()}${run.stderr.toString()}` };
}

function storage(dist: string, ...args: string[]): { code: number | null; out: string } {
  const run = spawnSync(path.join(dist, 'bin', 'kafka-storage.sh'), args, { timeout: 10_000 });
  return { code: run.status, out: `${run.stdout.toString()}${run.stderr.toString()}` };
}

function kafka(brokers: Broker[]): Kafka {
  return new Kafka({
    clientId: 'fixture-kafka-spec',
    brokers: brokers.map((b) => `127.0.0.1:${b.port}`),
    logLevel: logLevel.NOTHING,
    retry: { retries: 3, initialRetryTime: 50 },
  });
}

async function admin(brokers: Broker[]): Promise<Admin> {
  const a = kafka(brokers).admin();
  await a.connect();
  admins.push(a);
  return a;
}

/** A request frame with a v1 header (api key, version, correlation id, client id) and `body`. */
function request(apiKey: number, version: number, correlationId: number, body: Buffer): Buffer {
  const header = Buffer.alloc(10);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(version, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(-1, 8);
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + body.length);
  return Buffer.concat([size, header, body]);
}

/** A short compact (flexible-version) string: length + 1 as a one-byte varint, then UTF-8. */
function compact(text: string): Buffer {
  return Buffer.concat([Buffer.from([Buffer.byteLength(text) + 1]), Buffer.from(text)]);
}

/** Sends bytes on a fresh connection; resolves with everything received until the broker answers or closes. */
function exchange(port: number, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    const done = (): void => {
      socket.destroy();
      resolve(Buffer.concat(chunks));
    };
    socket.setTimeout(3_000, () => reject(new Error('no answer and no close within 3 s')));
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      const all = Buffer.concat(chunks);
      if (all.length >= 4 && all.length >= 4 + all.readInt32BE(0)) done();
    });
    socket.on('error', reject);
    socket.on('close', done);
  });
}

/** KRaft-mode properties for broker `id` of a cluster sharing `clusterDir`. */
function kraft(id: number, clusterDir: string, extra: Record<string, string | number> = {}): Record<string, string | number> {
  return { 'process.roles': 'broker', 'node.id': id, 'controller.quorum.voters': '9@127.0.0.1:1', 'stand-in.cluster.dir': clusterDir, ...extra };
}

/** Formats broker `id`'s log dir (as the executor does before the first start). */
function format(dir: string, id: number, clusterDir: string, clusterId = 'standInCluster1'): void {
  const file = path.join(dir, `format-${id}.properties`);
  writeFileSync(file, [`process.roles=broker`, `node.id=${id}`, `log.dirs=${path.join(dir, `data-${id}`)}`, `stand-in.cluster.dir=${clusterDir}`].join('\n'));
  expect(storage(DIST, 'format', '-t', clusterId, '-c', file).code).toBe(0);
}

describe('stand-in Kafka distribution: kafka-storage.sh and start-up checks', () => {
  it('formats log dirs once, like Kafka, and refuses unformatted KRaft dirs and bad configs', async () => {
    const dir = tmp('kafka-fixture-');
    const props = path.join(dir, 's.properties');
    writeFileSync(props, `process.roles=broker\nnode.id=3\nlog.dirs=${dir}/a,${dir}/b\n`);
    expect(storage(DIST, 'format', '-t', 'clusterX', '-c', props)).toMatchObject({ code: 0 });
    expect(readFileSync(path.join(dir, 'b', 'meta.properties'), 'utf8')).toMatch(/cluster\.id=clusterX\nnode\.id=3\nversion=1/);
    const again = storage(DIST, 'format', '-t', 'clusterX', '-c', props);
    expect(again.code).toBe(1);
    expect(again.out).toContain(`Log directory ${dir}/a is already formatted. Use --ignore-formatted`);
    expect(storage(DIST, 'format', '-t', 'clusterX', '-c', props, '--ignore-formatted').code).toBe(0);
    expect(storage(DIST, 'random-uuid').out).toMatch(/^[A-Za-z0-9_-]{22}\n$/);
    writeFileSync(path.join(dir, 'zk.properties'), 'broker.id=0\nzookeeper.connect=127.0.0.1:1\n');
    expect(storage(DIST, 'format', '-t', 'x', '-c', path.join(dir, 'zk.properties')).out).toContain('legacy cluster');

    const unformatted = await failingBroker(dir, { 'process.roles': 'broker', 'node.id': '1', 'log.dirs': `${dir}/c`, listeners: 'PLAINTEXT://127.0.0.1:0' });
    expect(unformatted.code).toBe(1);
    expect(unformatted.output).toContain(`No meta.properties found in ${dir}/c (have you run kafka-storage.sh`);
    const wrongId = await failingBroker(dir, { 'process.roles': 'broker', 'node.id': '4', 'log.dirs': `${dir}/a`, listeners: 'PLAINTEXT://127.0.0.1:0' });
    expect(wrongId.output).toContain("doesn't match configured node.id 4");
    const noId = await failingBroker(dir, { 'zookeeper.connect': '127.0.0.1:1' });
    expect(noId).toMatchObject({ code: 1, output: expect.stringContaining('broker.id must be set to an integer') });
    expect(readFileSync(path.join(dir, 'logs', 'server.log'), 'utf8')).toContain('broker.id must be set');
  });
});

describe('stand-in Kafka distribution: KRaft mode cluster, driven by kafkajs', () => {
  it('forms a 3-broker cluster and serves the kafkajs admin API', async () => {
    const dir = tmp('kafka-fixture-');
    const clusterDir = path.join(dir, 'cluster');
    for (const id of [1, 2, 3]) format(dir, id, clusterDir);
    const brokers = await Promise.all([1, 2, 3].map((id) => startBroker(dir, id, kraft(id, clusterDir, { 'stand-in.reassignment.ms': 400 }))));
    const a = await admin(brokers.slice(0, 1));

    // JVM options are accepted and only logged; the log also goes to $LOG_DIR/server.log, as Kafka's does.
    expect(brokers[0]!.output()).toContain('KAFKA_HEAP_OPTS=-Xmx1G -Xms1G');
    expect(readFileSync(path.join(dir, 'logs-2', 'server.log'), 'utf8')).toContain('[KafkaRaftServer nodeId=2] Kafka Server started');

    const cluster = await a.describeCluster();
    expect(cluster.clusterId).toBe('standInCluster1');
    expect(cluster.controller).toBe(1);
    expect(cluster.brokers.map((b) => [b.nodeId, b.port])).toEqual(brokers.map((b) => [b.id, b.port]));

    expect(await a.createTopics({ topics: [{ topic: 't1', numPartitions: 3, replicationFactor: 2, configEntries: [{ name: 'retention.ms', value: '1000' }] }] })).toBe(true);
    expect(await a.createTopics({ topics: [{ topic: 't1', numPartitions: 1 }] })).toBe(false);
    // kafkajs reports per-topic failures by error code (it drops the broker's message).
    await expect(a.createTopics({ topics: [{ topic: 't2', replicationFactor: 4 }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ topic: 't2', type: 'INVALID_REPLICATION_FACTOR' })],
    });
    await expect(a.createTopics({ topics: [{ topic: 't3', configEntries: [{ name: 'no.such', value: '1' }] }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ topic: 't3', type: 'INVALID_CONFIG' })],
    });
    await a.createTopics({ topics: [{ topic: 'pinned', replicaAssignment: [{ partition: 0, replicas: [3, 1] }] }] });
    expect((await a.listTopics()).sort()).toEqual(['pinned', 't1']);

    const { topics } = await a.fetchTopicMetadata({ topics: ['t1', 'pinned'] });
    const byName = new Map(topics.map((t) => [t.name, t.partitions]));
    expect(byName.get('t1')!.map((p) => [p.partitionId, p.leader, p.replicas, p.isr])).toEqual([
      [0, 1, [1, 2], [1, 2]],
      [1, 2, [2, 3], [2, 3]],
      [2, 3, [3, 1], [3, 1]],
    ]);
    expect(byName.get('pinned')![0]).toMatchObject({ leader: 3, replicas: [3, 1] });
    // A producer connected to broker 1 reaches every partition leader; offsets are counted per leader.
    const producer = kafka(brokers.slice(0, 1)).producer();
    await producer.connect();
    try {
      const sent = await producer.send({ topic: 't1', messages: [0, 1, 2].map((p) => ({ partition: p, value: `m${p}` })) });
      expect(sent.map((m) => [m.partition, m.baseOffset]).sort()).toEqual([[0, '0'], [1, '0'], [2, '0']]);
    } finally {
      await producer.disconnect();
    }
    expect((await a.fetchTopicOffsets('t1')).map((o) => [o.partition, o.low, o.high])).toEqual([[0, '0', '1'], [1, '0', '1'], [2, '0', '1']]);
    // Each broker keeps one directory per replica it hosts, as Kafka does.
    expect(readdirSync(path.join(dir, 'data-1')).filter((n) => n.startsWith('t1-')).sort()).toEqual(['t1-0', 't1-2']);

    const described = await a.describeConfigs({ resources: [{ type: TOPIC_CONFIG, name: 't1', configNames: ['retention.ms', 'cleanup.policy'] }], includeSynonyms: false });
    expect(described.resources[0]!.configEntries.map((e) => [e.configName, e.configValue, e.isDefault])).toEqual([
      ['cleanup.policy', 'delete', true],
      ['retention.ms', '1000', false],
    ]);
    await a.alterConfigs({ validateOnly: false, resources: [{ type: TOPIC_CONFIG, name: 't1', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
    const altered = await a.describeConfigs({ resources: [{ type: TOPIC_CONFIG, name: 't1' }], includeSynonyms: false });
    const overrides = altered.resources[0]!.configEntries.filter((e) => !e.isDefault);
    expect(overrides.map((e) => [e.configName, e.configValue])).toEqual([['cleanup.policy', 'compact']]);
    const brokerConfig = await a.describeConfigs({ resources: [{ type: BROKER_CONFIG, name: '2', configNames: ['node.id'] }], includeSynonyms: false });
    expect(brokerConfig.resources[0]!.configEntries.map((e) => [e.configName, e.configValue])).toEqual([['node.id', '2']]);

    await a.createPartitions({ topicPartitions: [{ topic: 't1', count: 5 }] });
    await expect(a.createPartitions({ topicPartitions: [{ topic: 't1', count: 2 }] })).rejects.toMatchObject({ type: 'INVALID_PARTITIONS' });
    const grown = await a.fetchTopicMetadata({ topics: ['t1'] });
    expect(grown.topics[0]!.partitions.map((p) => p.replicas)).toEqual([[1, 2], [2, 3], [3, 1], [1, 2], [2, 3]]);

    await a.alterPartitionReassignments({ topics: [{ topic: 't1', partitionAssignment: [{ partition: 0, replicas: [3, 2] }] }] });
    const ongoing = await a.listPartitionReassignments({});
    expect(ongoing.topics).toEqual([{ name: 't1', partitions: [{ partition: 0, replicas: [3, 2, 1], addingReplicas: [3], removingReplicas: [1] }] }]);
    await new Promise((r) => setTimeout(r, 450));
    expect((await a.listPartitionReassignments({})).topics).toEqual([]);
    expect((await a.fetchTopicMetadata({ topics: ['t1'] })).topics[0]!.partitions[0]!.replicas).toEqual([3, 2]);
    expect(existsSync(path.join(dir, 'data-1', 't1-0'))).toBe(false);

    await a.deleteTopics({ topics: ['pinned'] });
    expect(await a.listTopics()).toEqual(['t1']);

    // SIGTERM stops a broker cleanly; the others stop listing it and its partitions lose it from the ISR.
    expect(await brokers[2]!.stop()).toBe(0);
    expect(brokers[2]!.output()).toContain('shut down completed');
    expect((await a.describeCluster()).brokers.map((b) => b.nodeId)).toEqual([1, 2]);
    const afterStop = await a.fetchTopicMetadata({ topics: ['t1'] });
    expect(afterStop.topics[0]!.partitions[1]).toMatchObject({ replicas: [2, 3], isr: [2], leader: 2 });
  });

  it('keeps topics and records across restarts and kill -9, and reseeds a lost cluster dir from a broker log dir', async () => {
    const dir = tmp('kafka-fixture-');
    const clusterDir = path.join(dir, 'cluster');
    format(dir, 1, clusterDir);
    let broker = await startBroker(dir, 1, kraft(1, clusterDir));
    let a = await admin([broker]);
    await a.createTopics({ topics: [{ topic: 'kept', numPartitions: 2 }] });
    const send = async (b: Broker, values: string[]) => {
      const producer = kafka([b]).producer();
      await producer.connect();
      try {
        return (await producer.send({ topic: 'kept', messages: values.map((value) => ({ partition: 0, value })) }))[0]!.baseOffset;
      } finally {
        await producer.disconnect();
      }
    };
    expect(await send(broker, ['a', 'b', 'c'])).toBe('0');
    await a.disconnect();
    // kill -9: acknowledged records were fsynced into a Kafka-layout segment file.
    broker.child.kill('SIGKILL');
    await exited(broker.child);
    const segment = path.join(dir, 'data-1', 'kept-0', '00000000000000000000.log');
    expect(readFileSync(segment).includes('b')).toBe(true);
    // A torn, never-acknowledged write at the tail is ignored and cut off by the next append.
    const acknowledged = readFileSync(segment);
    appendFileSync(segment, acknowledged.subarray(0, 30));

    broker = await startBroker(dir, 1, kraft(1, clusterDir));
    a = await admin([broker]);
    expect(await a.listTopics()).toEqual(['kept']);
    expect((await a.fetchTopicOffsets('kept')).find((o) => o.partition === 0)?.high).toBe('3');
    expect(await send(broker, ['d'])).toBe('3');
    expect(readFileSync(segment).subarray(0, acknowledged.length).equals(acknowledged)).toBe(true);
    expect((await a.fetchTopicOffsets('kept')).find((o) => o.partition === 0)?.high).toBe('4');
    expect(await broker.stop()).toBe(0);
    await a.disconnect();

    rmSync(clusterDir, { recursive: true });
    broker = await startBroker(dir, 1, kraft(1, clusterDir));
    a = await admin([broker]);
    const { topics } = await a.fetchTopicMetadata({ topics: ['kept'] });
    expect(topics[0]!.partitions).toHaveLength(2);
  });

  it('answers an unsupported ApiVersions version in v0 form, drops bad requests, keeps serving, and takes IncrementalAlterConfigs', async () => {
    const dir = tmp('kafka-fixture-');
    const clusterDir = path.join(dir, 'cluster');
    format(dir, 1, clusterDir);
    const broker = await startBroker(dir, 1, kraft(1, clusterDir));
    // ApiVersions v3 (flexible, newer than the stand-in): Kafka answers in v0 form with UNSUPPORTED_VERSION (35).
    const apiVersionsV3 = request(18, 3, 7, Buffer.from([0, 0, 0]));
    const answer = await exchange(broker.port, apiVersionsV3);
    expect(answer.readInt32BE(4)).toBe(7);
    expect(answer.readInt16BE(8)).toBe(35);
    const keys = Array.from({ length: answer.readInt32BE(10) }, (_, i) => answer.readInt16BE(14 + i * 6));
    expect(keys).toEqual(expect.arrayContaining([0, 2, 3, 18, 19, 20, 32, 33, 37, 44, 45, 46]));
    // Fetch (not implemented), a truncated Metadata body, and a negative frame size: connection closed.
    expect(await exchange(broker.port, request(1, 11, 1, Buffer.alloc(0)))).toHaveLength(0);
    expect(await exchange(broker.port, request(3, 6, 2, Buffer.from([0, 0])))).toHaveLength(0);
    expect(await exchange(broker.port, Buffer.from([0xff, 0xff, 0xff, 0xff]))).toHaveLength(0);
    const a = await admin([broker]);
    expect((await a.describeCluster()).brokers).toHaveLength(1);
    expect(broker.output()).toContain('unsupported request apiKey=1 version=11');

    // IncrementalAlterConfigs v1 (flexible; kafkajs 2.2.4 has no call for it): SET, APPEND, then an unknown name.
    await a.createTopics({ topics: [{ topic: 'inc' }] });
    const entry = (name: string, op: number, value: string) => Buffer.concat([compact(name), Buffer.from([op]), compact(value), Buffer.from([0])]);
    const incremental = (entries: Buffer[]) =>
      request(44, 1, 9, Buffer.concat([Buffer.from([0, 2, 2]), compact('inc'), Buffer.from([entries.length + 1]), ...entries, Buffer.from([0, 0, 0])]));
    const ok = await exchange(broker.port, incremental([entry('retention.ms', 0, '42'), entry('cleanup.policy', 2, 'compact')]));
    // size, correlation id, header tags, throttle, 1 result: error code...
    expect([ok.readInt32BE(4), ok.readUInt8(8), ok.readUInt8(13), ok.readInt16BE(14)]).toEqual([9, 0, 2, 0]);
    const rejected = await exchange(broker.port, incremental([entry('no.such', 0, '1')]));
    expect(rejected.readInt16BE(14)).toBe(40); // INVALID_CONFIG
    const { resources } = await a.describeConfigs({ resources: [{ type: TOPIC_CONFIG, name: 'inc' }], includeSynonyms: false });
    const overrides = resources[0]!.configEntries.filter((e) => !e.isDefault).map((e) => [e.configName, e.configValue]);
    expect(overrides).toEqual([['cleanup.policy', 'delete,compact'], ['retention.ms', '42']]);
  });

  it('runs from an unpacked copy, and kafka-server-stop.sh stops only that copy\'s brokers', async () => {
    const dir = tmp('kafka-fixture-');
    const dist = path.join(dir, 'kafka_2.13-stand-in');
    cpSync(DIST, dist, { recursive: true, filter: (src) => !src.includes(`${path.sep}logs`) });
    const clusterDir = path.join(dir, 'cluster');
    format(dir, 1, clusterDir);
    format(dir, 2, clusterDir);
    const fromCopy = await startBroker(dir, 1, kraft(1, clusterDir), { dist });
    const fromRepo = await startBroker(dir, 2, kraft(2, clusterDir));
    const stop = spawnSync(path.join(dist, 'bin', 'kafka-server-stop.sh'), { timeout: 10_000 });
    expect(stop.status).toBe(0);
    expect(await exited(fromCopy.child)).toBe(0);
    expect(fromRepo.child.exitCode).toBeNull();
    expect(spawnSync(path.join(dist, 'bin', 'kafka-server-stop.sh'), { timeout: 10_000 }).stdout.toString()).toContain('No kafka server to stop');
    expect(await fromRepo.stop()).toBe(0);
  });
});

describe('stand-in Kafka distribution: ZooKeeper mode against a real ZooKeeper', () => {
  let zk: ZooKeeperServer;
  const stores: StateStore[] = [];
  beforeAll(async () => {
    zk = await startZooKeeper();
  }, 30_000);
  afterAll(async () => {
    for (const s of stores.splice(0)) await s.close();
    await zk?.stop();
  });

  async function node(parent: string): Promise<StateStore> {
    const s = await parseStorage(`zk://${zk.connect}/kafka${parent}`, { operationTimeoutMs: 5_000 });
    stores.push(s);
    return s;
  }

  it('registers /brokers/ids/<id>, keeps topics in ZooKeeper, and drops a stopped broker', async () => {
    const dir = tmp('kafka-fixture-');
    const props = (id: number) => ({ 'broker.id': id, 'zookeeper.connect': `${zk.connect}/kafka`, 'zookeeper.session.timeout.ms': 2000 });
    const brokers = [await startBroker(dir, 0, props(0)), await startBroker(dir, 1, props(1))];
    const ids = await node('/brokers/ids');
    expect(await ids.keys()).toEqual(['0', '1']);
    expect((await ids.get('1'))!.value).toMatchObject({ host: '127.0.0.1', port: brokers[1]!.port, endpoints: [`PLAINTEXT://127.0.0.1:${brokers[1]!.port}`], version: 5 });
    expect(readFileSync(path.join(dir, 'data-1', 'meta.properties'), 'utf8')).toMatch(/broker\.id=1/);
    // A log dir from another cluster is refused before the broker registers.
    mkdirSync(path.join(dir, 'foreign'));
    writeFileSync(path.join(dir, 'foreign', 'meta.properties'), 'version=0\nbroker.id=5\ncluster.id=otherCluster\n');
    const foreign = await failingBroker(dir, { ...props(5), 'log.dirs': path.join(dir, 'foreign'), listeners: 'PLAINTEXT://127.0.0.1:0' });
    expect(foreign).toMatchObject({ code: 1, output: expect.stringContaining("stored clusterId otherCluster in") });
    expect(await ids.keys()).toEqual(['0', '1']);

    const a = await admin(brokers);
    const cluster = await a.describeCluster();
    expect(cluster.brokers.map((b) => b.nodeId)).toEqual([0, 1]);
    expect(cluster.controller).toBe(0);
    expect(cluster.clusterId).toBe(((await (await node('/cluster')).get('id'))!.value as { id: string }).id);

    await a.createTopics({ topics: [{ topic: 'zt', numPartitions: 2, replicationFactor: 2, configEntries: [{ name: 'retention.ms', value: '5000' }] }] });
    expect((await (await node('/brokers/topics')).get('zt'))!.value).toMatchObject({ partitions: { '0': [0, 1], '1': [1, 0] } });
    expect((await (await node('/config/topics')).get('zt'))!.value).toEqual({ version: 1, config: { 'retention.ms': '5000' } });

    expect(await brokers[0]!.stop()).toBe(0);
    expect(await ids.keys()).toEqual(['1']);
    const { topics } = await a.fetchTopicMetadata({ topics: ['zt'] });
    expect(topics[0]!.partitions.map((p) => [p.leader, p.isr])).toEqual([[1, [1]], [1, [1]]]);
    expect((await a.describeCluster()).controller).toBe(1);

    // Restarted as the executor may do it: identity through --override, the same log dir.
    const { 'broker.id': _, ...withoutId } = props(0);
    const restarted = await startBroker(dir, 0, withoutId, { args: ['--override', 'broker.id=0'] });
    expect(await ids.keys()).toEqual(['0', '1']);
    expect(await a.listTopics()).toEqual(['zt']);

    // kill -9 leaves /brokers/ids/0 until the ZooKeeper session expires; a new start waits for that.
    restarted.child.kill('SIGKILL');
    await exited(restarted.child);
    expect(await ids.keys()).toEqual(['0', '1']);
    const again = await startBroker(dir, 0, props(0));
    expect(again.output()).toContain('/brokers/ids/0 is still held by an earlier session; waiting for it to expire');
    expect((await ids.get('0'))!.value).toMatchObject({ port: again.port });
    expect(await again.stop()).toBe(0);
    expect(await brokers[1]!.stop()).toBe(0);
  }, 20_000);
});
