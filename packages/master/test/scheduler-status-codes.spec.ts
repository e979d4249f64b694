// Upstream's status codes on /api/v1/scheduler in both encodings, and bad input that must get a 4xx with a
// message while the master keeps serving and loses nothing.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { scheduler as sched } from '@mesos-ts/proto';
import { APPLICATION_JSON, APPLICATION_PROTOBUF, decode, encode, type ContentType } from '@mesos-ts/wire';
import { createMasterServer, listen, type ServerOptions } from '../src/http/server.js';
import { Master, type MasterOptions } from '../src/runtime/master.js';
import { InMemoryRegistryStore, type RegistryDocument, type RegistryStore } from '../src/registry/registry-store.js';
import { ENCODINGS, otherEncoding } from './encodings.js';
import { agent, master, onCleanup, scheduler, testFlags } from './harness.js';
import { rawRequest } from './raw-http.js';

interface Request {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}
type Row = [name: string, request: Request, status: number, message: RegExp];

const TEN_MB = 10 * 1024 * 1024;
const subscribeCall: sched.Call = { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n' } } };

/** Requests that must be refused with a 4xx and a message, in content type `ct`; none needs a framework. */
function badRequests(ct: ContentType): Row[] {
  const CT = { 'Content-Type': ct };
  const body = (call: sched.Call): Uint8Array => encode(ct, 'mesos.v1.scheduler.Call', call);
  const json = ct === APPLICATION_JSON;
  const subscribe = body(subscribeCall);
  const frameworkInfo = (extra: object): Uint8Array => body({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n', ...extra } } });
  return [
    ['GET is not allowed', { method: 'GET', headers: CT }, 405, /Expecting a 'POST' request/],
    ['a missing Content-Type', { body: subscribe }, 400, /Expecting 'Content-Type'/],
    ['a Content-Type with charset', { headers: { 'Content-Type': `${ct}; charset=utf-8` }, body: subscribe }, 415, /charset/],
    ['an unsupported Content-Type', { headers: { 'Content-Type': 'text/plain' }, body: subscribe }, 415, /Expecting 'Content-Type'/],
    ['an Accept we cannot serve', { headers: { ...CT, Accept: 'text/html' }, body: subscribe }, 406, /Accept/],
    ['an Accept refusing both types', { headers: { ...CT, Accept: 'application/json;q=0, application/x-protobuf;q=0' }, body: subscribe }, 406, /Accept/],
    ['SUBSCRIBE with a stream id', { headers: { ...CT, 'Mesos-Stream-Id': 'x' }, body: subscribe }, 400, /should not include the 'Mesos-Stream-Id'/],
    ['a body in the other encoding', { headers: CT, body: encode(otherEncoding(ct), 'mesos.v1.scheduler.Call', subscribeCall) }, 400, /Failed to parse/],
    // Truncated: the closing brace / the last 5 bytes of a length-delimited field are missing.
    ['a truncated body', { headers: CT, body: json ? '{"type":' : new Uint8Array([0x08, 0x01, 0x1a, 0x20, 0x0a]) }, 400, /Failed to parse/],
    // JSON: a number where a string belongs; protobuf: `type` (a varint) sent as a length-delimited field.
    ['a field of the wrong type', { headers: CT, body: json ? '{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":5,"name":"n"}}}' : new Uint8Array([0x12, 0x01, 0x05]) }, 400, /Failed to parse/],
    // Protobuf (proto2): an unknown enum number is an unknown field, so the call has no type.
    ['an unknown enum value', { headers: CT, body: json ? '{"type":"LAUNCH_ROCKETS"}' : new Uint8Array([0x10, 99]) }, 400, /Failed to parse|Expecting 'type'/],
    ['a call without a framework id', { headers: CT, body: body({ type: 'REVIVE' }) }, 400, /framework_id/],
    ['an unknown framework', { headers: { ...CT, 'Mesos-Stream-Id': 'x' }, body: body({ type: 'REVIVE', framework_id: { value: 'nope' } }) }, 400, /Framework cannot be found/],
    ['a role that is not valid', { headers: CT, body: frameworkInfo({ role: '../x' }) }, 400, /invalid role/],
    ['roles without MULTI_ROLE', { headers: CT, body: frameworkInfo({ roles: ['a'] }) }, 400, /MULTI_ROLE/],
  ];
}

/** A body over the 8 MiB limit, in `ct`. */
function tenMegabytes(ct: ContentType): Uint8Array {
  const call: sched.Call = { type: 'MESSAGE', framework_id: { value: 'f' }, message: { agent_id: { value: 'a' }, executor_id: { value: 'e' }, data: new Uint8Array(TEN_MB) } };
  return encode(ct, 'mesos.v1.scheduler.Call', call);
}

/** A Master on its own server (for recovering, follower and timeout cases the harness does not build). */
async function bareMaster(opts: { store?: RegistryStore; leader?: MasterOptions['leader']; server?: ServerOptions; start?: boolean } = {}): Promise<{ m: Master; url: string; port: number; starting: Promise<void> }> {
  const m = new Master({ flags: testFlags(), store: opts.store ?? new InMemoryRegistryStore(), ...(opts.leader ? { leader: opts.leader } : {}) });
  const server = createMasterServer(m, opts.server);
  const port = await listen(server, 0, '127.0.0.1');
  onCleanup(() => new Promise<void>((r) => server.close(() => r())));
  onCleanup(() => m.stop());
  const starting = m.start();
  return { m, port, url: `http://127.0.0.1:${port}/api/v1/scheduler`, starting };
}

/** The first RecordIO record of a streamed answer, decoded in the answer's content type. */
function firstEvent(bytes: Buffer, ct: ContentType): sched.Event {
  const nl = bytes.indexOf(10);
  const length = Number(bytes.subarray(0, nl).toString());
  expect(bytes.length).toBeGreaterThanOrEqual(nl + 1 + length);
  return decode(ct, 'mesos.v1.scheduler.Event', bytes.subarray(nl + 1, nl + 1 + length));
}

describe.each(ENCODINGS)('scheduler endpoint status codes over %s', (_name, ct) => {
  const CT = { 'Content-Type': ct };
  const call = (c: sched.Call): Uint8Array => encode(ct, 'mesos.v1.scheduler.Call', c);

  it.each(badRequests(ct))('refuses %s', async (_row, request, status, message) => {
    const m = await master();
    const r = await rawRequest(`${m.url}/api/v1/scheduler`, request);
    expect(r.status).toBe(status);
    expect(r.body).toMatch(message);
  });

  it.each<[string, string | undefined, ContentType]>([
    ['no Accept: JSON', undefined, APPLICATION_JSON],
    ['Accept */*: JSON', '*/*', APPLICATION_JSON],
    ['Accept JSON', APPLICATION_JSON, APPLICATION_JSON],
    ['Accept protobuf', APPLICATION_PROTOBUF, APPLICATION_PROTOBUF],
    ['JSON refused (q=0): protobuf', 'application/json;q=0, */*', APPLICATION_PROTOBUF],
  ])('streams 200 with a Mesos-Stream-Id in the negotiated type (%s)', async (_row, accept, expected) => {
    const m = await master();
    const r = await rawRequest(`${m.url}/api/v1/scheduler`, { headers: { ...CT, ...(accept ? { Accept: accept } : {}) }, body: call(subscribeCall) });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe(expected);
    expect(r.headers['mesos-stream-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(firstEvent(r.bytes, expected)).toMatchObject({ type: 'SUBSCRIBED', subscribed: { heartbeat_interval_seconds: 15 } });
  });

  it('answers 413 to a 10 MB body and keeps serving', async () => {
    const m = await master();
    const r = await rawRequest(`${m.url}/api/v1/scheduler`, { headers: CT, body: tenMegabytes(ct) }).catch(() => ({ status: 413, body: 'reset after 413' }));
    expect(r.status).toBe(413);
    expect(r.body).toMatch(/larger than the limit|reset after 413/);
    expect((await scheduler(m, ct).subscribe()).type).toBe('SUBSCRIBED');
  });

  it('checks the stream id (400) and subscription (403); 202 and 200 with a Response in the Accept type', async () => {
    const m = await master();
    const s = scheduler(m, ct);
    await s.subscribe({ failover_timeout: 3600 });
    const fid = { value: s.frameworkId as string };
    expect(await s.call({ type: 'REVIVE' }, {})).toMatchObject({ status: 400, message: expect.stringMatching(/should include the 'Mesos-Stream-Id'/) });
    expect(await s.call({ type: 'REVIVE' }, { 'Mesos-Stream-Id': 'other' })).toMatchObject({ status: 400, message: expect.stringMatching(/didn't match/) });
    expect(await s.call({ type: 'SUPPRESS', suppress: { roles: ['nope'] } })).toMatchObject({ status: 400 });
    expect(await s.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: 'a' }, task_id: { value: 't' }, uuid: new Uint8Array(3) } })).toMatchObject({ status: 400, message: expect.stringMatching(/16-byte/) });
    expect(await s.call({ type: 'KILL' })).toMatchObject({ status: 400, message: expect.stringMatching(/Expecting 'kill'/) });
    expect((await s.call({ type: 'REVIVE' })).status).toBe(202);

    for (const accept of [APPLICATION_JSON, APPLICATION_PROTOBUF] as const) {
      const headers = { ...CT, Accept: accept, 'Mesos-Stream-Id': s.streamId as string };
      const r = await rawRequest(`${m.url}/api/v1/scheduler`, { headers, body: call({ type: 'RECONCILE_OPERATIONS', framework_id: fid, reconcile_operations: {} }) });
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe(accept);
      expect(decode(accept, 'mesos.v1.scheduler.Response', r.bytes)).toMatchObject({ type: 'RECONCILE_OPERATIONS' });
    }
    const refused = await rawRequest(`${m.url}/api/v1/scheduler`, { headers: { ...CT, Accept: 'text/html', 'Mesos-Stream-Id': s.streamId as string }, body: call({ type: 'RECONCILE_OPERATIONS', framework_id: fid, reconcile_operations: {} }) });
    expect(refused.status).toBe(406);

    const streamId = s.streamId as string;
    s.close();
    await waitUntil(() => !m.master.books.frameworks.get(fid.value)?.connected);
    const r403 = await rawRequest(`${m.url}/api/v1/scheduler`, { headers: { ...CT, 'Mesos-Stream-Id': streamId }, body: call({ type: 'REVIVE', framework_id: fid }) });
    expect(r403).toMatchObject({ status: 403, body: expect.stringContaining('Framework is not subscribed') });
  });

  it('answers 503 while recovering', async () => {
    let release!: (d: RegistryDocument) => void;
    const store = new InMemoryRegistryStore();
    store.load = () => new Promise<RegistryDocument>((r) => (release = r));
    const { url, starting } = await bareMaster({ store });
    const r = await rawRequest(url, { headers: CT, body: call(subscribeCall) });
    expect(r.status).toBe(503);
    expect(r.body).toMatch(/recovering/);
    release({ agents: [], goneAgents: [], weights: [], quotas: [], frameworks: [] });
    await starting;
    expect((await rawRequest(url, { headers: CT, body: call(subscribeCall) })).status).toBe(200);
  });

  it('answers 307 to the leader when not leading', async () => {
    const leader: MasterOptions['leader'] = { current: () => ({ hostname: 'leader.example', port: 5050 }), isSelf: () => false, contend: async () => undefined, withdraw: async () => undefined };
    const { url, starting } = await bareMaster({ leader });
    await starting;
    const r = await rawRequest(url, { headers: CT, body: call(subscribeCall) });
    expect(r.status).toBe(307);
    expect(r.headers.location).toBe('//leader.example:5050/api/v1/scheduler');
  });

  it('cuts off a client that sends its body too slowly and keeps serving others', async () => {
    const { port, url, starting } = await bareMaster({ server: { headersTimeoutMs: 300, requestTimeoutMs: 300 } });
    await starting;
    const body = call(subscribeCall);
    const socket = net.connect(port, '127.0.0.1');
    onCleanup(() => void socket.destroy());
    socket.write(`POST /api/v1/scheduler HTTP/1.1\r\nHost: x\r\nContent-Type: ${ct}\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.write(body.subarray(0, 3)); // ...and never the rest
    const reply = await new Promise<string>((resolve) => {
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('close', () => resolve(data));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 (408|400)/);
    expect((await rawRequest(url, { headers: CT, body })).status).toBe(200);
  });

  it('refuses every bad request while a framework runs a task, and loses nothing', async () => {
    const m = await master();
    const a = await agent(m, { contentType: ct });
    const s = scheduler(m, ct);
    await s.subscribe({ failover_timeout: 3600 });
    const [offer] = await s.nextOffers();
    const task = { name: 't', task_id: { value: 't' }, agent_id: { value: a.id as string }, command: { value: 'x' }, resources: [{ name: 'cpus', type: 'SCALAR' as const, scalar: { value: 1 } }] };
    await s.call({ type: 'ACCEPT', accept: { offer_ids: [offer!.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }] } });
    await s.update('t', 'TASK_RUNNING');
    const before = structuredClone(m.master.registry.document);

    for (const [row, request, status] of badRequests(ct)) {
      expect([row, (await rawRequest(`${m.url}/api/v1/scheduler`, request)).status]).toEqual([row, status]);
    }
    const big = await rawRequest(`${m.url}/api/v1/scheduler`, { headers: CT, body: tenMegabytes(ct) }).catch(() => ({ status: 413 }));
    expect(big.status).toBe(413);

    expect(s.ended).toBe(false);
    expect((await s.call({ type: 'RECONCILE', reconcile: { tasks: [] } })).status).toBe(202);
    await s.waitFor((e) => e.update?.status.reason === 'REASON_RECONCILIATION' && e.update.status.state === 'TASK_RUNNING');
    expect(m.master.books.frameworks.get(s.frameworkId as string)?.tasks.has('t')).toBe(true);
    expect(m.master.books.agents.get(a.id as string)?.reachable).toBe(true);
    expect(m.master.registry.document).toEqual(before);
    expect((await scheduler(m, ct).subscribe()).type).toBe('SUBSCRIBED');
  });
});

describe('scheduler endpoint, encoding-independent', () => {
  it('cuts off a client that sends its headers too slowly and keeps serving others', async () => {
    const { port, starting } = await bareMaster({ server: { headersTimeoutMs: 300, requestTimeoutMs: 300 } });
    await starting;
    const socket = net.connect(port, '127.0.0.1');
    onCleanup(() => void socket.destroy());
    socket.write('POST /api/v1/scheduler HTTP/1.1\r\nHost: x\r\n');
    const closed = await new Promise<string>((resolve) => {
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('close', () => resolve(data));
    });
    expect(closed).toMatch(/^HTTP\/1\.1 40[08]/);
    expect((await rawRequest(`http://127.0.0.1:${port}/health`, { method: 'GET' })).status).toBe(200);
  });

  it('answers a malformed HTTP request with 400 and keeps serving', async () => {
    const m = await master();
    const socket = net.connect(m.port, '127.0.0.1');
    onCleanup(() => void socket.destroy());
    socket.write('THIS IS NOT HTTP\r\n\r\n');
    const reply = await new Promise<string>((resolve) => {
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('close', () => resolve(data));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await rawRequest(`${m.url}/health`, { method: 'GET' })).status).toBe(200);
  });
});

async function waitUntil(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
