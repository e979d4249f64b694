// The v0 routes with upstream's JSON shapes, form-encoded reservation endpoints, metrics and redirects.
import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { agent, master, scheduler } from './harness.js';
import { rawRequest } from './raw-http.js';

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

describe('legacy routes', () => {
  it('serves /master/state (and aliases), frameworks, slaves, tasks and roles in the v0 model', async () => {
    const m = await master(['--cluster=c1']);
    const a = await agent(m, { resources: 'cpus:4;mem:1024;ports:[31000-31009]', attributes: 'rack:r1' });
    const s = scheduler(m);
    await s.subscribe({ role: 'web', name: 'fw-web' });
    const [offer] = await s.nextOffers();
    await s.call({
      type: 'ACCEPT',
      accept: { offer_ids: [(offer as v1.Offer).id], operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 'web-1', task_id: { value: 'web-1' }, agent_id: { value: a.id as string }, command: { value: 'x' }, labels: { labels: [{ key: 'k', value: 'v' }] }, resources: Resources.parse('cpus:1;mem:128;ports:[31000-31000]').toProto() }] } }] },
    });
    await s.update('web-1', 'TASK_RUNNING');

    for (const path of ['/master/state', '/state', '/state.json', '/master/state.json']) {
      const r = await fetch(m.url + path);
      expect(r.status).toBe(200);
      const state = (await r.json()) as Record<string, any>;
      expect(state).toMatchObject({ cluster: 'c1', activated_slaves: 1, leader: m.master.info.pid, hostname: '127.0.0.1' });
      expect(state.flags.port).toBe('0');
      expect(state.slaves[0]).toMatchObject({ id: a.id, hostname: 'fake-agent.local', active: true, attributes: { rack: 'r1' } });
      expect(state.slaves[0].resources).toMatchObject({ cpus: 4, mem: 1024, disk: 0, gpus: 0, ports: '[31000-31009]' });
      expect(state.slaves[0].used_resources).toMatchObject({ cpus: 1, mem: 128, ports: '[31000-31000]' });
      expect(state.frameworks[0]).toMatchObject({ id: s.frameworkId, name: 'fw-web', role: 'web', active: true, connected: true });
      expect(state.frameworks[0].tasks[0]).toMatchObject({ id: 'web-1', state: 'TASK_RUNNING', slave_id: a.id, framework_id: s.frameworkId, role: 'web', labels: [{ key: 'k', value: 'v' }] });
    }
    const frameworks = (await (await fetch(`${m.url}/master/frameworks`)).json()) as Record<string, any>;
    expect(frameworks.frameworks[0].used_resources.cpus).toBe(1);
    const slaves = (await (await fetch(`${m.url}/master/slaves`)).json()) as Record<string, any>;
    expect(slaves.slaves).toHaveLength(1);
    const tasks = (await (await fetch(`${m.url}/master/tasks?limit=10`)).json()) as Record<string, any>;
    expect(tasks.tasks.map((t: { id: string }) => t.id)).toEqual(['web-1']);
    const roles = (await (await fetch(`${m.url}/master/roles`)).json()) as Record<string, any>;
    expect(roles.roles.find((r: { name: string }) => r.name === 'web')).toMatchObject({ weight: 1, frameworks: [s.frameworkId], resources: { cpus: 1 } });

    const snapshot = (await (await fetch(`${m.url}/metrics/snapshot`)).json()) as Record<string, number>;
    expect(snapshot).toMatchObject({ 'master/elected': 1, 'master/slaves_active': 1, 'master/frameworks_active': 1, 'master/tasks_running': 1, 'master/cpus_total': 4, 'master/cpus_used': 1, 'master/mem_total': 1024 });
    expect(snapshot['master/uptime_secs']).toBeGreaterThanOrEqual(0);
    const prom = await (await fetch(`${m.url}/metrics`)).text();
    expect(prom).toContain('# TYPE mesos_master_cpus_total gauge\nmesos_master_cpus_total 4\n');

    expect((await fetch(`${m.url}/health`)).status).toBe(200);
    expect(((await (await fetch(`${m.url}/version`)).json()) as { version: string }).version).toMatch(/^\d/);
    const redirect = await rawRequest(`${m.url}/master/redirect`, { method: 'GET' });
    expect(redirect.status).toBe(307);
    expect(redirect.headers.location).toBe(`//127.0.0.1:${m.port}`);
    expect((await fetch(`${m.url}/master/state`, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`${m.url}/nope`)).status).toBe(404);
  });

  it('reserves, creates and destroys volumes and tears down through form posts', async () => {
    const m = await master();
    const a = await agent(m, { resources: 'cpus:2;mem:512;disk:1000' });
    const reservation = [{ type: 'DYNAMIC', role: 'db', principal: 'ops' }];
    const resources = JSON.stringify([{ name: 'disk', type: 'SCALAR', scalar: { value: 100 }, reservations: reservation }]);
    const post = (path: string, body: string) => rawRequest(m.url + path, { headers: FORM, body });
    expect((await post('/master/reserve', `slaveId=${a.id}&resources=${encodeURIComponent(resources)}`)).status).toBe(202);
    const volume = JSON.stringify([{ name: 'disk', type: 'SCALAR', scalar: { value: 100 }, reservations: reservation, disk: { persistence: { id: 'p1', principal: 'ops' }, volume: { container_path: 'd', mode: 'RW' } } }]);
    expect((await post('/master/create-volumes', `slaveId=${a.id}&volumes=${encodeURIComponent(volume)}`)).status).toBe(202);
    await a.waitFor((e) => (e.checkpoint_resources?.resources ?? []).some((r) => r.disk?.persistence?.id === 'p1'));
    expect((await post('/master/destroy-volumes', `slaveId=${a.id}&volumes=${encodeURIComponent(volume)}`)).status).toBe(202);
    expect((await post('/master/unreserve', `slaveId=${a.id}&resources=${encodeURIComponent(resources)}`)).status).toBe(202);
    expect(m.master.books.agents.get(a.id as string)?.total.reserved().isEmpty()).toBe(true);

    const bad = await post('/master/reserve', `slaveId=${a.id}&resources=not-json`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/Error in parsing 'resources'/);
    expect((await post('/master/reserve', `resources=${encodeURIComponent(resources)}`)).body).toMatch(/Missing 'slaveId'/);
    const tooMuch = JSON.stringify([{ name: 'disk', type: 'SCALAR', scalar: { value: 5000 }, reservations: reservation }]);
    expect((await post('/master/reserve', `slaveId=${a.id}&resources=${encodeURIComponent(tooMuch)}`)).status).toBe(409);

    const s = scheduler(m);
    await s.subscribe();
    expect((await post('/master/teardown', `frameworkId=${s.frameworkId}`)).status).toBe(200);
    expect(m.master.books.frameworks.size).toBe(0);
    expect((await post('/master/teardown', 'frameworkId=nope')).status).toBe(400);
  });
});
