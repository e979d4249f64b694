// The master's authentication and authorization in process (the attacks over TLS are in e2e/security-auth):
// run_tasks turns an unauthorized launch into TASK_ERROR, views are filtered per principal, quota above the
// cluster's capacity needs force, agents and operators without credentials get 401 with upstream's realm.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Resources } from '@mesos-ts/resources';
import { basicAuthorization } from '@mesos-ts/wire';
import { agent, master, scheduler } from './harness.js';
import { rawRequest } from './raw-http.js';

const dir = mkdtempSync(join(tmpdir(), 'master-security-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const credentials = join(dir, 'credentials');
writeFileSync(credentials, 'ops ops-secret\nfw fw-secret\n');
const acls = JSON.stringify({
  permissive: false,
  register_frameworks: [{ principals: { type: 'ANY' }, roles: { type: 'ANY' } }],
  register_agents: [{ principals: { type: 'ANY' }, agents: { type: 'ANY' } }],
  run_tasks: [{ principals: { values: ['fw'] }, users: { values: ['nobody'] } }],
  view_frameworks: [{ principals: { values: ['ops'] }, users: { type: 'ANY' } }],
  update_quotas: [{ principals: { values: ['ops'] }, roles: { type: 'ANY' } }],
});
const ops = { Authorization: basicAuthorization('ops', 'ops-secret') };

async function operator(url: string, call: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return rawRequest(`${url}/api/v1`, { headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers }, body: JSON.stringify(call) });
}

describe('ACLs in the master', () => {
  it('run_tasks: a task as a user the principal may not use ends TASK_ERROR (REASON_TASK_UNAUTHORIZED)', async () => {
    const m = await master([`--acls=${acls}`]);
    await agent(m);
    const s = scheduler(m);
    await s.subscribe({ user: 'root', principal: 'fw' });
    const [offer] = await s.nextOffers();
    const task = (id: string, user: string) => ({ name: id, task_id: { value: id }, agent_id: offer!.agent_id, command: { value: 'true', user }, resources: Resources.parse('cpus:0.1;mem:32').toProto() });
    await s.call({ type: 'ACCEPT', accept: { offer_ids: [offer!.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [task('as-root', 'root'), task('as-nobody', 'nobody')] } }] } });
    const denied = await s.waitFor((e) => e.type === 'UPDATE' && e.update?.status.task_id.value === 'as-root');
    expect(denied.update?.status).toMatchObject({ state: 'TASK_ERROR', reason: 'REASON_TASK_UNAUTHORIZED' });
    const allowed = await s.waitFor((e) => e.type === 'UPDATE' && e.update?.status.task_id.value === 'as-nobody');
    expect(allowed.update?.status.state).toBe('TASK_RUNNING');
  });

  it('views: GET_FRAMEWORKS and /master/state list frameworks only to principals allowed to view them', async () => {
    const m = await master([`--acls=${acls}`, `--credentials=${credentials}`]);
    const s = scheduler(m);
    await s.subscribe({ user: 'nobody' });
    const count = async (headers: Record<string, string>): Promise<number> => JSON.parse((await operator(m.url, { type: 'GET_FRAMEWORKS' }, headers)).body).get_frameworks.frameworks?.length ?? 0;
    expect(await count(ops)).toBe(1);
    expect(await count({})).toBe(0);
    expect(await count({ Authorization: basicAuthorization('fw', 'fw-secret') })).toBe(0);
    const state = await rawRequest(`${m.url}/master/state`, { method: 'GET' });
    expect(JSON.parse(state.body).frameworks).toEqual([]);
    // Wrong credentials are refused even where none are required.
    expect((await operator(m.url, { type: 'GET_FRAMEWORKS' }, { Authorization: basicAuthorization('ops', 'wrong') })).status).toBe(401);
  });

  it('quota above the cluster needs force, and update_quotas', async () => {
    const m = await master([`--acls=${acls}`, `--credentials=${credentials}`]);
    await agent(m, { resources: 'cpus:4;mem:4096' });
    const quota = (cpus: number, force: boolean) => ({ type: 'UPDATE_QUOTA', update_quota: { force, quota_configs: [{ role: 'web', guarantees: { cpus: { value: cpus } }, limits: { cpus: { value: cpus } } }] } });
    const over = await operator(m.url, quota(1e9, false), ops);
    expect(over.status).toBe(400);
    expect(over.body).toMatch(/exceed the cluster capacity.*'force'/);
    expect((await operator(m.url, quota(2, false), ops)).status).toBe(200);
    expect((await operator(m.url, quota(1e9, true), {})).status).toBe(403);
    expect((await operator(m.url, quota(1e9, true), ops)).status).toBe(200);
  });
});

describe('reservations and volumes record the authenticated principal', () => {
  it('RESERVE naming another principal as reserver is a 400; naming itself is fine', async () => {
    const m = await master([`--credentials=${credentials}`]);
    const a = await agent(m, { resources: 'cpus:4;mem:4096;disk:1000' });
    const reserve = (principal: string) => ({
      type: 'RESERVE_RESOURCES',
      reserve_resources: { agent_id: { value: a.id as string }, resources: Resources.parse('cpus:1').toProto().map((r) => ({ ...r, reservations: [{ type: 'DYNAMIC', role: 'db', principal }] })) },
    });
    const other = await operator(m.url, reserve('fw'), ops);
    expect(other.status).toBe(400);
    expect(other.body).toMatch(/does not match the principal 'fw'/);
    expect((await operator(m.url, reserve('ops'), ops)).status).toBe(202);
  });
});

describe('authentication in the master', () => {
  it('agents, frameworks and operators without credentials get 401 with the realm to use', async () => {
    const m = await master(['--authenticate_agents', '--authenticate_frameworks', '--authenticate_http_readwrite', `--credentials=${credentials}`]);
    const register = await rawRequest(`${m.url}/internal/v1/agent`, { headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ type: 'REGISTER', register: { agent_info: { hostname: 'x', resources: [] } } }) });
    expect(register.status).toBe(401);
    const subscribe = await rawRequest(`${m.url}/api/v1/scheduler`, { headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'x', name: 'x' } } }) });
    expect(subscribe.status).toBe(401);
    expect(subscribe.headers['www-authenticate']).toBe('Basic realm="mesos-master-scheduler"');
    const weights = await operator(m.url, { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'a', weight: 2 }] } });
    expect(weights.status).toBe(401);
    expect(weights.headers['www-authenticate']).toBe('Basic realm="mesos-master-readwrite"');
    // Read-only calls stay open without --authenticate_http_readonly.
    expect((await operator(m.url, { type: 'GET_HEALTH' })).status).toBe(200);
    expect((await operator(m.url, { type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'a', weight: 2 }] } }, ops)).status).toBe(200);
  });

  it('a master without --credentials ignores Authorization headers (clients configured with a principal still work)', async () => {
    const m = await master();
    expect((await operator(m.url, { type: 'GET_HEALTH' }, { Authorization: basicAuthorization('anyone', 'anything') })).status).toBe(200);
    expect((await operator(m.url, { type: 'GET_HEALTH' }, { Authorization: 'Bearer garbage' })).status).toBe(200);
  });
});
