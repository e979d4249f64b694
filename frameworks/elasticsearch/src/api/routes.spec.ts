// The API over a real HTTP listener; the cluster behind it is a small in-memory table (the scheduler's part
// is covered end to end in e2e/src/elasticsearch-*.spec.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiListener, pickNode, type ClusterControl, type TaskView } from './routes.js';

const task = (name: string, state: string, http: string): TaskView => ({ id: `t-${name}`, name, agentId: 'S1', hostname: 'h', state, httpAddress: http, transportAddress: 'x:1', health: 'green' });

class Table implements ClusterControl {
  desired = 2;
  list: TaskView[] = [];
  config() {
    return { elasticsearchClusterName: 'mesos-ha', frameworkSecretPath: '************' };
  }
  desiredNodes() {
    return this.desired;
  }
  async setDesiredNodes(n: number) {
    this.desired = n;
  }
  tasks() {
    return this.list;
  }
  connected() {
    return true;
  }
}

describe('REST API', () => {
  const table = new Table();
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer(apiListener(table));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const cases: Array<[string, string, unknown, number, unknown]> = [
    ['GET', '/v1/cluster', undefined, 200, { elasticsearchClusterName: 'mesos-ha', frameworkSecretPath: '************' }],
    ['GET', '/v1/cluster/elasticsearchNodes', undefined, 200, { value: 2 }],
    ['PUT', '/v1/cluster/elasticsearchNodes', { value: 3 }, 200, { value: 3 }],
    ['PUT', '/v1/cluster/elasticsearchNodes', { value: '2' }, 200, { value: 2 }],
    ['PUT', '/v1/cluster/elasticsearchNodes', { value: 0 }, 400, undefined],
    ['PUT', '/v1/cluster/elasticsearchNodes', { nodes: 2 }, 400, undefined],
    ['GET', '/v1/tasks', undefined, 200, []],
    ['GET', '/health', undefined, 200, { healthy: true, nodes: 0 }],
    ['GET', '/v1/es/_cluster/stats', undefined, 503, undefined],
  ];
  it.each(cases)('%s %s %j → %i', async (method, path, body, status, expected) => {
    const res = await fetch(base + path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
    expect(res.status).toBe(status);
    if (expected !== undefined) expect(await res.json()).toEqual(expected);
  });

  it('serves the web page', async () => {
    const res = await fetch(base + '/');
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('id="health"');
  });
});

describe('pickNode', () => {
  const tasks = [task('es-0', 'TASK_STAGING', 'a:1'), task('es-1', 'TASK_RUNNING', 'b:1'), task('es-2', 'TASK_RUNNING', 'c:1')];
  it.each<[string | undefined, string | undefined]>([[undefined, 'b:1'], ['c:1', 'c:1'], ['a:1', undefined], ['zz:1', undefined]])('%s → %s', (req, want) => expect(pickNode(tasks, req)).toBe(want));
});
