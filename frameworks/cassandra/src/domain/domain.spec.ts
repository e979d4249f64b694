import { describe, expect, it } from 'vitest';
import { ensureNodes, replaceDeadNode, scaleNodes, setRunState, setSeed, type RingState } from './commands.js';
import { DEFAULTS, configFromEnv, effectiveConfig } from './config.js';
import { isCassandraError } from './errors.js';
import type { CassandraNode } from './node.js';
import { decidePlacement, needsOffers } from './placement.js';
import { seedList } from './seeds.js';

const healthy = (name: string, agent: string, ip: string, seed: boolean, launchedAt = 1): CassandraNode => ({
  name,
  agentId: agent,
  hostname: ip,
  ip,
  seed,
  targetRunState: 'RUN',
  ports: { storage: 7000, native: 9042, jmx: 7199 },
  taskState: 'TASK_RUNNING',
  health: { mode: 'NORMAL', healthy: true, loadBytes: 0, at: 1 },
  lastLaunchAt: launchedAt,
});

const ring = (nodes: CassandraNode[], over: Partial<typeof DEFAULTS> = {}): RingState => ({ config: { ...DEFAULTS, nodeCount: 2, seedCount: 1, bootstrapGraceTimeSeconds: 10, ...over }, nodes });

describe('configFromEnv', () => {
  it.each([
    [{}, { nodeCount: 3, seedCount: 2, memMb: 2048, heapMb: 512 }],
    [{ CASSANDRA_NODE_COUNT: '2', CASSANDRA_SEED_COUNT: '1', CASSANDRA_RESOURCE_MEM_MB: '1024', CASSANDRA_RESOURCE_HEAP_MB: '256' }, { nodeCount: 2, seedCount: 1, memMb: 1024, heapMb: 256 }],
    [{ CASSANDRA_CLUSTER_NAME: 'dev-test', CASSANDRA_BOOTSTRAP_GRACE_TIME_SECONDS: '0' }, { clusterName: 'dev-test', bootstrapGraceTimeSeconds: 0 }],
  ])('%j gives %j', (env, expected) => {
    expect(configFromEnv(env)).toMatchObject(expected);
  });

  it.each([
    [{ CASSANDRA_NODE_COUNT: 'three' }, /CASSANDRA_NODE_COUNT='three' is not a whole number/],
    [{ CASSANDRA_NODE_COUNT: '2.5' }, /CASSANDRA_NODE_COUNT/],
    [{ CASSANDRA_RESOURCE_CPU_CORES: '-1' }, /CASSANDRA_RESOURCE_CPU_CORES='-1'/],
    [{ CASSANDRA_NODE_COUNT: '1', CASSANDRA_SEED_COUNT: '2' }, /exceeds CASSANDRA_NODE_COUNT/],
    [{ CASSANDRA_FRAMEWORK_MESOS_ROLE: 'a/b' }, /CASSANDRA_FRAMEWORK_MESOS_ROLE='a\/b'/],
    [{ CASSANDRA_RESOURCE_MEM_MB: '512', CASSANDRA_RESOURCE_HEAP_MB: '512' }, /must be below/],
  ])('%j is refused: %s', (env, message) => {
    expect(() => configFromEnv(env)).toThrow(message);
  });

  it('stored config wins over the environment', () => {
    const stored = { ...DEFAULTS, nodeCount: 5 };
    expect(effectiveConfig(stored, { CASSANDRA_NODE_COUNT: '2' })).toEqual({ config: stored, source: 'stored' });
    expect(effectiveConfig(undefined, { CASSANDRA_NODE_COUNT: '2' }).source).toBe('env');
  });
});

describe('commands', () => {
  it('ensureNodes makes seeds first, up to nodeCount', () => {
    const s = ensureNodes(ring([], { nodeCount: 3, seedCount: 1 }));
    expect(s.nodes.map((n) => [n.name, n.seed])).toEqual([['node-0', true], ['node-1', false], ['node-2', false]]);
  });

  it.each([
    ['3', null, 3],
    ['1', 'SCALE_DOWN', 2],
    ['x', 'INVALID_PARAMETER', 2],
    [null, 'INVALID_PARAMETER', 2],
  ] as const)('scale nodeCount=%s → %s', (raw, code, count) => {
    const s = ring([healthy('node-0', 'a', '127.0.0.1', true), healthy('node-1', 'b', '127.0.0.2', false)]);
    if (code === null) expect(scaleNodes(s, raw).config.nodeCount).toBe(count);
    else expect(() => scaleNodes(s, raw)).toThrow(expect.objectContaining({ code }));
  });

  it.each([
    ['node-0', 'a seed'],
    ['node-1', 'is live'],
    ['nope', 'no node'],
  ])('replace %s is refused (%s) and nothing changes', (key, why) => {
    const s = ring([healthy('node-0', 'a', '127.0.0.1', true), healthy('node-1', 'b', '127.0.0.2', false)]);
    const before = JSON.stringify(s);
    expect(() => replaceDeadNode(s, key)).toThrow(why);
    expect(JSON.stringify(s)).toBe(before);
  });

  it('replace of a terminated, dead non-seed adds a node marked with its ip', () => {
    const dead = { ...healthy('node-1', 'b', '127.0.0.2', false), targetRunState: 'TERMINATE' as const, taskState: 'TASK_KILLED' };
    const { state, node } = replaceDeadNode(ring([healthy('node-0', 'a', '127.0.0.1', true), dead]), '127.0.0.2');
    expect(node).toMatchObject({ name: 'node-2', seed: false, replacementForIp: '127.0.0.2', replacementForPort: 7000, ports: { storage: 7000, native: 9042, jmx: 7199 }, targetRunState: 'RUN' });
    expect(state.nodes).toHaveLength(3);
  });

  it('terminate is final', () => {
    const s = ring([healthy('node-0', 'a', '127.0.0.1', true)]);
    const t = setRunState(s, 'node-0', 'terminate').state;
    expect(() => setRunState(t, 'node-0', 'start')).toThrow(/TERMINATE is final/);
  });

  it('the last live seed cannot be demoted', () => {
    const s = ring([healthy('node-0', 'a', '127.0.0.1', true), healthy('node-1', 'b', '127.0.0.2', false)]);
    expect(() => setSeed(s, 'node-0', false)).toThrow(/last live seed/);
    const two = setSeed(s, 'node-1', true).state;
    expect(setSeed(two, 'node-0', false).node.seed).toBe(false);
  });
});

describe('decidePlacement', () => {
  const offerA = { agentId: 'a', hostname: '127.0.0.1' };
  const offerB = { agentId: 'b', hostname: '127.0.0.2' };
  const offerC = { agentId: 'c', hostname: '127.0.0.3' };
  const fresh = (name: string, seed: boolean): CassandraNode => ({ name, seed, targetRunState: 'RUN' });

  it.each([
    ['seed first', ring([fresh('node-0', true), fresh('node-1', false)]), offerA, 100_000, 'launch:node-0'],
    ['non-seed waits for a healthy seed', ring([{ ...fresh('node-0', true), agentId: 'a', taskState: 'TASK_STAGING', lastLaunchAt: 1 }, fresh('node-1', false)]), offerB, 100_000, 'decline'],
    ['non-seed after the seed, past the grace', ring([healthy('node-0', 'a', '127.0.0.1', true, 1_000), fresh('node-1', false)]), offerB, 20_000, 'launch:node-1'],
    ['within the bootstrap grace', ring([healthy('node-0', 'a', '127.0.0.1', true, 15_000), fresh('node-1', false)]), offerB, 20_000, 'decline'],
    ['one node per agent', ring([healthy('node-0', 'a', '127.0.0.1', true, 1_000), fresh('node-1', false)]), offerA, 100_000, 'decline'],
    ['a failed node returns to its agent without grace', ring([healthy('node-0', 'a', '127.0.0.1', true, 99_000), { ...healthy('node-1', 'b', '127.0.0.2', false, 99_000), taskState: 'TASK_FAILED' }]), offerB, 100_000, 'launch:node-1'],
    ['a failed node is not moved to another agent', ring([healthy('node-0', 'a', '127.0.0.1', true), { ...healthy('node-1', 'b', '127.0.0.2', false), taskState: 'TASK_FAILED' }]), offerC, 100_000, 'decline'],
  ])('%s', (_name, state, offer, now, expected) => {
    const d = decidePlacement(state, offer, now);
    expect(d.kind === 'launch' ? `launch:${d.node.name}` : 'decline').toBe(expected);
  });

  it('needs offers only while a node should run and does not', () => {
    expect(needsOffers(ring([healthy('node-0', 'a', '127.0.0.1', true)]))).toBe(false);
    expect(needsOffers(ring([healthy('node-0', 'a', '127.0.0.1', true), fresh('node-1', false)]))).toBe(true);
  });

  it('seed list is ip:storagePort of placed seeds', () => {
    expect(seedList([healthy('node-0', 'a', '127.0.0.1', true), healthy('node-1', 'b', '127.0.0.2', false)])).toEqual(['127.0.0.1:7000']);
  });

  it('errors are typed', () => {
    try {
      scaleNodes(ring([]), 'x');
    } catch (e) {
      expect(isCassandraError(e, 'INVALID_PARAMETER')).toBe(true);
    }
  });
});

describe('jobs', () => {
  it('visits every healthy node one at a time, then is last', async () => {
    const { startJob, nextJobNode, jobNodeDone, jobStatus } = await import('./jobs.js');
    const nodes = [healthy('node-0', 'a', '127.0.0.1', true), healthy('node-1', 'b', '127.0.0.2', false)];
    let jobs = startJob({ last: {} }, 'repair', nodes, 1);
    expect(() => startJob(jobs, 'cleanup', nodes, 2)).toThrow(/is running/);
    const first = nextJobNode(jobs);
    expect(first.node).toBe('node-0');
    expect(nextJobNode(first.jobs).node).toBeUndefined();
    jobs = jobNodeDone(first.jobs, 'node-0', true, 'ok', 3);
    const second = nextJobNode(jobs);
    expect(second.node).toBe('node-1');
    jobs = jobNodeDone(second.jobs, 'node-1', true, 'ok', 4);
    expect(jobStatus(jobs, 'repair')).toMatchObject({ running: false, job: { finishedAt: 4, completed: [{ node: 'node-0' }, { node: 'node-1' }] } });
  });
});

describe('nodeLaunch', () => {
  it.each([
    [undefined, false],
    ['127.0.0.2', true],
  ])('replacementForIp=%s → replace_address_first_boot %s', async (replacementForIp, has) => {
    const { nodeLaunch } = await import('./node-launch.js');
    const launch = nodeLaunch({
      config: { ...DEFAULTS, clusterName: "it's", heapMb: 256 },
      node: { name: 'node-1', replacementForIp },
      address: '127.0.0.3',
      ports: { storage: 31000, native: 31001, jmx: 31002 },
      seeds: ['127.0.0.1:31010'],
      volumeDir: '/sandbox/volume',
    });
    expect(launch.cassandraYaml).toContain("cluster_name: 'it''s'");
    expect(launch.cassandraYaml).toContain('listen_address: 127.0.0.3');
    expect(launch.cassandraYaml).toContain('seeds: "127.0.0.1:31010"');
    expect(launch.cassandraYaml).toContain('commitlog_directory: /sandbox/volume/commitlog');
    expect(launch.env.MAX_HEAP_SIZE).toBe('256M');
    expect(launch.env.JVM_EXTRA_OPTS.includes('-Dcassandra.replace_address_first_boot=127.0.0.2')).toBe(has);
    expect(launch.rackdcProperties).toBe('dc=DC1\nrack=RAC1\n');
  });
});

describe('terminate and replace keep the node count', () => {
  it('a terminated node keeps its slot until replaced; the replacement takes it, once', () => {
    let state = ring([healthy('node-0', 'a0', '127.0.0.1', true), healthy('node-1', 'a1', '127.0.0.2', false)]);
    state = setRunState(state, 'node-1', 'terminate').state;
    state = { ...state, nodes: state.nodes.map((n) => (n.name === 'node-1' ? { ...n, taskState: 'TASK_KILLED' } : n)) };
    expect(ensureNodes(state).nodes.map((n) => n.name)).toEqual(['node-0', 'node-1']);
    const replaced = replaceDeadNode(state, '127.0.0.2');
    expect(replaced.node).toMatchObject({ name: 'node-2', replacementForIp: '127.0.0.2', seed: false });
    expect(replaced.state.nodes.find((n) => n.name === 'node-1')!.replacedBy).toBe('node-2');
    expect(ensureNodes(replaced.state).nodes).toHaveLength(3);
    expect(() => replaceDeadNode(replaced.state, 'node-1')).toThrow(/already replaced by node-2/);
    expect(() => scaleNodes(replaced.state, '1')).toThrow(/below the current 2 nodes/);
  });
});
