// The agent's HTTP endpoints: /state, /files/*, /monitor/statistics, metrics, operator API.
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { post } from '@mesos-ts/wire';
import { commandTask, framework, startHarness, waitFor, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

async function get(path: string): Promise<{ status: number; text: string; json: () => any }> {
  const res = await fetch(`http://${h!.agent.address}${path}`);
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
}

async function withRunningTask(): Promise<{ sandbox: string }> {
  // Inline command tasks: the endpoints do not care how the task is supervised, and it starts faster.
  h = await startHarness({ flags: ['--command_executor=inline'] });
  h.master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fwh', { checkpoint: true }), task: commandTask('h1', 'echo line1; echo line2; sleep 100') } });
  await h.master.waitForUpdate('h1', 'TASK_RUNNING', 15_000);
  const sandbox = h.agent.frameworks.get('fwh')!.executors.get('h1')!.sandbox;
  await waitFor(() => existsSync(path.join(sandbox, 'stdout')) && readFileSync(path.join(sandbox, 'stdout'), 'utf8') === 'line1\nline2\n', 5000, 'task output');
  return { sandbox };
}

describe('agent HTTP endpoints', () => {
  it('/state has upstream shape', async () => {
    const { sandbox } = await withRunningTask();
    const state = (await get('/state')).json();
    expect(state).toMatchObject({ id: 'fake-agent-1', hostname: '127.0.0.1', flags: { port: '0' } });
    expect(state.resources).toMatchObject({ cpus: 4, mem: 4096, disk: 10000, ports: '[31000-32000]' });
    expect(state.pid).toBe(`slave(1)@${h!.agent.address}`);
    const fw = state.frameworks[0];
    expect(fw).toMatchObject({ id: 'fwh', checkpoint: true });
    expect(fw.executors[0]).toMatchObject({ id: 'h1', source: 'h1', directory: sandbox, queued_tasks: [], completed_tasks: [] });
    expect(fw.executors[0].tasks[0]).toMatchObject({ id: 'h1', state: 'TASK_RUNNING', executor_id: '', slave_id: 'fake-agent-1', framework_id: 'fwh', resources: { cpus: 0.1, mem: 32 } });
    expect(fw.executors[0].tasks[0].statuses.map((s: { state: string }) => s.state)).toEqual(['TASK_STARTING', 'TASK_RUNNING']);
    expect((await get('/state.json')).status).toBe(200);
  });

  it('/files/browse, /files/read and /files/download serve sandboxes', async () => {
    const { sandbox } = await withRunningTask();
    const browse = (await get(`/files/browse?path=${encodeURIComponent(sandbox)}`)).json();
    const stdout = browse.find((e: { path: string }) => e.path === `${sandbox}/stdout`);
    expect(stdout).toMatchObject({ mode: '-rw-r--r--' });
    const size = (await get(`/files/read?path=${encodeURIComponent(`${sandbox}/stdout`)}&offset=-1`)).json();
    expect(size).toEqual({ data: '', offset: 12 });
    const read = (await get(`/files/read?path=${encodeURIComponent(`${sandbox}/stdout`)}&offset=6&length=5`)).json();
    expect(read).toEqual({ data: 'line2', offset: 6 });
    const dl = await get(`/files/download?path=${encodeURIComponent(`${sandbox}/stdout`)}`);
    expect(dl.text).toBe('line1\nline2\n');
  });

  it.each([
    ['a relative path', (s: string) => 'stdout', 400],
    ['a .. segment', (s: string) => `${s}/../../../../../../etc/passwd`, 404],
    ['an absolute path outside', () => '/etc/passwd', 404],
    ['a symlink out of the sandbox', (s: string) => `${s}/escape/passwd`, 404],
    ['a missing file', (s: string) => `${s}/nope`, 404],
    ['no path', () => '', 400],
  ])('/files refuses %s', async (_name, pathOf, status) => {
    const { sandbox } = await withRunningTask();
    symlinkSync('/etc', path.join(sandbox, 'escape'));
    for (const ep of ['/files/read', '/files/download', '/files/browse']) {
      const res = await get(`${ep}?path=${encodeURIComponent(pathOf(sandbox))}`);
      expect(res.status, `${ep} ${pathOf(sandbox)}`).toBe(status);
      expect(res.text).not.toContain('root:');
    }
  });

  it('/monitor/statistics, /metrics/snapshot, /metrics and /health', async () => {
    await withRunningTask();
    const stats = (await get('/monitor/statistics')).json();
    expect(stats).toHaveLength(1);
    expect(stats[0]).toMatchObject({ framework_id: 'fwh', executor_id: 'h1', source: 'h1' });
    expect(stats[0].statistics.mem_rss_bytes).toBeGreaterThan(1_000_000);
    expect(stats[0].statistics.cpus_limit).toBe(0.1);
    expect(stats[0].statistics.mem_limit_bytes).toBe(32 * 1024 * 1024);
    expect(stats[0].statistics.cpus_user_time_secs).toBeGreaterThanOrEqual(0);
    expect(stats[0].statistics.timestamp).toBeGreaterThan(1e9);
    const snap = (await get('/metrics/snapshot')).json();
    expect(snap).toMatchObject({ 'slave/registered': 1, 'slave/tasks_running': 1, 'slave/executors_running': 1, 'slave/tasks_launched': 1, 'slave/cpus_total': 4, 'slave/cpus_used': 0.1 });
    const prom = (await get('/metrics')).text;
    expect(prom).toContain('mesos_slave_tasks_running 1');
    expect((await get('/health')).status).toBe(200);
    expect((await get('/nope')).status).toBe(404);
  });

  it('operator API: GET_HEALTH, GET_FLAGS, GET_STATE, GET_CONTAINERS', async () => {
    await withRunningTask();
    const ask = async (type: string) => {
      const r = await post({ url: `http://${h!.agent.address}/api/v1`, callType: 'mesos.v1.agent.Call', responseType: 'mesos.v1.agent.Response', call: { type: type as 'GET_HEALTH' }, peer: 'agent' });
      if (r.kind !== 'response') throw new Error('redirect');
      return r.body!;
    };
    expect((await ask('GET_HEALTH')).get_health?.healthy).toBe(true);
    expect((await ask('GET_FLAGS')).get_flags?.flags).toContainEqual({ name: 'recover', value: 'reconnect' });
    const state = await ask('GET_STATE');
    expect(state.get_state?.get_tasks?.launched_tasks?.[0]?.task_id.value).toBe('h1');
    expect(state.get_state?.get_frameworks?.frameworks?.[0]?.framework_info.id?.value).toBe('fwh');
    const containers = await ask('GET_CONTAINERS');
    expect(containers.get_containers?.containers?.[0]).toMatchObject({ executor_id: { value: 'h1' } });
    expect(Number(containers.get_containers?.containers?.[0]?.resource_statistics?.mem_rss_bytes)).toBeGreaterThan(0);
    await expect(ask('LAUNCH_CONTAINER')).rejects.toThrow(/not served by this agent/);
  });
});

describe('persistent volumes', () => {
  const volume = (id: string, containerPath: string) => ({
    name: 'disk',
    type: 'SCALAR' as const,
    scalar: { value: 64 },
    reservations: [{ type: 'DYNAMIC' as const, role: 'db', principal: 'p' }],
    disk: { persistence: { id }, volume: { container_path: containerPath, mode: 'RW' as const } },
  });

  it('keeps volume data across tasks and deletes it on DESTROY', async () => {
    h = await startHarness();
    h.master.send({ type: 'CHECKPOINT_RESOURCES', checkpoint_resources: { resources: [volume('v1', 'data')] } });
    const volDir = path.join(h.workDir, 'volumes', 'roles', 'db', 'v1');
    await waitFor(() => existsSync(volDir), 5000, 'volume directory');
    const fw = framework('fwv', { roles: ['db'] });
    h.master.send({ type: 'RUN_TASK', run_task: { framework_info: fw, task: commandTask('w', 'echo persisted > data/file', { resources: [volume('v1', 'data')] }) } });
    await h.master.waitForUpdate('w', 'TASK_FINISHED', 15_000);
    h.master.send({ type: 'RUN_TASK', run_task: { framework_info: fw, task: commandTask('r', 'cat data/file', { resources: [volume('v1', 'data')] }) } });
    await h.master.waitForUpdate('r', 'TASK_FINISHED', 15_000);
    const reader = () => h!.agent.completedFrameworks.flatMap((f) => f.completedExecutors).find((e) => e.id === 'r');
    await waitFor(() => reader() !== undefined, 5000, 'the reader task to complete');
    const readerSandbox = reader()!.sandbox;
    expect(readFileSync(path.join(readerSandbox, 'stdout'), 'utf8')).toBe('persisted\n');
    expect(readFileSync(path.join(volDir, 'file'), 'utf8')).toBe('persisted\n');
    // The checkpoint survives: a restarted agent reports the volume.
    expect(JSON.parse(readFileSync(path.join(h.workDir, 'meta', 'resources', 'resources.json'), 'utf8'))[0].disk.persistence.id).toBe('v1');
    h.master.send({ type: 'CHECKPOINT_RESOURCES', checkpoint_resources: { resources: [] } });
    await waitFor(() => !existsSync(volDir), 5000, 'volume deletion');
  });

  it('reports checkpointed volumes when it registers again', async () => {
    h = await startHarness();
    h.master.send({ type: 'CHECKPOINT_RESOURCES', checkpoint_resources: { resources: [volume('v2', 'd')] } });
    await waitFor(() => existsSync(path.join(h!.workDir, 'volumes', 'roles', 'db', 'v2')), 5000, 'volume');
    await h.crash();
    const from = h.master.calls.length;
    await h.restart();
    const rereg = await h.master.waitForCall((c) => c.type === 'REREGISTER', 10_000, from);
    expect(rereg.reregister?.checkpointed_resources?.[0]?.disk?.persistence?.id).toBe('v2');
  });

  it('refuses a volume container_path that escapes the sandbox', async () => {
    h = await startHarness();
    h.master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fwe'), task: commandTask('esc', 'true', { resources: [volume('v3', '../../outside')] }) } });
    const failed = await h.master.waitForUpdate('esc', 'TASK_FAILED', 15_000);
    expect(failed.status_update?.status.reason).toBe('REASON_CONTAINER_LAUNCH_FAILED');
    expect(failed.status_update?.status.message).toContain('container_path');
  });
});
