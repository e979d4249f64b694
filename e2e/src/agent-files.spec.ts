// The agent's /files/read and /files/download on a real agent: a sandbox file reads fine, while '..' paths,
// absolute paths outside the sandboxes, relative paths and symlinks a task made to point outside are refused
// with a 4xx that leaks nothing of the target.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestScheduler } from '@mesos-ts/master/testing';
import { Cluster, commandTask, launch, sandboxOf, terminal, startSubscribedCluster, type SubscribedCluster } from './harness/daemons.js';

let started: SubscribedCluster | undefined;
let cluster: Cluster;
let s: TestScheduler;
let sandbox = '';

// One task prepares the sandbox once: a normal file and two symlinks leading out of it.
beforeAll(async () => {
  started = await startSubscribedCluster({ name: 'e2e-files' });
  ({ cluster, s } = started);
  const [offer] = await s.nextOffers(10_000);
  await launch(s, offer!, [commandTask('files', offer!, 'echo sandbox-ok > hello.txt && ln -s /etc/passwd escape && ln -s / rootdir')]);
  const ended = await terminal(s, 'files');
  expect(ended.state).toBe('TASK_FINISHED');
  sandbox = sandboxOf(cluster.agentDir('agent-1'), ended.agent_id!.value, s.frameworkId!, 'files');
});

afterAll(async () => {
  await started?.stop();
});

function get(endpoint: 'read' | 'download', file: string): Promise<Response> {
  const extra = endpoint === 'read' ? '&offset=0&length=4096' : '';
  return fetch(`http://${cluster.agents[0]!.address}/files/${endpoint}?path=${encodeURIComponent(file)}${extra}`);
}

describe.each(['read', 'download'] as const)('/files/%s', (endpoint) => {
  it('serves a file of the sandbox', async () => {
    const res = await get(endpoint, `${sandbox}/hello.txt`);
    expect(res.status).toBe(200);
    const body = await res.text();
    if (endpoint === 'read') expect(JSON.parse(body)).toEqual({ data: 'sandbox-ok\n', offset: 0 });
    else expect(body).toBe('sandbox-ok\n');
  });

  it.each([
    ['a ".." escape', () => `${sandbox}/../../../../../../../../etc/passwd`],
    ['an absolute path outside the sandboxes', () => '/etc/passwd'],
    ['a relative path', () => 'etc/passwd'],
    ['a symlink to a file outside the sandbox', () => `${sandbox}/escape`],
    ['a path through a symlink to /', () => `${sandbox}/rootdir/etc/passwd`],
  ])('refuses %s with a 4xx', async (_what, file) => {
    const res = await get(endpoint, file());
    const body = await res.text();
    expect(res.status, body).toBeGreaterThanOrEqual(400);
    expect(res.status, body).toBeLessThan(500);
    expect(body).not.toContain('root:');
  });
});
