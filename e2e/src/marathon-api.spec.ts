// Issue 15 on the embedded cluster: mesos-local's startCluster runs the Marathon-style launcher in-process,
// and its /v2 API behaves as Marathon's: create → instances running with $PORT0, scale with a numeric string,
// a killed task is replaced, a cmd update rolls every task to the new version, health checks run by the
// agent kill after maxConsecutiveFailures (0 never kills), bad input gets Marathon's error shapes and changes
// nothing, delete kills everything. Agents have distinct loopback addresses (hostname UNIQUE spreads).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startCluster, type LocalCluster } from '@mesos-ts/cli';
import { waitUntil } from './harness/daemons.js';

interface TaskJson { id: string; host: string; ports: number[]; state: string; version: string; healthCheckResults?: Array<{ alive: boolean }> }
interface AppJson { id: string; container?: unknown; instances: number; version: string; tasksRunning: number; tasks?: TaskJson[]; lastTaskFailure?: { message: string; state: string }; deployments: Array<{ id: string }> }

let cluster: LocalCluster;
let workDir: string;
let api: string;

async function call(method: string, p: string, body?: unknown, raw?: string): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${api}${p}`, { method, headers: { 'Content-Type': 'application/json' }, ...(body === undefined && raw === undefined ? {} : { body: raw ?? JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : { text }, headers: res.headers };
}

async function app(id: string): Promise<AppJson> {
  return (await call('GET', `/v2/apps${id}`)).json.app as AppJson;
}

async function running(id: string, n: number, what: string, extra: (a: AppJson) => boolean = () => true): Promise<AppJson> {
  let last: AppJson | undefined;
  await waitUntil(async () => {
    last = await app(id);
    return last.tasks!.filter((t) => t.state === 'TASK_RUNNING').length === n && last.tasks!.length === n && extra(last);
  }, 30_000, `${what} (last: ${JSON.stringify(last?.tasks?.map((t) => [t.id, t.state, t.host]))})`);
  return last!;
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'marathon-api-'));
  cluster = await startCluster({ numAgents: 2, ip: '127.0.0.1', port: 0, workDir, resources: 'cpus:4;mem:4096;disk:4096', attributes: undefined, allocationInterval: '100ms', verbose: false, launcherPort: 0 });
  api = cluster.launcher!.url;
});

afterAll(async () => {
  await cluster?.stop();
  await rm(workDir, { recursive: true, force: true });
});

describe('Marathon-style launcher on mesos-local', () => {
  it('answers /ping, /v2/info and /v2/leader', async () => {
    expect(String((await call('GET', '/ping')).json.text).trim()).toBe('pong');
    expect((await call('GET', '/v2/info')).json.name).toBe('marathon');
    expect((await call('GET', '/v2/leader')).json.leader).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('creates an app spread over distinct agent addresses, with $PORT0 (and says so on /v2/events)', async () => {
    const controller = new AbortController();
    const stream = await fetch(`${api}/v2/events`, { signal: controller.signal });
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    let events = '';
    const reading = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of stream.body!) events += decoder.decode(chunk as Uint8Array);
    })().catch(() => undefined);
    const res = await call('POST', '/v2/apps', { id: 'group/web', cmd: 'test -n "$PORT0" && exec sleep 1000', cpus: '0.1', mem: 32, instances: 2, constraints: [['hostname', 'UNIQUE']] });
    expect(res.status).toBe(201);
    expect(res.headers.get('marathon-deployment-id')).toMatch(/-/);
    const a = await running('/group/web', 2, 'two web instances');
    expect(new Set(a.tasks!.map((t) => t.host))).toEqual(new Set(['127.0.0.1', '127.0.0.2']));
    expect(a.tasks!.every((t) => t.ports.length === 1 && t.ports[0]! >= 31000)).toBe(true);
    const list = (await call('GET', '/v2/apps?embed=apps.tasks')).json.apps as AppJson[];
    expect(list.map((x) => x.id)).toEqual(['/group/web']);
    await waitUntil(() => events.includes('event: deployment_success'), 10_000, 'deployment_success on /v2/events');
    controller.abort();
    await reading;
    expect(events).toContain('event: event_stream_attached');
    expect(events).toMatch(/event: status_update_event\ndata: \{[^\n]*"taskStatus":"TASK_RUNNING"[^\n]*"appId":"\/group\/web"/);
  });

  it.each([
    ['malformed JSON', 'POST', '/v2/apps', '{"id": "/x", ', 400, undefined],
    ['an unknown field', 'POST', '/v2/apps', JSON.stringify({ id: '/x', cmd: 'sleep 1', instancez: 2 }), 422, '/instancez'],
    ['negative instances', 'POST', '/v2/apps', JSON.stringify({ id: '/x', cmd: 'sleep 1', instances: -1 }), 422, '/instances'],
    ['a duplicate id', 'POST', '/v2/apps', JSON.stringify({ id: '/group/web', cmd: 'sleep 1' }), 409, undefined],
    ['an impossible constraint', 'POST', '/v2/apps', JSON.stringify({ id: '/x', cmd: 'sleep 1', instances: 3, constraints: [['hostname', 'UNIQUE']] }), 422, '/constraints'],
    ['an unknown operator', 'POST', '/v2/apps', JSON.stringify({ id: '/x', cmd: 'sleep 1', constraints: [['hostname', 'NEAR']] }), 422, '/constraints(0)'],
    ['a bad id', 'PUT', '/v2/apps/Bad_Id!', JSON.stringify({ cmd: 'sleep 1' }), 422, '/id'],
  ])('%s gets Marathon\'s error shape and changes nothing', async (_what, method, p, raw, status, detailPath) => {
    const before = await app('/group/web');
    const res = await call(method, p, undefined, raw);
    expect(res.status).toBe(status);
    expect(typeof res.json.message).toBe('string');
    if (detailPath !== undefined) expect((res.json.details as Array<{ path: string; errors: string[] }>).map((d) => d.path)).toContain(detailPath);
    const apps = (await call('GET', '/v2/apps')).json.apps as AppJson[];
    expect(apps.map((x) => x.id)).toEqual(['/group/web']);
    expect((await app('/group/web')).version).toBe(before.version);
  });

  it('scales with a numeric string, replaces a killed task, rolls a cmd update', async () => {
    const before = await app('/group/web');
    const scale = await call('PUT', '/v2/apps/group/web', { instances: '3', constraints: [] }, undefined);
    expect(scale.status).toBe(200);
    expect(scale.json.deploymentId).toBeTypeOf('string');
    await running('/group/web', 3, 'three instances after scaling', (a) => a.deployments.length === 0);
    // Kill one: it is replaced.
    const victim = (await app('/group/web')).tasks![0]!;
    expect((await call('DELETE', `/v2/apps/group/web/tasks/${victim.id}`)).status).toBe(200);
    await running('/group/web', 3, 'a replacement for the killed task', (a) => !a.tasks!.some((t) => t.id === victim.id));
    // A cmd change is a new version: every task is replaced by one of it.
    const update = await call('PUT', '/v2/apps/group/web', { cmd: 'exec sleep 999' });
    expect(update.status).toBe(200);
    const after = await running('/group/web', 3, 'three tasks of the new version', (a) => a.tasks!.every((t) => t.version === a.version));
    expect(after.version).not.toBe(before.version);
    expect((await call('GET', '/v2/apps/group/web/versions')).json.versions as string[]).toHaveLength(3);
  });

  it('a failing HTTP health check kills and replaces after maxConsecutiveFailures; 0 never kills', async () => {
    const check = (max: number) => [{ protocol: 'HTTP', path: '/', portIndex: 0, gracePeriodSeconds: 0, intervalSeconds: 1, timeoutSeconds: 1, maxConsecutiveFailures: max }];
    expect((await call('POST', '/v2/apps', { id: '/sick', cmd: 'exec sleep 1000', cpus: 0.1, mem: 32, healthChecks: check(2), backoffSeconds: 0.2 })).status).toBe(201);
    expect((await call('POST', '/v2/apps', { id: '/informational', cmd: 'exec sleep 1000', cpus: 0.1, mem: 32, healthChecks: check(0) })).status).toBe(201);
    const first = (await running('/sick', 1, 'the sick app running')).tasks![0]!.id;
    await waitUntil(async () => (await app('/sick')).lastTaskFailure !== undefined, 30_000, 'the sick task killed by its health check');
    await running('/sick', 1, 'a replacement of the sick task', (a) => a.tasks![0]!.id !== first);
    const info = await running('/informational', 1, 'the informational app running');
    await waitUntil(async () => (await app('/informational')).tasks![0]?.healthCheckResults?.[0]?.alive === false, 30_000, 'an unhealthy result');
    await new Promise((r) => setTimeout(r, 3_000));
    const later = await app('/informational');
    expect(later.tasks!.map((t) => t.id)).toEqual(info.tasks!.map((t) => t.id));
  });

  it('a DOCKER app is stored and its failure is reported as lastTaskFailure, not a hang', async () => {
    const res = await call('POST', '/v2/apps', { id: '/docker', cpus: 0.1, mem: 32, container: { type: 'DOCKER', docker: { image: 'mesos-ts/no-such-image:0', network: 'HOST' } }, backoffSeconds: 5 });
    expect(res.status).toBe(201);
    expect((await app('/docker')).container).toMatchObject({ type: 'DOCKER', docker: { image: 'mesos-ts/no-such-image:0' } });
    await waitUntil(async () => (await app('/docker')).lastTaskFailure !== undefined, 45_000, 'a lastTaskFailure for the DOCKER app');
    const failure = (await app('/docker')).lastTaskFailure!;
    expect(failure.state).toMatch(/TASK_(FAILED|ERROR|DROPPED|LOST)/);
    expect(failure.message.length).toBeGreaterThan(0);
  });

  it('deletes apps and kills their tasks', async () => {
    // The DOCKER app's deployment never completes: it holds the app until ?force=true.
    const held = await call('DELETE', '/v2/apps/docker');
    expect(held.status).toBe(409);
    expect(held.json.message).toMatch(/App is locked by one or more deployments/);
    expect((await call('DELETE', '/v2/apps/docker?force=true')).status).toBe(200);
    for (const id of ['/group/web', '/sick', '/informational']) expect((await call('DELETE', `/v2/apps${id}`)).status).toBe(200);
    await waitUntil(async () => ((await call('GET', '/v2/tasks')).json.tasks as unknown[]).length === 0, 30_000, 'every task gone');
    expect((await call('GET', '/v2/apps')).json.apps).toEqual([]);
    expect((await call('GET', '/v2/apps/group/web')).status).toBe(404);
  });
});
