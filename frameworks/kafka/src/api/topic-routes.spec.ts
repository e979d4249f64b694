// Topic commands through the CLI and REST API, with a working in-memory TopicService (the kafkajs one runs
// against the stand-in distribution in e2e/src/kafka-executor-standin.spec.ts).
import type http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newBroker, type Broker } from '../domain/broker.js';
import { assignReplicas, formatReplicas, type TopicJson } from '../domain/topic.js';
import { main } from '../cli/main.js';
import { apiRouter, type BrokerService } from './routes.js';
import type { RebalanceRequest, RebalanceResult, TopicAddRequest, TopicService } from './topic-service.js';

class MemoryTopics implements TopicService {
  readonly topics = new Map<string, TopicJson>();
  async names(): Promise<string[]> {
    return [...this.topics.keys()].sort();
  }
  async list(names: readonly string[]): Promise<TopicJson[]> {
    return names.flatMap((n) => this.topics.get(n) ?? []);
  }
  async add(r: TopicAddRequest): Promise<TopicJson[]> {
    const assignment = assignReplicas(r.brokers, r.partitions, r.replicas);
    for (const name of r.names) this.topics.set(name, { name, partitions: Object.fromEntries(assignment.map((a, p) => [String(p), formatReplicas(a)])), options: r.options });
    return this.list(r.names);
  }
  async update(names: readonly string[], options: Record<string, string>): Promise<TopicJson[]> {
    for (const n of names) this.topics.get(n)!.options = { ...this.topics.get(n)!.options, ...options };
    return this.list(names);
  }
  async rebalance(r: RebalanceRequest): Promise<RebalanceResult> {
    for (const n of r.names ?? []) {
      const t = this.topics.get(n)!;
      const assignment = assignReplicas(r.brokers, Object.keys(t.partitions).length, r.replicas);
      t.partitions = Object.fromEntries(assignment.map((a, p) => [String(p), formatReplicas(a)]));
    }
    return { status: r.names === undefined ? 'idle' : 'completed', moving: [], topics: await this.list(r.names ?? []) };
  }
}

const running = (id: number): Broker => ({ ...newBroker(id), active: true, task: { id: `t${id}`, agentId: 'a', executorId: 'e', hostname: 'h', port: 31000 + id, controllerPort: undefined, attributes: {}, state: 'running' } });
const refuse = (): Promise<never> => Promise.reject(new Error('not in this test'));
const brokers: BrokerService = {
  brokers: () => [running(0), running(1), running(2), newBroker(3)],
  now: () => 0,
  unplaced: new Map(),
  add: refuse,
  update: refuse,
  remove: refuse,
  clone: refuse,
  startBrokers: refuse,
  stopBrokers: refuse,
  restart: refuse,
  readLog: refuse,
};

let server: http.Server;
let url: string;
beforeEach(async () => {
  ({ server, url } = await apiRouter(brokers, new MemoryTopics()).listen(0));
});
afterEach(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { env: { KM_API: url }, readFile: () => undefined, out: (t) => void (out += t), err: (t) => void (err += t), scheduler: refuse, executor: refuse });
  return { code, out, err };
}

describe('topic commands', () => {
  it('adds on the selected running brokers, lists, updates and rebalances', async () => {
    expect(await cli('topic', 'add', 't1', '--partitions', '3', '--replicas', '2', '--options', 'retention.ms=60000')).toEqual({
      code: 0,
      err: '',
      out: 'topic added:\n  name: t1\n  partitions: 0:[0, 1], 1:[1, 2], 2:[2, 0]\n  options: retention.ms=60000\n',
    });
    expect((await cli('topic', 'add', 'a0,a1', '--broker', '1..2')).out).toBe('topics added:\n  name: a0\n  partitions: 0:[1]\n\n  name: a1\n  partitions: 0:[1]\n');
    expect((await cli('topic', 'list', 't*')).out).toBe('topic:\n  name: t1\n  partitions: 0:[0, 1], 1:[1, 2], 2:[2, 0]\n  options: retention.ms=60000\n');
    expect((await cli('topic', 'update', 't1', '--options', 'segment.ms=1000')).out).toContain('  options: retention.ms=60000,segment.ms=1000\n');
    expect((await cli('topic', 'rebalance', 't1', '--broker', '0,1', '--replicas', '2')).out).toBe('rebalance completed\ntopic:\n  name: t1\n  partitions: 0:[0, 1], 1:[1, 0], 2:[0, 1]\n  options: retention.ms=60000,segment.ms=1000\n');
    expect((await cli('topic', 'rebalance', 'status')).out).toBe('rebalance idle\n');
  });

  it.each([
    [['topic', 'add', 't2', '--broker', '3'], 'no running broker matches --broker 3'],
    [['topic', 'add', 't2', '--replicas', '4'], 'replicas 4 is more than the 3 selected broker(s)'],
    [['topic', 'add', 't2', '--partitions', 'many'], "invalid partitions 'many'"],
    [['topic', 'update', 't1'], "missing parameter 'options'"],
  ])('%j fails clearly', async (argv, why) => {
    const r = await cli(...argv);
    expect(r.code).toBe(1);
    expect(r.err).toContain(why);
  });
});
