import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../domain/config.js';
import type { CassandraNode } from '../domain/node.js';
import { MemoryRingService } from './memory-ring-service.js';
import { apiRouter } from './routes.js';

const node = (name: string, ip: string, seed: boolean, over: Partial<CassandraNode> = {}): CassandraNode => ({
  name,
  agentId: `agent-${ip}`,
  hostname: ip,
  ip,
  seed,
  targetRunState: 'RUN',
  ports: { storage: 31000, native: 31001, jmx: 31002 },
  taskState: 'TASK_RUNNING',
  health: { mode: 'NORMAL', healthy: true, loadBytes: 10, at: 1 },
  lastLaunchAt: 1,
  ...over,
});

function setup() {
  const stored: unknown[] = [];
  const service = new MemoryRingService(
    { ring: { config: { ...DEFAULTS, nodeCount: 2, seedCount: 1 }, nodes: [node('node-0', '127.0.0.1', true), node('node-1', '127.0.0.2', false)] }, jobs: { last: {} } },
    async (s) => void stored.push(s),
    () => 5,
    true,
  );
  return { router: apiRouter(service), service, stored };
}

describe('REST API', () => {
  it.each([
    ['GET', '/node/seed/all', 200, { seeds: ['127.0.0.1'], nativePort: 31001 }],
    ['GET', '/live-nodes?limit=1', 200, { liveNodes: ['127.0.0.1'] }],
    ['GET', '/health/cluster', 200, { healthy: true }],
    ['GET', '/health/process', 200, { healthy: true }],
    ['POST', '/scale/nodes?nodeCount=3', 200, { oldNodeCount: 2, newNodeCount: 3 }],
    ['POST', '/node/127.0.0.2/stop', 200, { name: 'node-1', targetRunState: 'STOP' }],
    ['POST', '/cluster/repair/start', 200, { started: true }],
  ])('%s %s → %d', async (method, url, status, body) => {
    const { router } = setup();
    const reply = await router.dispatch(method, url, '');
    expect(reply.status).toBe(status);
    expect(reply.body).toMatchObject(body);
  });

  it.each([
    ['POST', '/scale/nodes?nodeCount=1', 400, /below the current 2 nodes/],
    ['POST', '/scale/nodes?nodeCount=abc', 400, /not a whole number/],
    ['POST', '/node/node-0/replace', 409, /ReplaceNodePreconditionFailed: .*seed/],
    ['POST', '/node/node-1/replace', 409, /is live/],
    ['POST', '/node/10.9.9.9/stop', 404, /no node '10.9.9.9'/],
    ['POST', '/node/node-1/explode', 400, /unknown node action/],
    ['POST', '/cluster/defrag/start', 400, /unknown cluster job/],
    ['GET', '/live-nodes?limit=-2', 400, /limit/],
  ])('%s %s → %d, nothing stored', async (method, url, status, message) => {
    const { router, stored, service } = setup();
    const before = JSON.stringify(service.snapshot());
    const reply = await router.dispatch(method, url, '');
    expect(reply.status).toBe(status);
    expect((reply.body as { error: string }).error).toMatch(message);
    expect(stored).toHaveLength(0);
    expect(JSON.stringify(service.snapshot())).toBe(before);
  });

  it('health/cluster is 500 while a node is down', async () => {
    const { router } = setup();
    await router.dispatch('POST', '/scale/nodes?nodeCount=3', '');
    const reply = await router.dispatch('GET', '/health/cluster', '');
    expect(reply.status).toBe(500);
    expect((reply.body as { error: string }).error).toMatch(/2\/3 nodes/);
  });
});
