// Fuzzes a live master and agent over real HTTP (fast-check, seeded: FUZZ_SEED=<n> replays a run exactly;
// FUZZ_REQUESTS sets the count). Every request must get an answer (no hang), never a 5xx other than 501, and
// an error body must not leak a host path or a stack trace; afterwards both daemons still answer and the
// framework is still subscribed. Calls that would start processes from random text (LAUNCH_*CONTAINER*) or
// flood the logs (SET_LOGGING_LEVEL) are left out, and ids are random, so the fuzzer cannot tear down the
// cluster it measures (that is an authorization question: security-auth).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSubscribedCluster, type SubscribedCluster } from './harness/daemons.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const CONCURRENCY = 16;
const REQUEST_TIMEOUT_MS = 15_000;

const OPERATOR_CALLS = ['GET_HEALTH', 'GET_FLAGS', 'GET_VERSION', 'GET_METRICS', 'GET_LOGGING_LEVEL', 'LIST_FILES', 'READ_FILE', 'GET_STATE', 'GET_AGENTS', 'GET_FRAMEWORKS', 'GET_EXECUTORS', 'GET_TASKS', 'GET_ROLES', 'GET_WEIGHTS', 'UPDATE_WEIGHTS', 'GET_MASTER', 'RESERVE_RESOURCES', 'UNRESERVE_RESOURCES', 'CREATE_VOLUMES', 'DESTROY_VOLUMES', 'GROW_VOLUME', 'SHRINK_VOLUME', 'GET_MAINTENANCE_STATUS', 'GET_MAINTENANCE_SCHEDULE', 'UPDATE_MAINTENANCE_SCHEDULE', 'START_MAINTENANCE', 'STOP_MAINTENANCE', 'DRAIN_AGENT', 'DEACTIVATE_AGENT', 'REACTIVATE_AGENT', 'GET_QUOTA', 'UPDATE_QUOTA', 'SET_QUOTA', 'REMOVE_QUOTA', 'TEARDOWN', 'MARK_AGENT_GONE', 'GET_CONTAINERS', 'KILL_CONTAINER', 'WAIT_CONTAINER', 'REMOVE_CONTAINER', 'GET_OPERATIONS', 'GET_RESOURCE_PROVIDERS', 'PRUNE_IMAGES', 'BOGUS'];
const SCHEDULER_CALLS = ['TEARDOWN', 'ACCEPT', 'DECLINE', 'REVIVE', 'KILL', 'SHUTDOWN', 'ACKNOWLEDGE', 'RECONCILE', 'MESSAGE', 'REQUEST', 'SUPPRESS', 'UPDATE_FRAMEWORK', 'ACCEPT_INVERSE_OFFERS', 'DECLINE_INVERSE_OFFERS', 'ACKNOWLEDGE_OPERATION_STATUS', 'RECONCILE_OPERATIONS', 'SUBSCRIBE', 'BOGUS'];
const AGENT_CALLS = ['REGISTER', 'REREGISTER', 'STATUS_UPDATE', 'PONG', 'EXECUTOR_TO_FRAMEWORK', 'EXECUTOR_EXITED', 'BOGUS'];
const EXECUTOR_CALLS = ['SUBSCRIBE', 'UPDATE', 'MESSAGE', 'HEARTBEAT', 'BOGUS'];

type Target = 'master' | 'agent';
const ENDPOINTS: ReadonlyArray<[Target, string, readonly string[]]> = [
  ['master', '/api/v1', OPERATOR_CALLS],
  ['master', '/api/v1/scheduler', SCHEDULER_CALLS],
  ['master', '/internal/v1/agent', AGENT_CALLS],
  ['agent', '/api/v1', OPERATOR_CALLS],
  ['agent', '/api/v1/executor', EXECUTOR_CALLS],
];
const PLAIN_PATHS: ReadonlyArray<[Target, string]> = [
  ...['/master/state', '/master/state.json', '/state', '/master/frameworks', '/master/slaves', '/master/tasks', '/master/roles', '/master/weights', '/master/quota', '/master/teardown', '/master/reserve', '/master/unreserve', '/master/create-volumes', '/master/destroy-volumes', '/master/maintenance/schedule', '/master/machine/down', '/master/machine/up', '/master/redirect', '/master/state-summary', '/health', '/metrics/snapshot', '/version', '/flags', '/files/browse', '/files/read', '/files/download', '/files/debug', '/nope'].map((p): [Target, string] => ['master', p]),
  ...['/state', '/slave(1)/state', '/state.json', '/files/browse', '/files/read', '/files/download', '/files/debug', '/health', '/metrics/snapshot', '/flags', '/containers', '/monitor/statistics', '/version', '/nope'].map((p): [Target, string] => ['agent', p]),
];

// Strings that break naive code: NUL, lone surrogates, paths out, huge numbers, format strings.
const nasty = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', '\u0000', 'a\ud800', '\udc00', '../../../../etc/passwd', '/etc/shadow', '%s%n', '1e308', '-1', '*', '.', '..', 'NaN', '{}', 'x'.repeat(70_000)),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const scalar = fc.oneof(nasty, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom(1e308, -0, 2 ** 63));
const id = fc.record({ value: nasty });
const resource = fc.record(
  { name: fc.oneof(fc.constantFrom('cpus', 'mem', 'disk', 'ports', 'gpus'), nasty), type: fc.constantFrom('SCALAR', 'RANGES', 'SET', 'TEXT', 'BOGUS'), scalar: fc.record({ value: scalar }), role: nasty, reservations: fc.array(fc.record({ type: fc.constantFrom('DYNAMIC', 'STATIC'), role: nasty, principal: nasty }), { maxLength: 2 }), disk: fc.record({ persistence: fc.record({ id: nasty }), volume: fc.record({ container_path: nasty, mode: fc.constantFrom('RW', 'RO') }) }, { requiredKeys: [] }) },
  { requiredKeys: ['name'] },
);
/** A plausible body for any call: known field names holding hostile values, nested a little. */
const payload = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, id, resource, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('agent_id', 'framework_id', 'task_id', 'executor_id', 'container_id', 'role', 'roles', 'weight', 'path', 'offset', 'length', 'resources', 'volumes', 'framework_info', 'agent_info', 'status', 'uuid', 'state', 'name', 'user', 'principal', 'hostname', 'guarantees', 'quota_configs', 'force', 'weight_infos', 'machine_ids', 'offer_ids', 'operations', 'tasks', 'data', 'sequence', 'parent', 'filters'), tie('value'), { maxKeys: 4 })),
})).value;

interface FuzzRequest {
  target: Target;
  path: string;
  method: string;
  contentType: string | undefined;
  accept: string | undefined;
  body: string | Uint8Array | undefined;
  /** A hostile Authorization header now and then (the daemons run without --credentials: it is ignored). */
  authorization?: string | undefined;
}

const contentType = fc.constantFrom('application/json', 'application/x-protobuf', 'text/plain', 'application/json; charset=utf-8', undefined);
const accept = fc.constantFrom('application/json', 'application/x-protobuf', 'image/png', '*/*', undefined);
const callRequest: fc.Arbitrary<FuzzRequest> = fc.constantFrom(...ENDPOINTS).chain(([target, path, calls]) =>
  fc.record({
    target: fc.constant(target),
    path: fc.constant(path),
    // Mostly well-formed envelopes, so the fuzz reaches the handlers behind the content checks.
    method: fc.oneof({ weight: 12, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT') }),
    contentType: fc.oneof({ weight: 8, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: contentType }),
    accept: fc.oneof({ weight: 8, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: accept }),
    body: fc.oneof(
      { weight: 6, arbitrary: fc.record({ type: fc.constantFrom(...calls), framework_id: fc.option(id, { nil: undefined }), agent_id: fc.option(id, { nil: undefined }), call: payload }).map(({ type, call, ...ids }) => JSON.stringify({ type, ...ids, [type.toLowerCase()]: call })) },
      fc.uint8Array({ maxLength: 200 }),
      fc.string({ maxLength: 200 }),
      fc.constant(undefined),
    ),
  }),
);
const query = fc.array(fc.tuple(fc.constantFrom('path', 'offset', 'length', 'jsonp', 'framework_id', 'task_id', 'limit', 'order', 'timeout', 'roles'), nasty), { maxLength: 3 });
const plainRequest: fc.Arbitrary<FuzzRequest> = fc.record({ where: fc.constantFrom(...PLAIN_PATHS), q: query, method: fc.oneof({ weight: 6, arbitrary: fc.constant('GET') }, { weight: 1, arbitrary: fc.constantFrom('POST', 'DELETE') }), contentType, accept, body: fc.option(fc.string({ maxLength: 100 }), { nil: undefined }) }).map(({ where: [target, path], q, ...rest }) => ({
  target,
  path: `${path}?${new URLSearchParams(q.map(([k, v]): [string, string] => [k, v.slice(0, 2000)])).toString()}`,
  ...rest,
}));
const authorization = fc.oneof(
  { weight: 9, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.oneof(nasty.map((t) => `Basic ${Buffer.from(t).toString('base64')}`), nasty.map((t) => `Basic ${t}`), fc.constantFrom('Basic', 'Basic =', 'Bearer x', `Basic ${'A'.repeat(9000)}`)) },
);
const anyRequest = fc.tuple(fc.oneof(callRequest, plainRequest), authorization).map(([r, a]) => (a === undefined ? r : { ...r, authorization: a }));

interface Outcome {
  status: number | 'hang' | 'refused';
  leak: string | undefined;
}

let started: SubscribedCluster | undefined;

beforeAll(async () => {
  started = await startSubscribedCluster({ name: 'e2e-fuzz' });
}, 60_000);

afterAll(async () => {
  await started?.stop();
});

describe('fuzzing master and agent endpoints', () => {
  it(`${REQUESTS} seeded requests (seed ${SEED}): 0 hangs, 0 5xx but 501, 0 leaked paths or stacks, both daemons alive`, async () => {
    const { cluster, s } = started!;
    const base = { master: cluster.masterUrl, agent: `http://${cluster.agents[0]!.address}` };
    const workDir = cluster.agentDir('agent-1');
    const requests = fc.sample(anyRequest, { seed: SEED, numRuns: REQUESTS });
    const outcomes: Array<Outcome & { request: FuzzRequest }> = [];
    let next = 0;
    const t0 = Date.now();
    const worker = async (): Promise<void> => {
      while (next < requests.length) {
        const request = requests[next++]!;
        outcomes.push({ request, ...(await send(base[request.target], request, workDir)) });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (Date.now() - t0) / 1000;

    const byStatus = new Map<string, number>();
    for (const o of outcomes) byStatus.set(String(o.status), (byStatus.get(String(o.status)) ?? 0) + 1);
    console.log(`fuzz seed=${SEED}: ${outcomes.length} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries([...byStatus].sort()))}`);
    const bad = outcomes.filter((o) => o.status === 'hang' || o.status === 'refused' || (o.status >= 500 && o.status !== 501) || o.leak !== undefined);
    const show = bad.slice(0, 5).map((o) => ({ status: o.status, leak: o.leak, target: o.request.target, method: o.request.method, path: o.request.path.slice(0, 200), body: typeof o.request.body === 'string' ? o.request.body.slice(0, 300) : o.request.body }));
    expect(show, `replay with FUZZ_SEED=${SEED}`).toEqual([]);
    expect(outcomes.length).toBeGreaterThanOrEqual(REQUESTS);

    // Still alive and serving the legitimate framework.
    for (const url of [base.master, base.agent]) expect((await fetch(`${url}/health`)).status).toBe(200);
    const state = (await (await fetch(`${base.master}/master/state`)).json()) as { frameworks: { id: string; active: boolean }[]; slaves: { active: boolean }[] };
    expect(state.frameworks.find((f) => f.id === s.frameworkId)?.active).toBe(true);
    expect(state.slaves.some((a) => a.active)).toBe(true);
  }, 120_000);
});

async function send(base: string, r: FuzzRequest, workDir: string): Promise<Outcome> {
  const headers: Record<string, string> = {};
  if (r.contentType !== undefined) headers['Content-Type'] = r.contentType;
  if (r.accept !== undefined) headers.Accept = r.accept;
  // Header values must be Latin-1 for fetch; a value it cannot send is dropped (the rest of the request still goes).
  if (r.authorization !== undefined && /^[\x20-\x7e]*$/.test(r.authorization)) headers.Authorization = r.authorization;
  const withBody = r.method !== 'GET' && r.body !== undefined;
  let res: Response;
  try {
    res = await fetch(`${base}${r.path}`, { method: r.method, headers, ...(withBody ? { body: r.body } : {}), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (e) {
    const name = (e as Error).name;
    return { status: name === 'TimeoutError' || name === 'AbortError' ? 'hang' : 'refused', leak: undefined };
  }
  // Success bodies may be streams (SUBSCRIBE) or state that rightly names sandboxes: only errors are read.
  if (res.status < 400) {
    await res.body?.cancel().catch(() => undefined);
    return { status: res.status, leak: undefined };
  }
  const text = await res.text().catch(() => '');
  return { status: res.status, leak: leakIn(text, workDir) };
}

function leakIn(text: string, workDir: string): string | undefined {
  if (text.includes(workDir)) return 'agent work_dir';
  if (/\n\s+at .+[(:]/.test(text)) return 'stack trace';
  if (/node:internal|node_modules|\/work\/main|\.ts:\d+/.test(text)) return 'source path';
  return undefined;
}
