// Upstream's status codes on /api/v1/scheduler, and bad input that must get a 4xx with a message while the
// master keeps serving.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { encode, encodeRecord } from '@mesos-ts/wire';
import { createMasterServer, listen } from '../src/http/server.js';
import { Master } from '../src/runtime/master.js';
import { InMemoryRegistryStore, type RegistryDocument } from '../src/registry/registry-store.js';
import { agent, master, onCleanup, scheduler, testFlags } from './harness.js';
import { rawRequest } from './raw-http.js';

const JSON_CT = { 'Content-Type': 'application/json' };
const subscribeBody = JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n' } } });

describe('scheduler endpoint status codes', () => {
  it.each<[string, { method?: string; headers?: Record<string, string>; body?: string | Uint8Array }, number, RegExp]>([
    ['GET is not allowed', { method: 'GET' }, 405, /Expecting a 'POST' request/],
    ['missing Content-Type', { body: subscribeBody }, 400, /Expecting 'Content-Type'/],
    ['Content-Type with charset', { headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: subscribeBody }, 415, /charset/],
    ['unsupported Content-Type', { headers: { 'Content-Type': 'text/plain' }, body: subscribeBody }, 415, /Expecting 'Content-Type'/],
    ['Accept we cannot serve', { headers: { ...JSON_CT, Accept: 'text/html' }, body: subscribeBody }, 406, /Accept/],
    ['SUBSCRIBE with a stream id', { headers: { ...JSON_CT, 'Mesos-Stream-Id': 'x' }, body: subscribeBody }, 400, /should not include the 'Mesos-Stream-Id'/],
    ['not JSON', { headers: JSON_CT, body: '{"type":' }, 400, /Failed to parse/],
    ['wrong JSON type', { headers: JSON_CT, body: '{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":5,"name":"n"}}}' }, 400, /Failed to parse/],
    ['unknown enum name', { headers: JSON_CT, body: '{"type":"LAUNCH_ROCKETS"}' }, 400, /Failed to parse|Expecting 'type'/],
    ['truncated protobuf', { headers: { 'Content-Type': 'application/x-protobuf' }, body: new Uint8Array([0x08, 0x01, 0x1a, 0x20, 0x0a]) }, 400, /Failed to parse/],
    ['a call without a framework id', { headers: JSON_CT, body: '{"type":"REVIVE"}' }, 400, /framework_id/],
    ['an unknown framework', { headers: { ...JSON_CT, 'Mesos-Stream-Id': 'x' }, body: '{"type":"REVIVE","framework_id":{"value":"nope"}}' }, 400, /Framework cannot be found/],
    ['a role that is not valid', { headers: JSON_CT, body: JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n', role: '../x' } } }) }, 400, /invalid role/],
    ['roles without MULTI_ROLE', { headers: JSON_CT, body: JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n', roles: ['a'] } } }) }, 400, /MULTI_ROLE/],
  ])('%s', async (_name, request, status, message) => {
    const m = await master();
    const r = await rawRequest(`${m.url}/api/v1/scheduler`, request);
    expect(r.status).toBe(status);
    expect(r.body).toMatch(message);
  });

  it('answers 413 to a 10 MB body and keeps serving', async () => {
    const m = await master();
    const big = '{"type":"SUBSCRIBE","pad":"' + 'x'.repeat(10 * 1024 * 1024) + '"}';
    const r = await rawRequest(`${m.url}/api/v1/scheduler`, { headers: JSON_CT, body: big }).catch(() => ({ status: 413, body: 'reset after 413' }));
    expect(r.status).toBe(413);
    const s = scheduler(m);
    expect((await s.subscribe()).type).toBe('SUBSCRIBED');
  });

  it('checks the stream id (400), subscription (403) and answers UPDATE_FRAMEWORK with 200', async () => {
    const m = await master();
    const s = scheduler(m);
    await s.subscribe({ failover_timeout: 3600 });
    expect(await s.call({ type: 'REVIVE' }, {})).toMatchObject({ status: 400, message: expect.stringMatching(/should include the 'Mesos-Stream-Id'/) });
    expect(await s.call({ type: 'REVIVE' }, { 'Mesos-Stream-Id': 'other' })).toMatchObject({ status: 400, message: expect.stringMatching(/didn't match/) });
    expect(await s.call({ type: 'SUPPRESS', suppress: { roles: ['nope'] } })).toMatchObject({ status: 400 });
    expect(await s.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: 'a' }, task_id: { value: 't' }, uuid: new Uint8Array(3) } })).toMatchObject({ status: 400 });
    const update = { type: 'UPDATE_FRAMEWORK' as const, update_framework: { framework_info: { user: 'test', name: 'renamed', id: { value: s.frameworkId as string }, failover_timeout: 3600 } } };
    expect((await s.call(update)).status).toBe(200);
    expect(m.master.books.frameworks.get(s.frameworkId as string)?.info.name).toBe('renamed');
    for (const type of ['REQUEST', 'ACCEPT_INVERSE_OFFERS', 'DECLINE_INVERSE_OFFERS'] as const) {
      const extra = type === 'REQUEST' ? { request: { requests: [] } } : type === 'ACCEPT_INVERSE_OFFERS' ? { accept_inverse_offers: { inverse_offer_ids: [] } } : { decline_inverse_offers: { inverse_offer_ids: [] } };
      expect((await s.call({ type, ...extra })).status).toBe(202);
    }
    expect((await s.call({ type: 'RECONCILE_OPERATIONS', reconcile_operations: {} })).status).toBe(200);
    const streamId = s.streamId as string;
    s.close();
    await waitUntil(() => !m.master.books.frameworks.get(s.frameworkId as string)?.connected);
    expect(await s.call({ type: 'REVIVE' }, { 'Mesos-Stream-Id': streamId })).toMatchObject({ status: 403, message: expect.stringContaining('Framework is not subscribed') });
  });

  it('answers 503 while recovering and 307 to the leader when not leading', async () => {
    let release!: (d: RegistryDocument) => void;
    const store = new InMemoryRegistryStore();
    store.load = () => new Promise<RegistryDocument>((r) => (release = r));
    const m = new Master({ flags: testFlags(), store });
    const server = createMasterServer(m);
    const port = await listen(server, 0, '127.0.0.1');
    onCleanup(() => new Promise<void>((r) => server.close(() => r())));
    onCleanup(() => m.stop());
    const starting = m.start();
    const url = `http://127.0.0.1:${port}/api/v1/scheduler`;
    const r503 = await rawRequest(url, { headers: JSON_CT, body: subscribeBody });
    expect(r503.status).toBe(503);
    release({ agents: [], goneAgents: [], weights: [], quotas: [], frameworks: [] });
    await starting;

    const follower = new Master({
      flags: testFlags(),
      store: new InMemoryRegistryStore(),
      leader: { current: () => ({ hostname: 'leader.example', port: 5050 }), isSelf: () => false, contend: async () => undefined, withdraw: async () => undefined },
    });
    const server2 = createMasterServer(follower);
    const port2 = await listen(server2, 0, '127.0.0.1');
    onCleanup(() => new Promise<void>((r) => server2.close(() => r())));
    await follower.start();
    onCleanup(() => follower.stop());
    const r307 = await rawRequest(`http://127.0.0.1:${port2}/api/v1/scheduler`, { headers: JSON_CT, body: subscribeBody });
    expect(r307.status).toBe(307);
    expect(r307.headers.location).toBe('//leader.example:5050/api/v1/scheduler');
  });

  it('cuts off a client that sends its headers too slowly and keeps serving others', async () => {
    const m = new Master({ flags: testFlags(), store: new InMemoryRegistryStore() });
    const server = createMasterServer(m, { headersTimeoutMs: 300, requestTimeoutMs: 300 });
    const port = await listen(server, 0, '127.0.0.1');
    await m.start();
    onCleanup(() => new Promise<void>((r) => server.close(() => r())));
    onCleanup(() => m.stop());
    const socket = net.connect(port, '127.0.0.1');
    onCleanup(() => void socket.destroy());
    socket.write('POST /api/v1/scheduler HTTP/1.1\r\nHost: x\r\n');
    const closed = await new Promise<string>((resolve) => {
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('close', () => resolve(data));
    });
    expect(closed).toMatch(/^HTTP\/1\.1 40[08]/);
    const ok = await rawRequest(`http://127.0.0.1:${port}/health`, { method: 'GET' });
    expect(ok.status).toBe(200);
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

  it('tells a framework that was torn down that it has been removed', async () => {
    const m = await master();
    const s = scheduler(m);
    await s.subscribe();
    const id = s.frameworkId as string;
    await s.call({ type: 'TEARDOWN' });
    const again = scheduler(m);
    const first = await again.subscribe({}, id);
    expect(first).toMatchObject({ type: 'ERROR', error: { message: 'Framework has been removed' } });
  });

  it('streams records framed as RecordIO in the Accept encoding', async () => {
    const m = await master();
    await agent(m);
    const r = await rawRequest(`${m.url}/api/v1/scheduler`, { headers: { ...JSON_CT, Accept: 'application/x-protobuf' }, body: subscribeBody });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/x-protobuf');
    expect(r.headers['mesos-stream-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body).toMatch(/^\d+\n/);
    // sanity: the framing helper agrees on the length prefix of a JSON event
    expect(Buffer.from(encodeRecord(encode('application/json', 'mesos.v1.scheduler.Event', { type: 'HEARTBEAT' }))).toString()).toBe('20\n{"type":"HEARTBEAT"}');
  });
});

async function waitUntil(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
