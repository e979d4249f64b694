import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { scheduler } from '@mesos-ts/proto';
import { post, subscribe, type EventStream } from './http-client.js';
import { decode, encode, type ContentType } from './codec.js';
import { encodeRecord } from './recordio.js';
import { WireError, type WireErrorCode } from './errors.js';

type Handler = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => void;

interface TestServer {
  url: string;
  port: number;
  /** Resolves when the server side of the first connection closes. */
  socketClosed: Promise<void>;
  requests: { headers: http.IncomingHttpHeaders; call: scheduler.Call }[];
}

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: Handler): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  let onClose: () => void = () => {};
  const socketClosed = new Promise<void>((resolve) => (onClose = resolve));
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ headers: req.headers, call: decode(req.headers['content-type'] as ContentType, 'mesos.v1.scheduler.Call', body) });
      handler(req, body, res);
    });
  });
  server.on('connection', (socket) => socket.on('close', onClose));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/v1/scheduler`, port, socketClosed, requests };
}

const subscribeCall: scheduler.Call = { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'root', name: 'kafka-日本' } } };
const events: scheduler.Event[] = [
  { type: 'SUBSCRIBED', subscribed: { framework_id: { value: 'fw-1' }, heartbeat_interval_seconds: 15 } },
  { type: 'HEARTBEAT' },
  { type: 'ERROR', error: { message: 'réessayez 日本 🙂' } },
];

/** Writes `bytes` in pieces of the given sizes (cycled), letting each piece go out as its own chunk. */
async function writeInPieces(res: http.ServerResponse, bytes: Uint8Array, sizes: number[]): Promise<void> {
  for (let offset = 0, i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    res.write(bytes.subarray(offset, offset + size));
    offset += size;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function streamEvents(contentType: ContentType, sizes: number[]): Handler {
  return (_req, _body, res) => {
    res.writeHead(200, { 'Content-Type': contentType, 'Mesos-Stream-Id': 'stream-42' });
    const bytes = Buffer.concat(events.map((e) => encodeRecord(encode(contentType, 'mesos.v1.scheduler.Event', e))));
    void writeInPieces(res, bytes, sizes).then(() => res.end());
  };
}

async function collect<E extends 'mesos.v1.scheduler.Event'>(stream: EventStream<E>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const event of stream.events) out.push(event);
  return out;
}

async function wireError(promise: Promise<unknown>, code: WireErrorCode): Promise<WireError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WireError);
  expect((error as WireError).code).toBe(code);
  return error as WireError;
}

function open(url: string, extra: { contentType?: ContentType; signal?: AbortSignal } = {}) {
  return subscribe({ url, callType: 'mesos.v1.scheduler.Call', call: subscribeCall, eventType: 'mesos.v1.scheduler.Event', ...extra });
}

describe('subscribe', () => {
  it.each([
    ['application/json', [1, 2, 7, 3, 50]],
    ['application/x-protobuf', [5, 1, 13]],
    ['application/json', [4096]],
  ] as const)('streams %s events split into pieces of %j bytes', async (contentType, sizes) => {
    const server = await serve(streamEvents(contentType, [...sizes]));
    const stream = await open(server.url, { contentType });
    if (stream.kind !== 'stream') throw new Error('expected a stream');
    expect(stream.status).toBe(200);
    expect(stream.streamId).toBe('stream-42');
    expect(stream.contentType).toBe(contentType);
    expect(await collect(stream)).toEqual(events);
    expect(server.requests[0]!.call).toEqual(subscribeCall);
    expect(server.requests[0]!.headers['content-type']).toBe(contentType);
    expect(server.requests[0]!.headers.accept).toBe(contentType);
  });

  it('reports a 307 to the leader as a redirect that keeps the endpoint path', async () => {
    const server = await serve((_req, _body, res) => res.writeHead(307, { Location: '//10.1.2.3:5050' }).end());
    const result = await open(server.url);
    expect(result).toMatchObject({ kind: 'redirect', status: 307, location: '//10.1.2.3:5050' });
    expect(result.kind === 'redirect' && result.url.href).toBe('http://10.1.2.3:5050/api/v1/scheduler');
  });

  it('aborting mid-stream fails the iterator with ABORTED and closes the socket', async () => {
    const server = await serve((_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(encodeRecord(encode('application/json', 'mesos.v1.scheduler.Event', { type: 'HEARTBEAT' })));
    });
    const controller = new AbortController();
    const stream = await open(server.url, { signal: controller.signal });
    if (stream.kind !== 'stream') throw new Error('expected a stream');
    expect((await stream.events.next()).value).toEqual({ type: 'HEARTBEAT' });
    const pending = stream.events.next();
    controller.abort();
    await wireError(pending, 'ABORTED');
    await server.socketClosed;
  });

  it('aborting while nobody iterates makes the next read fail with ABORTED', async () => {
    const server = await serve((_req, _body, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).write(''));
    const controller = new AbortController();
    const stream = await open(server.url, { signal: controller.signal });
    if (stream.kind !== 'stream') throw new Error('expected a stream');
    controller.abort();
    await server.socketClosed;
    await wireError(stream.events.next(), 'ABORTED');
  });

  it('aborting before the response arrives rejects with ABORTED', async () => {
    const server = await serve(() => {}); // never answers
    const controller = new AbortController();
    const pending = open(server.url, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect((await wireError(pending, 'ABORTED')).message).toMatch(/request to master at 127\.0\.0\.1:\d+ was aborted/);
    await server.socketClosed;
  });

  it('close() ends the iteration quietly and closes the socket', async () => {
    const server = await serve((_req, _body, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).write(''));
    const stream = await open(server.url);
    if (stream.kind !== 'stream') throw new Error('expected a stream');
    const pending = stream.events.next();
    stream.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    await server.socketClosed;
  });

  it('close() while handling an event ends the iteration, even with more events of the same chunk decoded', async () => {
    // Every event in one write: they arrive in one chunk and are decoded together.
    const server = await serve(streamEvents('application/json', [1_000_000]));
    const stream = await open(server.url);
    if (stream.kind !== 'stream') throw new Error('expected a stream');
    expect(events.length).toBeGreaterThan(1);
    const seen: unknown[] = [];
    for await (const event of stream.events) {
      seen.push(event);
      stream.close(); // e.g. a scheduler that tears down on a terminal update
    }
    expect(seen).toEqual([events[0]]);
  });

  it('a stream that ends inside a record is MALFORMED_RECORDIO', async () => {
    const server = await serve((_req, _body, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('20\n{"type":'));
    const stream = await open(server.url);
    if (stream.kind !== 'stream') throw new Error('expected a stream');
    expect((await wireError(collect(stream), 'MALFORMED_RECORDIO')).message).toMatch(/got 8 of 20 bytes/);
  });

  it('a connection dropped mid-stream is CONNECTION_LOST (retriable)', async () => {
    const server = await serve((req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('5\n{"ty');
      setTimeout(() => req.socket.destroy(), 10);
    });
    const stream = await open(server.url);
    if (stream.kind !== 'stream') throw new Error('expected a stream');
    expect((await wireError(collect(stream), 'CONNECTION_LOST')).retriable).toBe(true);
  });

  it.each([
    [400, 'Failed to validate scheduler::Call: Expecting \'framework_info.user\'', false],
    [503, 'Master is recovering', true],
  ])('HTTP %i is an HTTP_STATUS error carrying the body', async (status, body, retriable) => {
    const server = await serve((_req, _body, res) => res.writeHead(status).end(body));
    const error = await wireError(open(server.url), 'HTTP_STATUS');
    expect(error.status).toBe(status);
    expect(error.retriable).toBe(retriable);
    expect(error.message).toContain(`answered ${status}`);
    expect(error.message).toContain(body);
  });

  it('connection refused is UNREACHABLE with a readable message', async () => {
    const server = await serve(() => {});
    const closed = servers.pop()!;
    await new Promise((resolve) => closed.close(resolve));
    const error = await wireError(open(server.url), 'UNREACHABLE');
    expect(error.message).toBe(`cannot reach master at 127.0.0.1:${server.port}: connection refused`);
    expect(error.retriable).toBe(true);
  });
});

describe('post', () => {
  const accept: scheduler.Call = { framework_id: { value: 'fw-1' }, type: 'DECLINE', decline: { offer_ids: [{ value: 'o-1' }] } };

  it('sends the call with the stream id header and resolves on 202 without a body', async () => {
    const server = await serve((_req, _body, res) => res.writeHead(202).end());
    const result = await post({ url: server.url, callType: 'mesos.v1.scheduler.Call', call: accept, headers: { 'Mesos-Stream-Id': 'stream-42' } });
    expect(result).toMatchObject({ kind: 'response', status: 202, body: undefined });
    expect(server.requests[0]!.call).toEqual(accept);
    expect(server.requests[0]!.headers['mesos-stream-id']).toBe('stream-42');
  });

  it.each(['application/json', 'application/x-protobuf'] as const)('decodes a 200 %s body as the response type', async (contentType) => {
    const reply: scheduler.Event = { type: 'ERROR', error: { message: 'ok 日本' } };
    const server = await serve((_req, _body, res) => res.writeHead(200, { 'Content-Type': contentType }).end(encode(contentType, 'mesos.v1.scheduler.Event', reply)));
    const result = await post({ url: server.url, callType: 'mesos.v1.scheduler.Call', call: accept, contentType, responseType: 'mesos.v1.scheduler.Event' });
    expect(result.kind === 'response' && result.body).toEqual(reply);
  });

  it('reports 307 as a redirect', async () => {
    const server = await serve((_req, _body, res) => res.writeHead(307, { Location: 'http://127.0.0.1:1/api/v1/scheduler' }).end());
    expect(await post({ url: server.url, callType: 'mesos.v1.scheduler.Call', call: accept })).toMatchObject({ kind: 'redirect', url: new URL('http://127.0.0.1:1/api/v1/scheduler') });
  });
});

describe('post bodies', () => {
  const call: scheduler.Call = { framework_id: { value: 'fw-1' }, type: 'REVIVE', revive: {} };
  const reply: scheduler.Event = { type: 'ERROR', error: { message: 'in pieces 日本' } };
  const agents: http.Agent[] = [];
  afterEach(() => {
    for (const a of agents.splice(0)) a.destroy();
  });

  it('200 with a chunked body written in pieces is collected whole and decoded', async () => {
    const bytes = encode('application/json', 'mesos.v1.scheduler.Event', reply);
    const server = await serve((_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      void writeInPieces(res, bytes, [3, 1, 8]).then(() => res.end());
    });
    const result = await post({ url: server.url, callType: 'mesos.v1.scheduler.Call', call, responseType: 'mesos.v1.scheduler.Event' });
    expect(result.kind === 'response' && result.headers['transfer-encoding']).toBe('chunked');
    expect(result.kind === 'response' && result.body).toEqual(reply);
    expect(result.kind === 'response' && Buffer.from(result.raw).equals(bytes)).toBe(true);
  });

  it.each([
    [202, { 'Content-Length': '0' }, '0'],
    [200, { 'Content-Type': 'application/json', 'Content-Length': '0' }, '0'],
    [202, {}, undefined], // no Content-Length: an empty chunked body
  ] as const)('%i with headers %j has no body', async (status, headers, length) => {
    const server = await serve((_req, _body, res) => res.writeHead(status, headers).end());
    const result = await post({ url: server.url, callType: 'mesos.v1.scheduler.Call', call, responseType: 'mesos.v1.scheduler.Event' });
    expect(result).toMatchObject({ kind: 'response', status, body: undefined });
    expect(result.kind === 'response' && result.headers['content-length']).toBe(length);
    expect(result.kind === 'response' && result.raw.length).toBe(0);
  });

  it('empty 202 answers hand the keep-alive socket back: 50 posts over one socket', async () => {
    const sockets = new Set<unknown>();
    const server = await serve((req, _body, res) => {
      sockets.add(req.socket);
      res.writeHead(202, { 'Content-Length': '0' }).end();
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    const results = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const r = await post({ url: server.url, callType: 'mesos.v1.scheduler.Call', call, agent });
        return r.status;
      }),
    );
    expect(results).toEqual(Array.from({ length: 50 }, () => 202));
    expect(server.requests).toHaveLength(50);
    expect(sockets.size).toBe(1);
  });

  it('an error answer sent in chunks is an HTTP_STATUS error carrying the whole body', async () => {
    const text = 'Failed to validate scheduler::Call: Expecting \'revive\' to be present';
    const server = await serve((_req, _body, res) => {
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      void writeInPieces(res, Buffer.from(text), [7, 20]).then(() => res.end());
    });
    const error = await wireError(post({ url: server.url, callType: 'mesos.v1.scheduler.Call', call }), 'HTTP_STATUS');
    expect(error.status).toBe(400);
    expect(error.message).toBe(`master at 127.0.0.1:${server.port} answered 400 Bad Request: ${text}`);
  });

  it('a body cut off by a dropped connection is CONNECTION_LOST', async () => {
    const server = await serve((req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      res.write('{"type":');
      setTimeout(() => req.socket.destroy(), 10);
    });
    const error = await wireError(post({ url: server.url, callType: 'mesos.v1.scheduler.Call', call, responseType: 'mesos.v1.scheduler.Event' }), 'CONNECTION_LOST');
    expect(error.retriable).toBe(true);
  });
});
