// HttpEventSink over a real loopback connection: events sent in one turn of the event loop go out in one
// corked write, in order, and close() right after sending still delivers them all before the stream ends.
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { scheduler } from '@mesos-ts/proto';
import { APPLICATION_JSON, APPLICATION_PROTOBUF, subscribe, type ContentType } from '@mesos-ts/wire';
import { HttpEventSink } from './event-stream.js';

type Sink = HttpEventSink<'mesos.v1.scheduler.Event'>;

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** Serves one stream; `onSink` gets the sink and the response once the request arrived. */
async function serve(contentType: ContentType, onSink: (sink: Sink, res: http.ServerResponse) => void): Promise<string> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => onSink(new HttpEventSink(res, contentType, 'mesos.v1.scheduler.Event', { 'Mesos-Stream-Id': 's-1' }, () => undefined), res));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/scheduler`;
}

async function open(url: string, contentType: ContentType): Promise<scheduler.Event[]> {
  const s = await subscribe({ url, callType: 'mesos.v1.scheduler.Call', eventType: 'mesos.v1.scheduler.Event', call: { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n' } } }, contentType });
  if (s.kind !== 'stream') throw new Error('expected a stream');
  expect(s.streamId).toBe('s-1');
  const out: scheduler.Event[] = [];
  for await (const e of s.events) out.push(e);
  return out;
}

const heartbeats = (n: number): scheduler.Event[] => Array.from({ length: n }, (_, i) => (i % 2 ? { type: 'HEARTBEAT' } : { type: 'ERROR', error: { message: `e${i}` } }));

describe('HttpEventSink', () => {
  it.each<ContentType>([APPLICATION_JSON, APPLICATION_PROTOBUF])('batches one turn of %s events into one corked write, then flushes them in order', async (contentType) => {
    const corkedAfterSend: number[] = [];
    const url = await serve(contentType, (sink, res) => {
      for (const e of heartbeats(5)) sink.send(e);
      corkedAfterSend.push(res.socket?.writableCorked ?? -1);
      setImmediate(() => {
        corkedAfterSend.push(res.socket?.writableCorked ?? -1);
        // A second turn corks again; close() must still deliver what it sent.
        for (const e of heartbeats(3)) sink.send(e);
        sink.close();
      });
    });
    const events = await open(url, contentType);
    expect(events).toEqual([...heartbeats(5), ...heartbeats(3)]);
    expect(corkedAfterSend).toEqual([1, 0]);
  });

  it('sends nothing after close and ignores sends on a closed sink', async () => {
    const url = await serve(APPLICATION_JSON, (sink) => {
      sink.send({ type: 'HEARTBEAT' });
      sink.close();
      sink.send({ type: 'ERROR', error: { message: 'too late' } });
      expect(sink.closed).toBe(true);
    });
    expect(await open(url, APPLICATION_JSON)).toEqual([{ type: 'HEARTBEAT' }]);
  });
});
