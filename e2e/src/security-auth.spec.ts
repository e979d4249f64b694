// Issue #21's attacks replayed against a locked-down cluster: HTTPS (LIBPROCESS_SSL_*), every
// --authenticate_* flag, --credentials and ACLs with permissive:false on the master; the agent authenticates
// with its --credential and guards its own endpoints. Every attack is refused (401/403, or a refused TLS
// handshake) while the authorized framework (the scheduler SDK with its credential), the operator and the agent
// carry on: the framework's long task keeps running, a second task finishes, the operator's reservation and
// volume work, mesos-execute runs a task and `mesos frameworks` reads the (filtered) state with --principal/--secret
// over TLS. Executors run as processes (--command_executor=process), so they too reach their agent over TLS.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { SchedulerClient } from '@mesos-ts/scheduler';
import { setClientTls, tlsFromEnv } from '@mesos-ts/wire';
import { waitUntil } from './harness/daemons.js';
import { ACLS, SECRETS, auth, firstRecord, killTasksUnder, request, runCli, spawnBin, tempDir, tlsEnv, type Answer, type Daemon, type Principal } from './security-auth-cluster.js';
import { makeTestPki, type TestPki } from '@mesos-ts/wire/testing';

const tmp = tempDir();
let pki: TestPki;
let ca: Buffer;
let master: Daemon | undefined;
let agent: Daemon | undefined;
let client: SchedulerClient | undefined;
let base = '';
/** What the framework's client reported (errors, disconnections), for failure messages. */
const problems: string[] = [];
let queue: Array<(offer: v1.Offer) => v1.TaskInfo> = [];
let agentId = '';
let frameworkId = '';
const states = new Map<string, string>();

beforeAll(async () => {
  pki = makeTestPki(tmp.dir);
  ca = readFileSync(pki.ca);
  const credentials = path.join(tmp.dir, 'credentials');
  writeFileSync(credentials, JSON.stringify({ credentials: Object.entries(SECRETS).map(([principal, secret]) => ({ principal, secret })) }));
  const acls = path.join(tmp.dir, 'acls.json');
  writeFileSync(acls, JSON.stringify(ACLS));
  const agentCredential = path.join(tmp.dir, 'agent-credential');
  writeFileSync(agentCredential, `agent1 ${SECRETS.agent1}\n`);
  const env = tlsEnv(pki);
  master = await spawnBin(
    'master',
    'mesos-master',
    ['--port=0', '--ip=127.0.0.1', '--registry=in_memory', '--allocation_interval=50ms', '--authenticate_frameworks', '--authenticate_agents', '--authenticate_http_readonly', '--authenticate_http_readwrite', `--credentials=${credentials}`, `--acls=file://${acls}`],
    env,
    /"url":"https:\/\/([^"]+)".*"msg":"mesos-master is serving"/,
  );
  base = `https://${master.address}`;
  agent = await spawnBin(
    'agent',
    'mesos-agent',
    [`--master=${master.address}`, '--ip=127.0.0.1', '--port=0', `--work_dir=${path.join(tmp.dir, 'agent')}`, '--hostname=127.0.0.1', '--resources=cpus:2;mem:1024;disk:1024', '--registration_backoff_factor=50ms', '--switch_user=false', '--command_executor=process', `--fetcher_cache_dir=${path.join(tmp.dir, 'fetch')}`, `--credential=file://${agentCredential}`, `--credentials=${credentials}`, '--authenticate_http_readonly', '--authenticate_http_readwrite', `--acls=file://${acls}`],
    env,
    /"address":"([^"]+)".*"msg":"agent started"/,
  );
  await waitUntil(async () => ((await operator('ops', { type: 'GET_AGENTS' })).body.match(/"agent_info"/g) ?? []).length === 1, 20_000, 'the agent to register');
  agentId = JSON.parse((await operator('ops', { type: 'GET_AGENTS' })).body).get_agents.agents[0].agent_info.id.value;

  // The authorized framework: the SDK over TLS (this process trusts the CA) with its credential.
  setClientTls(tlsFromEnv({ LIBPROCESS_SSL_ENABLED: 'true', LIBPROCESS_SSL_CA_FILE: pki.ca }));
  // Tasks to launch on the next offers; the rest are declined briefly.
  queue = [(offer: v1.Offer) => task('long', offer, 'sleep 120')];
  client = new SchedulerClient({
    master: master.address,
    framework: { user: 'nobody', name: 'authorized', role: 'web', failover_timeout: 3600 },
    credential: { principal: 'fw', secret: SECRETS.fw },
    backoff: { initialMs: 50, maxMs: 500 },
  });
  client.on('subscribed', (info) => void (frameworkId = info.frameworkId));
  client.on('error', (e) => void problems.push(`error: ${e.message}`));
  client.on('disconnected', (d) => void problems.push(`disconnected: ${d.reason}`));
  client.on('update', (s: v1.TaskStatus) => void states.set(s.task_id.value, s.state));
  client.on('offers', async (offers: v1.Offer[]) => {
    for (const offer of offers) {
      const next = queue.shift();
      try {
        if (next) await client!.launch([offer.id], [next(offer)]);
        else await client!.decline([offer.id], { refuse_seconds: 0.2 });
      } catch (e) {
        problems.push(`offer handling: ${(e as Error).message}`);
      }
    }
  });
  client.start();
  await waitUntil(() => states.get('long') === 'TASK_RUNNING', 30_000, 'the authorized framework to run its task').catch((e: Error) => {
    throw new Error(`${e.message}; the client saw ${JSON.stringify(problems.slice(-3))}, task states ${JSON.stringify([...states])}`);
  });
  // A well-behaved framework: no offers while it has nothing to launch (REVIVE when it has).
  await client.suppress();
}, 120_000);

afterAll(async () => {
  setClientTls(null);
  await client?.stop();
  await agent?.stop();
  await master?.stop();
  // Task and executor processes outlive a SIGKILLed agent: sweep those whose sandbox is ours, by pid.
  killTasksUnder(tmp.dir);
  tmp.remove();
});

function task(id: string, offer: v1.Offer, command: string): v1.TaskInfo {
  return { name: id, task_id: { value: id }, agent_id: offer.agent_id, command: { value: command }, resources: Resources.parse('cpus:0.1;mem:32').toProto() };
}

function operator(who: Principal | undefined, call: unknown): Promise<Answer> {
  return request(`${base}/api/v1`, { ca, body: call, headers: who ? { Authorization: auth(who) } : {} });
}

const reserved = (text: string, role: string, principal: string): v1.Resource[] =>
  Resources.parse(text).toProto().map((r) => ({ ...r, reservations: [{ type: 'DYNAMIC' as const, role, principal }] }));

describe('TLS', () => {
  it('plain HTTP to the master gets no answer, and a client that does not trust the CA refuses the server', async () => {
    await expect(fetch(`http://${master!.address}/health`)).rejects.toThrow();
    await expect(request(`${base}/health`, { ca: readFileSync(pki.otherCa) })).rejects.toThrow(/certificate/);
    expect((await request(`${base}/health`, { ca })).status).toBe(200);
  });
});

describe('attacks on the master are refused', () => {
  it('a fake agent registration: 401 without credentials, 403 for a principal not in register_agents', async () => {
    const register = { type: 'REGISTER', register: { agent_info: { hostname: 'fake', resources: Resources.parse('cpus:1000;mem:1000000').toProto() }, version: '1.11.0' } };
    const none = await request(`${base}/internal/v1/agent`, { ca, body: register });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Basic realm="mesos-master-agent"');
    expect((await request(`${base}/internal/v1/agent`, { ca, body: register, headers: { Authorization: auth('evil') } })).status).toBe(403);
    const reregister = { type: 'REREGISTER', agent_id: { value: agentId }, reregister: { agent_info: { hostname: 'agent-1', id: { value: agentId }, resources: [] }, version: '1.11.0' } };
    expect((await request(`${base}/internal/v1/agent`, { ca, body: reregister })).status).toBe(401);
    expect((await request(`${base}/internal/v1/agent`, { ca, body: reregister, headers: { Authorization: auth('evil') } })).status).toBe(403);
    expect((await request(`${base}/internal/v1/agent`, { ca, body: register, headers: { Authorization: basicAuth('agent1', 'guess') } })).status).toBe(401);
  });

  it("re-SUBSCRIBE with another framework's id, then KILL its task: 401 / 403 (400 for a principal mismatch, as upstream)", async () => {
    const sub = (principal: string) => ({ type: 'SUBSCRIBE', framework_id: { value: frameworkId }, subscribe: { framework_info: { user: 'nobody', name: 'thief', role: 'web', principal, id: { value: frameworkId } } } });
    expect((await request(`${base}/api/v1/scheduler`, { ca, body: sub('fw') })).status).toBe(401);
    const asEvil = await request(`${base}/api/v1/scheduler`, { ca, body: sub('evil'), headers: { Authorization: auth('evil') } });
    expect(asEvil.status, asEvil.body).toBe(403);
    const claimingFw = await request(`${base}/api/v1/scheduler`, { ca, body: sub('fw'), headers: { Authorization: auth('evil') } });
    expect(claimingFw.status).toBe(400);
    expect(claimingFw.body).toMatch(/does not match principal 'fw'/);
    const kill = { type: 'KILL', framework_id: { value: frameworkId }, kill: { task_id: { value: 'long' } } };
    expect((await request(`${base}/api/v1/scheduler`, { ca, body: kill, headers: { 'Mesos-Stream-Id': 'guess' } })).status).toBe(401);
    expect((await request(`${base}/api/v1/scheduler`, { ca, body: kill, headers: { Authorization: auth('evil'), 'Mesos-Stream-Id': 'guess' } })).status).toBe(403);
    // A framework of its own in a role it may not use is refused too.
    const own = { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'nobody', name: 'evil', role: 'web', principal: 'evil' } } };
    expect((await request(`${base}/api/v1/scheduler`, { ca, body: own, headers: { Authorization: auth('evil') } })).status).toBe(403);
  });

  it.each<[string, Principal | undefined, () => unknown, number]>([
    ['TEARDOWN without credentials', undefined, () => ({ type: 'TEARDOWN', teardown: { framework_id: { value: frameworkId } } }), 401],
    ['TEARDOWN by another tenant', 'evil', () => ({ type: 'TEARDOWN', teardown: { framework_id: { value: frameworkId } } }), 403],
    ['UPDATE_WEIGHTS by another tenant', 'evil', () => ({ type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'web', weight: 1000 }] } }), 403],
    ['UPDATE_WEIGHTS of a role the operator may not weigh', 'ops', () => ({ type: 'UPDATE_WEIGHTS', update_weights: { weight_infos: [{ role: 'evil', weight: 1000 }] } }), 403],
    ['UPDATE_QUOTA force 1e9 cpus by another tenant', 'evil', () => ({ type: 'UPDATE_QUOTA', update_quota: { force: true, quota_configs: [{ role: 'web', guarantees: { cpus: { value: 1e9 } }, limits: { cpus: { value: 1e9 } } }] } }), 403],
    ['UPDATE_QUOTA 1e9 cpus without force, by the operator', 'ops', () => ({ type: 'UPDATE_QUOTA', update_quota: { quota_configs: [{ role: 'web', guarantees: { cpus: { value: 1e9 } }, limits: { cpus: { value: 1e9 } } }] } }), 400],
    ['RESERVE for another role by the operator', 'ops', () => ({ type: 'RESERVE_RESOURCES', reserve_resources: { agent_id: { value: agentId }, resources: reserved('cpus:0.1', 'web', 'ops') } }), 403],
    ['RESERVE for the operator role by another tenant', 'evil', () => ({ type: 'RESERVE_RESOURCES', reserve_resources: { agent_id: { value: agentId }, resources: reserved('cpus:0.1', 'ops-role', 'evil') } }), 403],
    ['MARK_AGENT_GONE of the live agent by another tenant', 'evil', () => ({ type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: agentId } } }), 403],
    ['MARK_AGENT_GONE without credentials', undefined, () => ({ type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: agentId } } }), 401],
    ['GET_STATE without credentials', undefined, () => ({ type: 'GET_STATE' }), 401],
    ['GET_FLAGS by another tenant', 'evil', () => ({ type: 'GET_FLAGS' }), 403],
  ])('%s: %s', async (_what, who, call, status) => {
    const answer = await operator(who, call());
    expect(answer.status, answer.body).toBe(status);
    if (status === 401) expect(answer.headers['www-authenticate']).toMatch(/^Basic realm="mesos-master-read(only|write)"$/);
  });

  it('legacy routes: 401 without credentials, 403 for /master/teardown by another tenant, filtered /master/state', async () => {
    expect((await request(`${base}/master/state`, { ca })).status).toBe(401);
    const form = { ca, method: 'POST', body: `frameworkId=${frameworkId}`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };
    expect((await request(`${base}/master/teardown`, form)).status).toBe(401);
    expect((await request(`${base}/master/teardown`, { ...form, headers: { ...form.headers, Authorization: auth('evil') } })).status).toBe(403);
    const asEvil = JSON.parse((await request(`${base}/master/state`, { ca, headers: { Authorization: auth('evil') } })).body);
    expect(asEvil.frameworks).toEqual([]);
    const asOps = JSON.parse((await request(`${base}/master/state`, { ca, headers: { Authorization: auth('ops') } })).body);
    expect(asOps.frameworks.map((f: { id: string }) => f.id)).toEqual([frameworkId]);
    expect(JSON.stringify(asOps.flags)).not.toContain(SECRETS.ops);
    expect((await request(`${base}/metrics/snapshot`, { ca, headers: { Authorization: auth('evil') } })).status).toBe(403);
    expect((await request(`${base}/metrics/snapshot`, { ca, headers: { Authorization: auth('ops') } })).status).toBe(200);
  });

  it('operator SUBSCRIBE: 401 without credentials, and the stream shows another tenant no framework', async () => {
    expect((await firstRecord(`${base}/api/v1`, { ca, body: { type: 'SUBSCRIBE' } })).status).toBe(401);
    const frameworksSeenBy = async (who: Principal): Promise<string[]> => {
      const { status, record } = await firstRecord(`${base}/api/v1`, { ca, body: { type: 'SUBSCRIBE' }, headers: { Authorization: auth(who) } });
      expect(status).toBe(200);
      const state = (record as { subscribed: { get_state: { get_frameworks?: { frameworks?: Array<{ framework_info: { id: { value: string } } }> } } } }).subscribed.get_state;
      return (state.get_frameworks?.frameworks ?? []).map((f) => f.framework_info.id.value);
    };
    expect(await frameworksSeenBy('ops')).toEqual([frameworkId]);
    expect(await frameworksSeenBy('evil')).toEqual([]);
  });

  it('the operator reserves, creates and destroys a volume of its role; another tenant cannot destroy it', async () => {
    const disk = reserved('disk:64', 'ops-role', 'ops');
    const volume = { ...disk[0], disk: { persistence: { id: 'ops-vol', principal: 'ops' }, volume: { container_path: 'data', mode: 'RW' } } };
    await retryConflict(() => operator('ops', { type: 'RESERVE_RESOURCES', reserve_resources: { agent_id: { value: agentId }, resources: disk } }), 202);
    await retryConflict(() => operator('ops', { type: 'CREATE_VOLUMES', create_volumes: { agent_id: { value: agentId }, volumes: [volume] } }), 202);
    expect((await operator('evil', { type: 'DESTROY_VOLUMES', destroy_volumes: { agent_id: { value: agentId }, volumes: [volume] } })).status).toBe(403);
    expect((await operator('evil', { type: 'UNRESERVE_RESOURCES', unreserve_resources: { agent_id: { value: agentId }, resources: disk } })).status).toBe(403);
    await retryConflict(() => operator('ops', { type: 'DESTROY_VOLUMES', destroy_volumes: { agent_id: { value: agentId }, volumes: [volume] } }), 202);
    await retryConflict(() => operator('ops', { type: 'UNRESERVE_RESOURCES', unreserve_resources: { agent_id: { value: agentId }, resources: disk } }), 202);
  });
});

describe('attacks on the agent are refused', () => {
  it('a forged executor UPDATE TASK_FINISHED: 401; the agent state needs credentials', async () => {
    const update = {
      type: 'UPDATE',
      framework_id: { value: frameworkId },
      executor_id: { value: 'long' },
      update: { status: { task_id: { value: 'long' }, state: 'TASK_FINISHED', source: 'SOURCE_EXECUTOR', uuid: Buffer.from('0123456789abcdef').toString('base64') } },
    };
    const agentBase = `https://${agent!.address}`;
    expect((await request(`${agentBase}/api/v1/executor`, { ca, body: update })).status).toBe(401);
    expect((await request(`${agentBase}/api/v1/executor`, { ca, body: update, headers: { Authorization: 'Bearer forged' } })).status).toBe(401);
    const state = await request(`${agentBase}/state`, { ca });
    expect(state.status).toBe(401);
    expect(state.headers['www-authenticate']).toBe('Basic realm="mesos-agent-readonly"');
    expect((await request(`${agentBase}/state`, { ca, headers: { Authorization: auth('ops') } })).status).toBe(200);
    expect((await request(`${agentBase}/files/browse?path=/`, { ca, headers: { Authorization: auth('fw') } })).status).toBe(403);
    // access_sandboxes: the operator may browse the task's sandbox; the framework's principal may not.
    const agentState = JSON.parse((await request(`${agentBase}/state`, { ca, headers: { Authorization: auth('ops') } })).body);
    const sandbox: string = agentState.frameworks[0].executors.find((e: { id: string }) => e.id === 'long').directory;
    const browse = (who: Principal) => request(`${agentBase}/files/browse?path=${encodeURIComponent(sandbox)}`, { ca, headers: { Authorization: auth(who) } });
    expect((await browse('ops')).status).toBe(200);
    expect((await browse('fw')).status).toBe(403);
    // get_endpoints (path as object) and view_flags on the agent, as on the master.
    const get = (p: string, who: Principal) => request(`${agentBase}${p}`, { ca, headers: { Authorization: auth(who) } });
    expect((await get('/metrics/snapshot', 'ops')).status).toBe(200);
    expect((await get('/metrics/snapshot', 'fw')).status).toBe(403);
    expect((await get('/monitor/statistics', 'ops')).status).toBe(403);
    expect((await get('/containers', 'ops')).status).toBe(403);
    expect((await get('/flags', 'ops')).status).toBe(200);
    expect((await get('/flags', 'fw')).status).toBe(403);
    // The cluster UI's proxy to the agent: HTTPS to the agent, with the reader's credentials (the agent decides).
    const viaUi = (p: string, who?: Principal) => request(`${base}/ui/agents/${encodeURIComponent(agentId)}/${p}`, { ca, headers: who === undefined ? {} : { Authorization: auth(who) } });
    expect((await viaUi('state')).status).toBe(401);
    expect((await viaUi('state', 'ops')).status).toBe(200);
    expect((await viaUi(`files/browse?path=${encodeURIComponent(sandbox)}`, 'ops')).status).toBe(200);
    expect((await viaUi(`files/browse?path=${encodeURIComponent(sandbox)}`, 'fw')).status).toBe(403);
  });
});

describe('the authorized framework, operator and agent carry on', () => {
  it('mesos-execute and mesos run with --principal/--secret (or MESOS_*) over TLS; without them they are refused', async () => {
    const tls = { LIBPROCESS_SSL_ENABLED: 'true', LIBPROCESS_SSL_CA_FILE: pki.ca };
    const execute = (extra: string[]) => runCli('mesos-execute', [`--master=${master!.address}`, '--name=cli', '--command=true', '--role=web', ...extra], tls);
    const ok = await execute(['--principal=fw', `--secret=${SECRETS.fw}`]);
    expect(ok.status, `${ok.stdout}\n${ok.stderr}`).toBe(0);
    const refused = await execute([]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/401/);
    // The mesos CLI over TLS: the operator sees the framework, another tenant sees none (filtered view).
    const mesos = (extra: string[], env: Record<string, string> = {}) => runCli('mesos', ['frameworks', '--json', `--master=${master!.address}`, ...extra], { ...env, ...tls });
    const ops = await mesos(['--principal=ops', `--secret=${SECRETS.ops}`]);
    expect(ops.status, ops.stderr).toBe(0);
    expect(ops.stdout).toContain(frameworkId);
    const evil = await mesos([], { MESOS_PRINCIPAL: 'evil', MESOS_SECRET: SECRETS.evil });
    expect(evil.status, evil.stderr).toBe(0);
    expect(evil.stdout).not.toContain(frameworkId);
    expect((await mesos([])).stderr).toMatch(/401/);
  }, 120_000);

  it('the long task still runs, a new task finishes, and the agent is still active', async () => {
    expect(states.get('long')).toBe('TASK_RUNNING');
    const done = new Promise<void>((resolve) => client!.on('update', (s: v1.TaskStatus) => s.task_id.value === 'short' && s.state === 'TASK_FINISHED' && resolve()));
    queue.push((offer) => task('short', offer, 'true'));
    await client!.revive();
    await done;
    const tasks = JSON.parse((await operator('ops', { type: 'GET_TASKS' })).body).get_tasks;
    expect(tasks.tasks.map((t: v1.Task) => `${t.task_id.value}:${t.state}`)).toContain('long:TASK_RUNNING');
    const agents = JSON.parse((await operator('ops', { type: 'GET_AGENTS' })).body).get_agents.agents;
    expect(agents.map((a: { active: boolean }) => a.active)).toEqual([true]);
    expect(JSON.parse((await operator('ops', { type: 'GET_WEIGHTS' })).body).get_weights.weight_infos ?? []).toEqual([]);
  }, 30_000);
});

function basicAuth(principal: string, secret: string): string {
  return `Basic ${Buffer.from(`${principal}:${secret}`).toString('base64')}`;
}

/** Operator resource calls can meet an offer of the same resources (409); the master rescinds it, so retry. */
async function retryConflict(call: () => Promise<Answer>, want: number): Promise<void> {
  let last: Answer | undefined;
  for (let i = 0; i < 20; i++) {
    last = await call();
    if (last.status !== 409) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(last!.status, last!.body).toBe(want);
}
