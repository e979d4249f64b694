// Upstream's legacy (v0) routes on a real mesos-master and mesos-agent: /weights (PUT, GET), /quota (POST, GET,
// DELETE), /master/state-summary, /master/tasks(.json) with limit/offset/order and filters, /master/roles.json,
// ?framework_id= / ?slave_id= on /master/state, /frameworks and /slaves, agent /version and /containers, and
// maintenance (legacy routes and the v1 operator calls): schedule, inverse offers to the framework running on a machine in a window, its answer in
// /maintenance/status, /machine/down and /machine/up; the schedule and DOWN machines survive a master restart,
// and an agent on a DOWN machine is refused until the machine is up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubscribedCluster } from './harness/daemons.js';
import { TestScheduler } from '@mesos-ts/master/testing';
import { autoAcknowledge, commandTask, launch, startSubscribedCluster, waitUntil } from './harness/daemons.js';

let c: SubscribedCluster;
let master: string;
let agentUrl: string;
let agentId: string;
let frameworkId: string;

const send = (path: string, method = 'GET', body?: unknown): Promise<Response> =>
  fetch(`${master}${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}) });
const json = async <T = Record<string, unknown>>(path: string): Promise<T> => {
  const r = await send(path);
  if (r.status !== 200) throw new Error(`${path} answered ${r.status}: ${await r.text()}`);
  return (await r.json()) as T;
};

beforeAll(async () => {
  c = await startSubscribedCluster({ name: 'conformance-legacy' });
  master = c.cluster.masterUrl;
  agentUrl = `http://${c.cluster.agents[0]!.address}`;
  frameworkId = c.s.frameworkId as string;
  const [offer] = await c.s.nextOffers(20_000);
  agentId = offer!.agent_id.value;
  await launch(c.s, offer!, [commandTask('sleeper', offer!, 'sleep 600'), commandTask('quick', offer!, 'true')]);
  await c.s.update('sleeper', 'TASK_RUNNING', 20_000);
  await c.s.update('quick', 'TASK_FINISHED', 20_000);
}, 90_000);

afterAll(async () => {
  await c?.stop();
});

describe('legacy master routes', () => {
  it('PUT /weights and /master/weights change weights; GET lists them; bad bodies are 400', async () => {
    expect((await send('/weights', 'PUT', [{ role: 'analytics', weight: 2.5 }])).status).toBe(200);
    expect((await send('/master/weights', 'PUT', [{ role: 'batch', weight: 0.5 }])).status).toBe(200);
    const weights = await json<{ role: string; weight: number }[]>('/weights');
    expect(weights).toEqual(expect.arrayContaining([{ role: 'analytics', weight: 2.5 }, { role: 'batch', weight: 0.5 }]));
    expect((await send('/weights', 'PUT', [{ role: 'x', weight: -1 }])).status).toBe(400);
    expect((await send('/weights', 'DELETE')).status).toBe(405);
    const roles = await json<{ roles: { name: string; weight: number }[] }>('/master/roles.json');
    expect(roles.roles.find((r) => r.name === 'analytics')?.weight).toBe(2.5);
  });

  it('/quota: POST sets guarantee and limit, GET shows it, a second POST is 400, DELETE /quota/<role> removes it', async () => {
    const request = { role: 'analytics', guarantee: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }] };
    expect((await send('/quota', 'POST', request)).status).toBe(200);
    const status = await json<{ infos: { role: string }[]; configs: { role: string; guarantees: Record<string, { value: number }>; limits: Record<string, { value: number }> }[] }>('/master/quota');
    expect(status.infos.map((i) => i.role)).toEqual(['analytics']);
    expect(status.configs[0]).toMatchObject({ role: 'analytics', guarantees: { cpus: { value: 1 } }, limits: { cpus: { value: 1 } } });
    expect((await send('/master/quota', 'POST', request)).status).toBe(400);
    expect((await send('/quota/analytics', 'DELETE')).status).toBe(200);
    expect((await send('/quota/analytics', 'DELETE')).status).toBe(400);
    expect((await json<{ infos: unknown[] }>('/quota')).infos).toEqual([]);
  });

  it('/master/state-summary counts tasks per agent and framework', async () => {
    const summary = await json<{ slaves: Record<string, unknown>[]; frameworks: Record<string, unknown>[] }>('/master/state-summary');
    const fw = summary.frameworks.find((f) => f['id'] === frameworkId);
    expect(fw).toMatchObject({ name: 'conformance-legacy', TASK_RUNNING: 1, TASK_FINISHED: 1, slave_ids: [agentId] });
    expect(summary.slaves.find((s) => s['id'] === agentId)).toMatchObject({ TASK_RUNNING: 1, framework_ids: [frameworkId] });
  });

  it('/master/tasks(.json): limit, offset, order and ?framework_id= / ?task_id=', async () => {
    const ids = async (q: string): Promise<string[]> => (await json<{ tasks: { id: string }[] }>(`/master/tasks.json${q}`)).tasks.map((t) => t.id);
    expect((await ids('')).sort()).toEqual(['quick', 'sleeper']);
    const asc = await ids('?order=asc');
    expect(await ids('?order=des')).toEqual([...asc].reverse());
    expect(await ids('?order=asc&limit=1')).toEqual(asc.slice(0, 1));
    expect(await ids('?order=asc&offset=1')).toEqual(asc.slice(1));
    expect(await ids('?task_id=sleeper')).toEqual(['sleeper']);
    expect(await ids('?framework_id=nobody')).toEqual([]);
    expect((await send('/master/tasks?limit=-3')).status).toBe(400);
  });

  it('?framework_id= and ?slave_id= filter /master/state, /master/frameworks and /master/slaves', async () => {
    const state = await json<{ frameworks: { id: string; tasks: unknown[] }[]; slaves: { id: string }[] }>(`/master/state?framework_id=${frameworkId}`);
    expect(state.frameworks.map((f) => f.id)).toEqual([frameworkId]);
    expect((await json<{ frameworks: unknown[] }>('/master/state?framework_id=nobody')).frameworks).toEqual([]);
    const other = await json<{ frameworks: { tasks: unknown[]; completed_tasks: unknown[] }[]; slaves: unknown[] }>('/master/state?slave_id=no-such-agent');
    expect(other.slaves).toEqual([]);
    expect(other.frameworks[0]?.tasks).toEqual([]);
    expect((await json<{ frameworks: unknown[] }>('/master/frameworks?framework_id=nobody')).frameworks).toEqual([]);
    expect((await json<{ slaves: { id: string }[] }>(`/master/slaves?slave_id=${agentId}`)).slaves.map((s) => s.id)).toEqual([agentId]);
    expect((await json<{ slaves: unknown[] }>('/master/slaves?slave_id=no-such-agent')).slaves).toEqual([]);
  });

  it('the agent serves /version (the master\'s version) and /containers', async () => {
    const masterVersion = (await json<{ version: string }>('/version')).version;
    const agentVersion = (await (await fetch(`${agentUrl}/version`)).json()) as { version: string };
    expect(agentVersion.version).toBe(masterVersion);
    const containers = (await (await fetch(`${agentUrl}/containers`)).json()) as { executor_id: string; framework_id: string; container_id: string }[];
    expect(containers.map((x) => x.executor_id)).toContain('sleeper');
    expect(containers.every((x) => x.framework_id === frameworkId && x.container_id.length > 0)).toBe(true);
  });
});

describe('maintenance', () => {
  it('a schedule sends inverse offers, answers show in /maintenance/status, machines go down and up', async () => {
    const hostname = 'agent-1'; // startAgent's --hostname
    const start = { nanoseconds: Date.now() * 1_000_000 };
    const schedule = { windows: [{ machine_ids: [{ hostname, ip: '127.0.0.1' }], unavailability: { start, duration: { nanoseconds: 3600 * 1e9 } } }] };
    expect((await send('/machine/down', 'POST', [{ hostname, ip: '127.0.0.1' }])).status).toBe(400); // not scheduled
    const from = c.s.events.length;
    expect((await send('/maintenance/schedule', 'POST', schedule)).status).toBe(200);
    expect((await json<{ windows: unknown[] }>('/maintenance/schedule')).windows).toHaveLength(1);
    const event = await c.s.waitFor((e) => e.type === 'INVERSE_OFFERS', 20_000, from);
    const inverse = event.inverse_offers!.inverse_offers![0]!;
    expect(inverse.agent_id?.value).toBe(agentId);
    let status = await json<{ draining_machines: { id: { hostname: string }; statuses?: { status: string }[] }[] }>('/maintenance/status');
    expect(status.draining_machines.map((d) => d.id.hostname)).toEqual([hostname]);
    expect((await c.s.call({ type: 'ACCEPT_INVERSE_OFFERS', accept_inverse_offers: { inverse_offer_ids: [inverse.id] } })).status).toBe(202);
    await waitUntil(async () => (await json<typeof status>('/maintenance/status')).draining_machines[0]?.statuses?.[0]?.status === 'ACCEPT', 10_000, 'the ACCEPT in /maintenance/status');

    expect((await send('/machine/down', 'POST', [{ hostname, ip: '127.0.0.1' }])).status).toBe(200);
    const down = await json<{ draining_machines?: unknown[]; down_machines: { hostname: string }[] }>('/maintenance/status');
    expect(down.down_machines.map((d) => d.hostname)).toEqual([hostname]);
    expect((await json<{ slaves: { id: string; active: boolean }[] }>('/master/slaves')).slaves.find((s) => s.id === agentId)?.active).toBe(false);
    expect((await send('/maintenance/schedule', 'POST', { windows: [] })).status).toBe(400); // a down machine stays scheduled
    expect((await send('/machine/up', 'POST', [{ hostname, ip: '127.0.0.1' }])).status).toBe(200);
    expect((await send('/machine/up', 'POST', [{ hostname, ip: '127.0.0.1' }])).status).toBe(400);
    expect((await json<{ windows?: unknown[] }>('/maintenance/schedule')).windows ?? []).toEqual([]);
    expect((await json<{ slaves: { id: string; active: boolean }[] }>('/master/slaves')).slaves.find((s) => s.id === agentId)?.active).toBe(true);
  });

  it('a framework that starts using a machine after its window was scheduled is asked too', async () => {
    const start = { nanoseconds: Date.now() * 1_000_000 };
    const schedule = { windows: [{ machine_ids: [{ hostname: 'agent-1', ip: '127.0.0.1' }], unavailability: { start, duration: { nanoseconds: 3600 * 1e9 } } }] };
    expect((await send('/maintenance/schedule', 'POST', schedule)).status).toBe(200);
    // The first framework gives its offers back for a minute, so the late one is offered the agent.
    const held = c.s.events.filter((e) => e.type === 'OFFERS').flatMap((e) => e.offers!.offers!.map((o) => o.id));
    expect((await c.s.call({ type: 'DECLINE', decline: { offer_ids: held, filters: { refuse_seconds: 60 } } })).status).toBe(202);
    const late = new TestScheduler(master);
    try {
      expect((await late.subscribe({ name: 'late', checkpoint: true })).type).toBe('SUBSCRIBED');
      const acks = autoAcknowledge(late);
      const [offer] = await late.nextOffers(20_000);
      expect(offer!.unavailability?.start).toBeDefined(); // offers of a machine in a window say so
      await launch(late, offer!, [commandTask('late-task', offer!, 'sleep 600')]);
      const event = await late.waitFor((e) => e.type === 'INVERSE_OFFERS', 20_000);
      expect(event.inverse_offers!.inverse_offers![0]!.agent_id?.value).toBe(agentId);
      acks.stop();
      expect((await late.call({ type: 'TEARDOWN' })).status).toBe(202);
    } finally {
      late.close();
    }
    expect((await send('/maintenance/schedule', 'POST', { windows: [] })).status).toBe(200);
  });

  it('the v1 operator calls GET_MAINTENANCE_SCHEDULE/STATUS, UPDATE_MAINTENANCE_SCHEDULE and START/STOP_MAINTENANCE keep the same books', async () => {
    const operator = (call: unknown): Promise<Response> =>
      fetch(`${master}/api/v1`, { method: 'POST', body: JSON.stringify(call), headers: { 'Content-Type': 'application/json', Accept: 'application/json' } });
    type Status = { type: string; get_maintenance_status: { status: { draining_machines?: { id: { hostname: string } }[]; down_machines?: { hostname: string }[] } } };
    const status = async (): Promise<Status['get_maintenance_status']['status']> => ((await (await operator({ type: 'GET_MAINTENANCE_STATUS' })).json()) as Status).get_maintenance_status.status;
    const machine = { hostname: 'agent-1', ip: '127.0.0.1' };
    const schedule = { windows: [{ machine_ids: [machine], unavailability: { start: { nanoseconds: Date.now() * 1_000_000 }, duration: { nanoseconds: 3600 * 1e9 } } }] };
    const notScheduled = await operator({ type: 'START_MAINTENANCE', start_maintenance: { machines: [machine] } });
    expect([notScheduled.status, await notScheduled.text()]).toEqual([400, expect.stringContaining('agent-1')]);
    expect((await operator({ type: 'UPDATE_MAINTENANCE_SCHEDULE', update_maintenance_schedule: { schedule } })).status).toBe(200);
    const got = (await (await operator({ type: 'GET_MAINTENANCE_SCHEDULE' })).json()) as { type: string; get_maintenance_schedule: { schedule: { windows: { machine_ids: unknown[] }[] } } };
    expect([got.type, got.get_maintenance_schedule.schedule.windows.map((w) => w.machine_ids)]).toEqual(['GET_MAINTENANCE_SCHEDULE', [[machine]]]);
    expect((await json<{ windows: unknown[] }>('/maintenance/schedule')).windows).toHaveLength(1); // the legacy route sees it
    expect((await status()).draining_machines?.map((d) => d.id.hostname)).toEqual(['agent-1']);
    expect((await operator({ type: 'START_MAINTENANCE', start_maintenance: { machines: [machine] } })).status).toBe(200);
    expect((await status()).down_machines).toEqual([machine]);
    expect((await operator({ type: 'STOP_MAINTENANCE', stop_maintenance: { machines: [machine] } })).status).toBe(200);
    expect((await status()).down_machines ?? []).toEqual([]);
    expect((await json<{ windows?: unknown[] }>('/maintenance/schedule')).windows ?? []).toEqual([]); // up leaves the schedule
    expect((await operator({ type: 'UPDATE_MAINTENANCE_SCHEDULE' })).status).toBe(400);
  });

  it('the schedule and DOWN machines survive a master restart; the agent of a DOWN machine is refused until it is up', async () => {
    const hostname = 'agent-1';
    const start = { nanoseconds: Date.now() * 1_000_000 };
    const schedule = { windows: [{ machine_ids: [{ hostname, ip: '127.0.0.1' }], unavailability: { start, duration: { nanoseconds: 3600 * 1e9 } } }] };
    expect((await send('/maintenance/schedule', 'POST', schedule)).status).toBe(200);
    expect((await send('/machine/down', 'POST', [{ hostname, ip: '127.0.0.1' }])).status).toBe(200);

    const port = Number(c.cluster.master!.address.split(':')[1]);
    await c.cluster.master!.kill9();
    await c.cluster.startMaster(port);
    expect((await json<{ windows: unknown[] }>('/maintenance/schedule')).windows).toHaveLength(1);
    expect((await json<{ down_machines: { hostname: string }[] }>('/maintenance/status')).down_machines.map((d) => d.hostname)).toEqual([hostname]);
    const agent = c.cluster.agents[0]!;
    await waitUntil(() => agent.log().includes('is DOWN for maintenance'), 20_000, 'the agent refused: its machine is DOWN');
    const active = async (): Promise<boolean | undefined> => (await json<{ slaves: { id: string; active: boolean }[] }>('/master/slaves')).slaves.find((s) => s.id === agentId)?.active;
    expect(await active()).not.toBe(true);

    expect((await send('/machine/up', 'POST', [{ hostname, ip: '127.0.0.1' }])).status).toBe(200);
    await waitUntil(async () => (await active()) === true, 30_000, 'the agent back once its machine is up');
  }, 90_000);
});
