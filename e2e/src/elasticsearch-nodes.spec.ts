// Two real OpenSearch nodes (the dists tool's distribution) started the way elasticsearch-mesos's executor
// starts them: settings from the framework's domain (seed hosts = running nodes' transport addresses, the
// first node bootstraps as initial cluster manager), each bound to its own loopback address, data on its own
// directory (the volume). Indexes 1,000 documents with one replica, kills one node with SIGKILL, restarts it on
// its data and checks the cluster is green with every document found. The scheduler-driven scenario (offers,
// volumes, REST scaling, web UI) is not here yet.
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nodeSettings, SearchNode } from '@mesos-ts/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDistribution } from '../dists/index.js';
import { freePort } from './harness/ports.js';

const JAVA_OPTS = '-Xms256m -Xmx256m -XX:+UseSerialGC -XX:ActiveProcessorCount=1';
const DOCS = 1_000;

interface Member {
  name: string;
  host: string;
  httpPort: number;
  transportPort: number;
  node?: SearchNode;
}

describe('elasticsearch-mesos nodes: a 2-node OpenSearch cluster formed by the framework settings', () => {
  let home = '';
  let scratch = '';
  const members: Member[] = [];
  const figures: Record<string, number> = {};

  const start = (m: Member, running: Member[], initial: string[]): SearchNode => {
    const dir = path.join(scratch, m.name);
    const node = SearchNode.start({
      home,
      confDir: path.join(dir, 'config'),
      javaOpts: JAVA_OPTS,
      settings: nodeSettings({ clusterName: 'mesos-ha', nodeName: m.name, host: m.host, httpPort: m.httpPort, transportPort: m.transportPort, dataPath: path.join(dir, 'data'), logsPath: path.join(dir, 'logs'), running: running.map((r) => ({ name: r.name, host: r.host, transportPort: r.transportPort })), initialManagers: initial, flavour: 'opensearch' }),
    });
    m.node = node;
    return node;
  };

  const green = async (node: SearchNode, nodes: number): Promise<void> => {
    const { body } = await node.client.cluster.health({ wait_for_status: 'green', wait_for_nodes: String(nodes), timeout: '90s' });
    expect(body.status).toBe('green');
  };

  beforeAll(async () => {
    home = (await ensureDistribution('opensearch')).dir;
    // A root test runs the nodes unprivileged (as the executor does): they need a reachable, readable copy.
    scratch = mkdtempSync(path.join(os.tmpdir(), 'es-nodes-'));
    chmodSync(scratch, 0o755);
    cpSync(home, path.join(scratch, 'dist'), { recursive: true });
    home = path.join(scratch, 'dist');
    for (const [i, host] of ['127.0.0.1', '127.0.0.2'].entries()) members.push({ name: `es-${i}`, host, httpPort: await freePort(), transportPort: await freePort() });
    const t0 = Date.now();
    const first = start(members[0]!, [], [members[0]!.name]);
    expect(await first.waitJoined(1, 120_000)).toBe(true);
    const second = start(members[1]!, [members[0]!], []);
    expect(await second.waitJoined(2, 120_000)).toBe(true);
    await green(first, 2);
    figures.startToGreenSecs = (Date.now() - t0) / 1000;
  }, 300_000);

  afterAll(() => {
    for (const m of members) m.node?.kill();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    console.log('elasticsearch-nodes figures', figures);
  });

  it('indexes 1,000 documents with one replica, survives kill -9 of a node, finds them all', async () => {
    const client = members[0]!.node!.client;
    await client.indices.create({ index: 'docs', body: { settings: { number_of_shards: 2, number_of_replicas: 1 } } });
    const body = Array.from({ length: DOCS }, (_, i) => [{ index: { _index: 'docs', _id: String(i) } }, { n: i, text: `document number ${i}` }]).flat();
    const t = Date.now();
    const bulk = await client.bulk({ body, refresh: 'true' });
    figures.bulkDocsPerSec = Math.round(DOCS / ((Date.now() - t) / 1000));
    expect(bulk.body.errors).toBe(false);
    await green(members[0]!.node!, 2);
    const found = await client.search({ index: 'docs', body: { query: { match: { text: 'document' } } }, track_total_hits: true, size: 0 });
    expect((found.body.hits.total as { value: number }).value).toBe(DOCS);

    const victim = members[1]!;
    const t1 = Date.now();
    victim.node!.kill('SIGKILL');
    await new Promise<void>((r) => (victim.node!.process.exitCode !== null || victim.node!.process.signalCode !== null ? r() : victim.node!.process.once('exit', () => r())));
    const back = start(victim, [members[0]!], []);
    expect(await back.waitJoined(2, 120_000)).toBe(true);
    await green(members[0]!.node!, 2);
    figures.kill9ToGreenSecs = (Date.now() - t1) / 1000;
    const again = await back.client.count({ index: 'docs' });
    expect(again.body.count).toBe(DOCS);
  }, 240_000);
});
