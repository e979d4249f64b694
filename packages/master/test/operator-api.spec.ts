// The operator API /api/v1 over real HTTP in both encodings: GET_* views, weights, quota, reservations and
// volumes with offer rescinds and 409, TEARDOWN, agent (de)activation, MARK_AGENT_GONE, SUBSCRIBE events.
import { describe, expect, it } from 'vitest';
import type { master as op, v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { APPLICATION_JSON, APPLICATION_PROTOBUF, decode, encode, isWireError, post, subscribe, type ContentType } from '@mesos-ts/wire';
import type { RunningMaster } from '../src/runtime/start.js';
import { ManualClock } from '@mesos-ts/common';
import { ENCODINGS } from './encodings.js';
import { agent, master, onCleanup, scheduler } from './harness.js';
import { rawRequest } from './raw-http.js';

async function operatorCall(m: RunningMaster, call: op.Call, ct: ContentType): Promise<{ status: number; body: op.Response | undefined; message: string }> {
  try {
    const r = await post({ url: `${m.url}/api/v1`, callType: 'mesos.v1.master.Call', responseType: 'mesos.v1.master.Response', call, contentType: ct });
    if (r.kind !== 'response') throw new Error('redirect');
    return { status: r.status, body: r.body, message: '' };
  } catch (e) {
    if (isWireError(e) && e.status !== undefined) return { status: e.status, body: undefined, message: e.message };
    throw e;
  }
}

const reserved = (text: string, role: string): v1.Resource[] =>
  Resources.parse(text).toProto().map((r) => ({ ...r, reservations: [{ type: 'DYNAMIC' as const, role, principal: 'ops' }] }));

describe.each<[string, ContentType]>([
  ['JSON', APPLICATION_JSON],
  ['protobuf', APPLICATION_PROTOBUF],
])('operator API over %s', (_n, ct) => {
  const operator = (m: RunningMaster, call: op.Call, c: ContentType) => operatorCall(m, call, c);
  it('answers the GET_* calls from the books', async () => {
    const m = await master(['--cluster=test-cluster']);
    const a = await agent(m);
    const s = scheduler(m);
    await s.subscribe({ role: 'web' });
    const [offer] = await s.nextOffers();
    await s.call({
      type: 'ACCEPT',
      accept: {
        offer_ids: [(offer as v1.Offer).id],
        operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 't', task_id: { value: 't' }, agent_id: { value: a.id as string }, resources: Resources.parse('cpus:1;mem:64').toProto(), executor: { executor_id: { value: 'e' }, command: { value: 'x' }, resources: Resources.parse('cpus:0.1;mem:32').toProto() } }] } }],
      },
    });
    await s.update('t', 'TASK_RUNNING');

    expect((await operator(m, { type: 'GET_HEALTH' }, ct)).body?.get_health?.healthy).toBe(true);
    expect((await operator(m, { type: 'GET_FLAGS' }, ct)).body?.get_flags?.flags).toContainEqual({ name: 'cluster', value: 'test-cluster' });
    expect((await operator(m, { type: 'GET_VERSION' }, ct)).body?.get_version?.version_info.version).toMatch(/^\d+\.\d+\.\d+$/);
    const metrics = (await operator(m, { type: 'GET_METRICS', get_metrics: {} }, ct)).body?.get_metrics?.metrics ?? [];
    expect(metrics).toContainEqual({ name: 'master/tasks_running', value: 1 });
    const state = (await operator(m, { type: 'GET_STATE' }, ct)).body?.get_state;
    expect(state?.get_agents?.agents?.[0]?.agent_info.id?.value).toBe(a.id);
    expect(state?.get_frameworks?.frameworks?.[0]?.framework_info.id?.value).toBe(s.frameworkId);
    expect(state?.get_tasks?.tasks?.[0]).toMatchObject({ state: 'TASK_RUNNING', task_id: { value: 't' } });
    const agents = (await operator(m, { type: 'GET_AGENTS' }, ct)).body?.get_agents?.agents ?? [];
    expect(Resources.fromProto(agents[0]?.allocated_resources ?? []).scalar('cpus')).toBeCloseTo(1.1);
    expect((await operator(m, { type: 'GET_FRAMEWORKS' }, ct)).body?.get_frameworks?.frameworks?.[0]?.connected).toBe(true);
    expect((await operator(m, { type: 'GET_EXECUTORS' }, ct)).body?.get_executors?.executors?.[0]?.executor_info.executor_id.value).toBe('e');
    expect((await operator(m, { type: 'GET_TASKS' }, ct)).body?.get_tasks?.tasks).toHaveLength(1);
    const roles = (await operator(m, { type: 'GET_ROLES' }, ct)).body?.get_roles?.roles ?? [];
    expect(roles.find((r) => r.name === 'web')?.frameworks?.[0]?.value).toBe(s.frameworkId);
    const got = (await operator(m, { type: 'GET_MASTER' }, ct)).body?.get_master;
    expect(got?.master_info?.id).toBe(m.master.id);
    expect(got?.master_info?.port).toBe(m.port);

    expect((await operator(m, { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'web', weight: 3 }] } }, ct)).status).toBe(200);
    expect((await operator(m, { type: 'GET_WEIGHTS' }, ct)).body?.get_weights?.weight_infos).toEqual([{ role: 'web', weight: 3 }]);
    expect((await operator(m, { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'web', weight: -1 }] } }, ct)).status).toBe(400);
    const quota = { role: 'web', guarantees: { cpus: { value: 1 } }, limits: { cpus: { value: 2 } } };
    expect((await operator(m, { type: 'UPDATE_QUOTA', update_quota: { quota_configs: [quota] } }, ct)).status).toBe(200);
    expect((await operator(m, { type: 'GET_QUOTA' }, ct)).body?.get_quota?.status.configs).toEqual([quota]);
    expect(m.master.registry.document.quotas).toHaveLength(1);

    expect((await operator(m, { type: 'TEARDOWN', teardown: { framework_id: { value: s.frameworkId as string } } }, ct)).status).toBe(200);
    await a.waitFor((e) => e.type === 'SHUTDOWN_FRAMEWORK');
    expect((await operator(m, { type: 'TEARDOWN', teardown: { framework_id: { value: 'nope' } } }, ct)).status).toBe(400);
  });
});

describe.each(ENCODINGS)('operator reservations and volumes over %s', (_n, ct) => {
  const operator = (m: RunningMaster, call: op.Call) => operatorCall(m, call, ct);
  it('rescinds offers to reserve, creates and destroys a volume, and answers 409 when resources are in use', async () => {
    const m = await master();
    const a = await agent(m, { contentType: ct, resources: 'cpus:2;mem:1024;disk:1000' });
    const s = scheduler(m, ct);
    await s.subscribe();
    const [offer] = await s.nextOffers();
    const agentId = { value: a.id as string };

    expect((await operator(m, { type: 'RESERVE_RESOURCES', reserve_resources: { agent_id: agentId, resources: reserved('cpus:1;disk:500', 'db') } })).status).toBe(202);
    const rescind = await s.waitFor((e) => e.type === 'RESCIND');
    expect(rescind.rescind?.offer_id.value).toBe(offer?.id.value);
    await a.waitFor((e) => e.type === 'CHECKPOINT_RESOURCES' && (e.checkpoint_resources?.resources?.length ?? 0) > 0);

    const volume: v1.Resource = { ...(reserved('disk:500', 'db')[0] as v1.Resource), disk: { persistence: { id: 'v1', principal: 'ops' }, volume: { container_path: 'data', mode: 'RW' } } };
    expect((await operator(m, { type: 'CREATE_VOLUMES', create_volumes: { agent_id: agentId, volumes: [volume] } })).status).toBe(202);
    await a.waitFor((e) => (e.checkpoint_resources?.resources ?? []).some((r) => r.disk?.persistence?.id === 'v1'));
    // Unreserving under a live volume conflicts with the agent's state (409); destroying first works.
    expect((await operator(m, { type: 'UNRESERVE_RESOURCES', unreserve_resources: { agent_id: agentId, resources: reserved('disk:500', 'db') } })).status).toBe(409);
    expect((await operator(m, { type: 'DESTROY_VOLUMES', destroy_volumes: { agent_id: agentId, volumes: [volume] } })).status).toBe(202);
    expect((await operator(m, { type: 'UNRESERVE_RESOURCES', unreserve_resources: { agent_id: agentId, resources: reserved('cpus:1;disk:500', 'db') } })).status).toBe(202);
    expect(m.master.books.agents.get(a.id as string)?.total.reserved().isEmpty()).toBe(true);

    // A running task holds every cpu: reserving one is a conflict. (REVIVE lifts the 5 s filter the rescind left.)
    const pending = s.nextOffers();
    await s.call({ type: 'REVIVE' });
    const [next] = await pending;
    await s.call({
      type: 'ACCEPT',
      accept: { offer_ids: [(next as v1.Offer).id], operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 't', task_id: { value: 't' }, agent_id: agentId, command: { value: 'x' }, resources: Resources.parse('cpus:2;mem:64').toProto() }] } }] },
    });
    await s.update('t', 'TASK_RUNNING');
    const conflict = await operator(m, { type: 'RESERVE_RESOURCES', reserve_resources: { agent_id: agentId, resources: reserved('cpus:1', 'db') } });
    expect(conflict.status).toBe(409);
    expect(conflict.message).toMatch(/not available/);
    expect((await operator(m, { type: 'RESERVE_RESOURCES', reserve_resources: { agent_id: { value: 'nope' }, resources: reserved('cpus:1', 'db') } })).status).toBe(400);
    expect((await operator(m, { type: 'RESERVE_RESOURCES', reserve_resources: { agent_id: agentId, resources: Resources.parse('cpus:1').toProto() } })).status).toBe(400);
  });
});

describe.each<[string, ContentType]>([
  ['JSON', APPLICATION_JSON],
  ['protobuf', APPLICATION_PROTOBUF],
])('operator agent calls and events over %s', (_n, ct) => {
  const operator = (m: RunningMaster, call: op.Call, c: ContentType) => operatorCall(m, call, c);
  it('streams master events to SUBSCRIBE and handles deactivate, reactivate and MARK_AGENT_GONE', async () => {
    const m = await master();
    const stream = await subscribe({ url: `${m.url}/api/v1`, callType: 'mesos.v1.master.Call', eventType: 'mesos.v1.master.Event', call: { type: 'SUBSCRIBE' }, contentType: ct });
    if (stream.kind !== 'stream') throw new Error('redirect');
    onCleanup(() => stream.close());
    const seen: op.Event[] = [];
    const want = async (type: op.Event['type']): Promise<op.Event> => {
      for (;;) {
        const hit = seen.find((e) => e.type === type);
        if (hit) return hit;
        const next = await stream.events.next();
        if (next.done) throw new Error(`stream ended before ${type}`);
        seen.push(next.value);
      }
    };
    expect((await want('SUBSCRIBED')).subscribed?.heartbeat_interval_seconds).toBe(15);
    const a = await agent(m, { contentType: ct });
    expect((await want('AGENT_ADDED')).agent_added?.agent.agent_info.id?.value).toBe(a.id);
    const s = scheduler(m, ct);
    await s.subscribe({ capabilities: [{ type: 'PARTITION_AWARE' }] });
    expect((await want('FRAMEWORK_ADDED')).framework_added?.framework.framework_info.id?.value).toBe(s.frameworkId);
    const [offer] = await s.nextOffers();
    const agentId = { value: a.id as string };
    const accepted = await s.call({
      type: 'ACCEPT',
      accept: { offer_ids: [(offer as v1.Offer).id], operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 't', task_id: { value: 't' }, agent_id: agentId, command: { value: 'x' }, resources: Resources.parse('cpus:1;mem:64').toProto() }] } }] },
    });
    expect(accepted.status).toBe(202);
    expect((await want('TASK_ADDED')).task_added?.task.task_id.value).toBe('t');
    expect((await want('TASK_UPDATED')).task_updated?.state).toBe('TASK_RUNNING');

    expect((await operator(m, { type: 'DEACTIVATE_AGENT', deactivate_agent: { agent_id: agentId } }, ct)).status).toBe(200);
    expect(m.master.books.agents.get(a.id as string)?.deactivated).toBe(true);
    expect((await operator(m, { type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: agentId } }, ct)).status).toBe(200);
    expect((await operator(m, { type: 'DEACTIVATE_AGENT', deactivate_agent: { agent_id: { value: 'nope' } } }, ct)).status).toBe(404);

    expect((await operator(m, { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: agentId } }, ct)).status).toBe(200);
    expect((await s.update('t', 'TASK_GONE_BY_OPERATOR')).reason).toBe('REASON_AGENT_REMOVED_BY_OPERATOR');
    await a.waitFor((e) => e.type === 'SHUTDOWN');
    expect((await want('AGENT_REMOVED')).agent_removed?.agent_id.value).toBe(a.id);
    expect(m.master.registry.document.goneAgents).toEqual([a.id]);
    await expect(a.connect()).rejects.toThrow(/marked gone/);

    await s.call({ type: 'TEARDOWN' });
    expect((await want('FRAMEWORK_REMOVED')).framework_removed?.framework_info.id?.value).toBe(s.frameworkId);
  });
});

describe.each(ENCODINGS)('operator event stream over %s', (_n, ct) => {
  it('sends FRAMEWORK_UPDATED on UPDATE_FRAMEWORK and HEARTBEAT every 15 s of master time', async () => {
    const clock = new ManualClock();
    const m = await master([], undefined, clock);
    const stream = await subscribe({ url: `${m.url}/api/v1`, callType: 'mesos.v1.master.Call', eventType: 'mesos.v1.master.Event', call: { type: 'SUBSCRIBE' }, contentType: ct });
    if (stream.kind !== 'stream') throw new Error('redirect');
    onCleanup(() => stream.close());
    const next = async (): Promise<op.Event> => {
      const r = await stream.events.next();
      if (r.done) throw new Error('operator stream ended');
      return r.value;
    };
    expect((await next()).type).toBe('SUBSCRIBED');
    const s = scheduler(m, ct);
    await s.subscribe({ name: 'before' });
    expect((await next()).type).toBe('FRAMEWORK_ADDED');
    const info = { user: 'test', name: 'after', id: { value: s.frameworkId as string } };
    expect((await s.call({ type: 'UPDATE_FRAMEWORK', update_framework: { framework_info: info } })).status).toBe(200);
    expect((await next()).framework_updated?.framework.framework_info.name).toBe('after');
    clock.advance(15_000);
    expect((await next()).type).toBe('HEARTBEAT');
  });
});

describe.each(ENCODINGS)('operator API status codes over %s', (_n, ct) => {
  const CT = { 'Content-Type': ct };
  const body = (call: op.Call): Uint8Array => encode(ct, 'mesos.v1.master.Call', call);
  const json = ct === APPLICATION_JSON;
  it.each<[string, { method?: string; headers?: Record<string, string>; body?: string | Uint8Array }, number, RegExp]>([
    ['GET is not allowed', { method: 'GET', headers: CT }, 405, /Expecting a 'POST' request/],
    ['a missing Content-Type', { body: body({ type: 'GET_HEALTH' }) }, 400, /Expecting 'Content-Type'/],
    ['a Content-Type with charset', { headers: { 'Content-Type': `${ct}; charset=utf-8` }, body: body({ type: 'GET_HEALTH' }) }, 415, /charset/],
    ['an Accept we cannot serve', { headers: { ...CT, Accept: 'text/html' }, body: body({ type: 'GET_HEALTH' }) }, 406, /Accept/],
    ['a truncated body', { headers: CT, body: json ? '{"type":' : new Uint8Array([0x12, 0x05, 0x0a]) }, 400, /Failed to parse/],
    ['a field of the wrong type', { headers: CT, body: json ? '{"type":"GET_METRICS","get_metrics":{"timeout":5}}' : new Uint8Array([0x0a, 0x01, 0x05]) }, 400, /Failed to parse/],
    ['a 10 MB body', { headers: CT, body: body({ type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'x'.repeat(10 * 1024 * 1024), weight: 1 }] } }) }, 413, /larger than the limit/],
  ])('refuses %s and keeps serving', async (_row, request, status, message) => {
    const m = await master();
    const r = await rawRequest(`${m.url}/api/v1`, request).catch(() => ({ status: 413, body: 'reset after 413: larger than the limit' }));
    expect(r.status).toBe(status);
    expect(r.body).toMatch(message);
    expect((await operatorCall(m, { type: 'GET_HEALTH' }, ct)).body?.get_health?.healthy).toBe(true);
  });

  // Upstream validates `has_type` before dispatching (400 "Expecting 'type' to be present"); an unknown enum
  // value is dropped on decoding (proto2, stout), so the call has no type.
  it('refuses an unknown enum value with 400', async () => {
    const m = await master();
    const r = await rawRequest(`${m.url}/api/v1`, { headers: CT, body: json ? '{"type":"GET_ROCKETS"}' : new Uint8Array([0x08, 0x7f]) });
    expect(r.status).toBe(400);
    expect(r.body).toMatch(/Expecting 'type'/);
  });

  it('answers in the Accept type, whatever the request type', async () => {
    const m = await master();
    for (const accept of [APPLICATION_JSON, APPLICATION_PROTOBUF] as const) {
      const r = await rawRequest(`${m.url}/api/v1`, { headers: { ...CT, Accept: accept }, body: body({ type: 'GET_HEALTH' }) });
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe(accept);
      expect(decode(accept, 'mesos.v1.master.Response', r.bytes)).toMatchObject({ type: 'GET_HEALTH', get_health: { healthy: true } });
    }
  });

  it('answers 501 to calls it does not implement', async () => {
    const m = await master();
    expect((await operatorCall(m, { type: 'GROW_VOLUME' }, ct)).status).toBe(501);
  });

  it('GET_MAINTENANCE_SCHEDULE and GET_MAINTENANCE_STATUS answer the (empty) books', async () => {
    const m = await master();
    const schedule = await operatorCall(m, { type: 'GET_MAINTENANCE_SCHEDULE' }, ct);
    expect([schedule.status, schedule.body]).toMatchObject([200, { type: 'GET_MAINTENANCE_SCHEDULE', get_maintenance_schedule: { schedule: {} } }]);
    const status = await operatorCall(m, { type: 'GET_MAINTENANCE_STATUS' }, ct);
    expect([status.status, status.body]).toMatchObject([200, { type: 'GET_MAINTENANCE_STATUS', get_maintenance_status: { status: {} } }]);
  });

  it('DRAIN_AGENT deactivates the agent and kills its tasks; REACTIVATE_AGENT brings it back', async () => {
    const m = await master();
    const a = await agent(m, { contentType: ct });
    const s = scheduler(m, ct);
    await s.subscribe();
    const [offer] = await s.nextOffers();
    const agentId = { value: a.id as string };
    await s.call({
      type: 'ACCEPT',
      accept: { offer_ids: [(offer as v1.Offer).id], operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 't', task_id: { value: 't' }, agent_id: agentId, command: { value: 'x' }, resources: Resources.parse('cpus:1;mem:64').toProto() }] } }] },
    });
    await s.update('t', 'TASK_RUNNING');
    expect((await operatorCall(m, { type: 'DRAIN_AGENT', drain_agent: { agent_id: agentId } }, ct)).status).toBe(200);
    await a.waitFor((e) => e.type === 'KILL_TASK' && e.kill_task?.task_id.value === 't');
    await s.update('t', 'TASK_KILLED');
    expect(m.master.books.agents.get(a.id as string)).toMatchObject({ deactivated: true, draining: true });
    expect((await operatorCall(m, { type: 'DRAIN_AGENT', drain_agent: { agent_id: { value: 'nope' } } }, ct)).status).toBe(404);
    expect((await operatorCall(m, { type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: agentId } }, ct)).status).toBe(200);
    expect(m.master.books.agents.get(a.id as string)).toMatchObject({ deactivated: false, draining: false });
  });
});
