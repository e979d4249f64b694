// Holes closed with no security flag at all (the embedded default): oversized or malformed FrameworkInfo,
// role names and weights are refused with a 400 that does not echo them back; a health check with interval 0
// is a TASK_ERROR; /files answers 404 (no host path) for anything outside the sandboxes; the agent drops a
// client that never finishes its headers. The authorized framework carries on throughout.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestScheduler } from '@mesos-ts/master/testing';
import { Cluster, commandTask, launch, sandboxOf, terminal, startSubscribedCluster, type SubscribedCluster } from './harness/daemons.js';

let started: SubscribedCluster | undefined;
let cluster: Cluster;
let s: TestScheduler;
let sandbox = '';

beforeAll(async () => {
  started = await startSubscribedCluster({ name: 'e2e-security' });
  ({ cluster, s } = started);
  const [offer] = await s.nextOffers(15_000);
  await launch(s, offer!, [
    commandTask('links', offer!, 'echo ok > hello.txt && ln -s /etc escape && mkdir d'),
    commandTask('hc0', offer!, 'sleep 30', 'cpus:0.1;mem:32', { health_check: { type: 'COMMAND', interval_seconds: 0, command: { value: 'true' } } }),
  ]);
  const ended = await terminal(s, 'links', 20_000);
  expect(ended.state).toBe('TASK_FINISHED');
  sandbox = sandboxOf(cluster.agentDir('agent-1'), ended.agent_id!.value, s.frameworkId!, 'links');
}, 60_000);

afterAll(async () => {
  await started?.stop();
});

async function subscribeRaw(info: Record<string, unknown>): Promise<{ status: number; body: string }> {
  const res = await fetch(`${cluster.masterUrl}/api/v1/scheduler`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'x', name: 'x', ...info } } }),
  });
  const body = res.status === 200 ? '' : await res.text();
  if (res.status === 200) await res.body?.cancel();
  return { status: res.status, body };
}

describe('master refuses what it should not store', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a 5 MiB framework name', { name: 'n'.repeat(5 * 1024 * 1024) }],
    ['a role with NUL', { role: 'a\u0000b' }],
    ['a role with a lone surrogate', { role: 'a\ud800' }],
    ['a 5 MiB role', { role: 'r'.repeat(5 * 1024 * 1024) }],
  ])('SUBSCRIBE with %s is a 400 that does not echo it', async (_what, info) => {
    const { status, body } = await subscribeRaw(info);
    expect(status, body.slice(0, 200)).toBe(400);
    expect(body.length).toBeLessThan(1000);
  });

  it.each([1e308, 0, -1])('UPDATE_WEIGHTS with weight %s is a 400', async (weight) => {
    const res = await fetch(`${cluster.masterUrl}/api/v1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'w', weight }] } }),
    });
    expect(res.status, await res.text()).toBe(400);
  });

  it('a health check with interval 0 is a TASK_ERROR; the framework carries on', async () => {
    const st = await terminal(s, 'hc0', 15_000);
    expect(st.state).toBe('TASK_ERROR');
    expect(st.message).toContain('interval_seconds');
    const state = (await (await fetch(`${cluster.masterUrl}/master/state`)).json()) as { frameworks: { name: string }[] };
    expect(state.frameworks.map((f) => f.name)).toContain('e2e-security');
    expect(JSON.stringify(state).length).toBeLessThan(1024 * 1024);
  });
});

describe('agent /files and slow clients', () => {
  it.each([
    ['a symlink out of the sandbox', () => `${sandbox}/escape/passwd`],
    ['the symlink itself', () => `${sandbox}/escape`],
    ['a ".." path', () => `${sandbox}/../../../../etc/passwd`],
    ['/etc/passwd', () => '/etc/passwd'],
  ])('browse/read/download of %s is a 404 naming no host path', async (_what, file) => {
    for (const ep of ['browse', 'read', 'download']) {
      const res = await fetch(`http://${cluster.agents[0]!.address}/files/${ep}?path=${encodeURIComponent(file())}&offset=0`);
      const body = await res.text();
      expect(res.status, `${ep}: ${body}`).toBe(404);
      expect(body).not.toContain('root:');
      expect(body).not.toContain('/etc/passwd\x27 ->');
    }
  });

  it('a forged executor UPDATE (no per-container token) is a 401', async () => {
    const res = await fetch(`http://${cluster.agents[0]!.address}/api/v1/executor`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        type: 'UPDATE',
        framework_id: { value: s.frameworkId },
        executor_id: { value: 'links' },
        update: { status: { task_id: { value: 'links' }, state: 'TASK_FAILED', uuid: Buffer.from('0123456789abcdef').toString('base64') } },
      }),
    });
    expect(res.status, await res.text()).toBe(401);
  });

  it('the sandbox itself still browses', async () => {
    const res = await fetch(`http://${cluster.agents[0]!.address}/files/browse?path=${encodeURIComponent(sandbox)}`);
    expect(res.status).toBe(200);
    const names = ((await res.json()) as { path: string }[]).map((e) => e.path.split('/').pop());
    expect(names).toEqual(expect.arrayContaining(['hello.txt', 'escape', 'd']));
  });

  it('the agent closes a connection whose headers never finish (10 s headers timeout)', async () => {
    const [host, port] = cluster.agents[0]!.address.split(':');
    const started = Date.now();
    const closed = await new Promise<boolean>((resolve) => {
      const sock = net.connect({ port: Number(port), host },  () => sock.write('GET /state HTTP/1.1\r\nHost: x\r\n'));
      const guard = setTimeout(() => {
        sock.destroy();
        resolve(false);
      }, 40_000);
      const done = (): void => {
        clearTimeout(guard);
        sock.destroy();
        resolve(true);
      };
      sock.on('data', (d: Buffer) => {
        if (d.toString().startsWith('HTTP/1.1 4')) done();
      });
      sock.on('end', done);
      sock.on('close', done);
      sock.on('error', () => undefined);
    });
    expect(closed).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_000);
  }, 60_000);
});

describe('agents, volumes and the fetcher', () => {
  async function agentId(): Promise<string> {
    const slaves = (await (await fetch(`${cluster.masterUrl}/master/slaves`)).json()) as { slaves: { id: string; active: boolean }[] };
    return slaves.slaves[0]!.id;
  }

  it("REREGISTER with a real agent's id but without its session token is a 403; the agent stays active", async () => {
    const id = await agentId();
    for (const token of [undefined, 'guessed']) {
      const res = await fetch(`${cluster.masterUrl}/internal/v1/agent`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(token ? { 'Mesos-Agent-Session': token } : {}) },
        body: JSON.stringify({ type: 'REREGISTER', reregister: { agent_info: { hostname: 'evil', id: { value: id }, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1000 } }] }, tasks: [] } }),
      });
      expect(res.status, await res.text()).toBe(403);
    }
    const slaves = (await (await fetch(`${cluster.masterUrl}/master/slaves`)).json()) as { slaves: { id: string; active: boolean; hostname: string }[] };
    expect(slaves.slaves).toHaveLength(1);
    expect(slaves.slaves[0]).toMatchObject({ id, active: true });
    expect(slaves.slaves[0]!.hostname).not.toBe('evil');
  });

  it.each<[string, Record<string, unknown>]>([
    ['a persistence id with a slash', { persistence: { id: '../../etc' }, volume: { container_path: 'data', mode: 'RW' } }],
    ['an absolute container path', { persistence: { id: 'v1' }, volume: { container_path: '/etc', mode: 'RW' } }],
    ['a container path with ..', { persistence: { id: 'v1' }, volume: { container_path: 'a/../../..', mode: 'RW' } }],
    ['a host path', { persistence: { id: 'v1' }, volume: { container_path: 'data', host_path: '/etc', mode: 'RW' } }],
  ])('CREATE_VOLUMES with %s is a 400', async (_what, disk) => {
    const res = await fetch(`${cluster.masterUrl}/api/v1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        type: 'CREATE_VOLUMES',
        create_volumes: {
          agent_id: { value: await agentId() },
          volumes: [{ name: 'disk', type: 'SCALAR', scalar: { value: 1 }, reservations: [{ type: 'DYNAMIC', role: 'r', principal: 'p' }], disk }],
        },
      }),
    });
    const body = await res.text();
    expect(res.status, body).toBe(400);
    expect(body).toMatch(/persistent volume|container_path|Persistence ID/);
  });

  it.runIf(process.getuid?.() === 0)('a task running as nobody cannot fetch file:///etc/shadow (the fetcher reads as the task user)', async () => {
    // Its own cluster: the shared one runs tasks as root (--switch_user=false), where root's reach is the task's.
    const own = new Cluster();
    try {
      await own.startMaster();
      await own.startAgent('agent-u', ['--switch_user=true']);
      const sched = new TestScheduler(own.masterUrl);
      const sub = await sched.subscribe({ name: 'e2e-security-fetch', user: 'root' });
      expect(sub.type).toBe('SUBSCRIBED');
      try {
        const [offer] = await sched.nextOffers(15_000);
        const uris = [{ value: 'file:///etc/shadow' }];
        await launch(sched, offer!, [commandTask('shadow', offer!, 'cat shadow', 'cpus:0.1;mem:32', { command: { value: 'cat shadow', user: 'nobody', uris } })]);
        const st = await terminal(sched, 'shadow', 20_000);
        expect(st.state).toBe('TASK_FAILED');
        expect(st.message).toMatch(/Permission denied/);
      } finally {
        sched.close();
      }
    } finally {
      await own.stop();
    }
  }, 60_000);
});
