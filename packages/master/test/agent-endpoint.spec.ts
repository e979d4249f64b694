// /internal/v1/agent status codes and stream rules (packages/wire/docs/master-agent-protocol.md).
import { describe, expect, it } from 'vitest';
import type { internal } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { APPLICATION_JSON, encode } from '@mesos-ts/wire';
import { ENCODINGS, otherEncoding } from './encodings.js';
import { agent, master } from './harness.js';
import { rawRequest } from './raw-http.js';

type Request = { method?: string; headers?: Record<string, string>; body?: string | Uint8Array };

describe.each(ENCODINGS)('agent endpoint over %s', (_name, ct) => {
  const CT = { 'Content-Type': ct };
  const json = ct === APPLICATION_JSON;
  const body = (call: internal.AgentCall): Uint8Array => encode(ct, 'mesosts.internal.v1.AgentCall', call);
  const register = body({ type: 'REGISTER', register: { agent_info: { hostname: 'h', resources: Resources.parse('cpus:1;mem:64').toProto() } } });
  const pongBody = (agentId: string | undefined): Uint8Array => body({ type: 'PONG', agent_id: { value: agentId as string }, pong: { sequence: 0 } });

  it.each<[string, Request, number, RegExp]>([
    ['GET', { method: 'GET', headers: CT }, 405, /POST/],
    ['missing Content-Type', { body: register }, 400, /Content-Type/],
    ['bad Content-Type', { headers: { 'Content-Type': 'text/xml' }, body: register }, 415, /Content-Type/],
    ['Content-Type with charset', { headers: { 'Content-Type': `${ct}; charset=utf-8` }, body: register }, 415, /charset/],
    ['Accept we cannot serve', { headers: { ...CT, Accept: 'image/png' }, body: register }, 406, /Accept/],
    ['a body in the other encoding', { headers: CT, body: encode(otherEncoding(ct), 'mesosts.internal.v1.AgentCall', { type: 'PONG', pong: { sequence: 1 } }) }, 400, /Failed to parse/],
    ['garbage body', { headers: CT, body: json ? '{"type":' : new Uint8Array([0xff, 0xff, 0xff]) }, 400, /Failed to parse/],
    // JSON: a string where a number belongs; protobuf: `type` (a varint) sent as a length-delimited field.
    ['a field of the wrong type', { headers: CT, body: json ? '{"type":"PONG","agent_id":{"value":"a"},"pong":{"sequence":"x"}}' : new Uint8Array([0x0a, 0x01, 0x05]) }, 400, /Failed to parse/],
    // JSON names the enum value; protobuf's unknown number is dropped, so the call is from an unknown agent.
    ['an unknown enum value', { headers: CT, body: json ? '{"type":"BOOM","agent_id":{"value":"a"}}' : new Uint8Array([0x08, 0x7f, 0x12, 0x03, 0x0a, 0x01, 0x61]) }, 400, /Failed to parse|not registered/],
    ['REREGISTER without an id', { headers: CT, body: body({ type: 'REREGISTER', reregister: { agent_info: { hostname: 'h' } } }) }, 400, /agent_info.id/],
    ['a call from an unknown agent', { headers: { ...CT, 'Mesos-Stream-Id': 's' }, body: pongBody('nope') }, 400, /not registered/],
    ['a call without agent_id', { headers: CT, body: body({ type: 'PONG', pong: { sequence: 1 } }) }, 400, /agent_id/],
  ])('%s', async (_n, request, status, message) => {
    const m = await master();
    const r = await rawRequest(`${m.url}/internal/v1/agent`, request);
    expect(r.status).toBe(status);
    expect(r.body).toMatch(message);
  });

  it('requires the current stream id, and a new registration replaces the old stream', async () => {
    const m = await master();
    const a = await agent(m, { contentType: ct });
    const oldStream = a.streamId as string;
    const pong = (streamId?: string) => rawRequest(`${m.url}/internal/v1/agent`, { headers: { ...CT, ...(streamId ? { 'Mesos-Stream-Id': streamId } : {}) }, body: pongBody(a.id) });
    expect((await pong(oldStream)).status).toBe(202);
    expect((await pong()).status).toBe(400);
    expect((await pong('other')).body).toMatch(/current stream id/);
    await a.connect(); // REREGISTER on a new stream
    expect(a.streamId).not.toBe(oldStream);
    expect((await pong(oldStream)).status).toBe(400);
    expect((await pong(a.streamId)).status).toBe(202);
  });

  it('refuses a REREGISTER with a known agent id but without the session token the master issued (403)', async () => {
    const m = await master();
    const a = await agent(m, { contentType: ct });
    expect(a.sessionToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const stolen = (token?: string) =>
      rawRequest(`${m.url}/internal/v1/agent`, {
        headers: { ...CT, ...(token === undefined ? {} : { 'Mesos-Agent-Session': token }) },
        body: body({ type: 'REREGISTER', reregister: { agent_info: { hostname: 'evil', id: { value: a.id as string }, resources: Resources.parse('cpus:1000').toProto() } } }),
      });
    for (const token of [undefined, 'guess', `${a.sessionToken as string}x`]) {
      const r = await stolen(token);
      expect(r.status).toBe(403);
      expect(r.body).toMatch(/session token/);
    }
    expect(m.master.metrics.get('master/invalid_agent_sessions')).toBe(3);
    // The real agent still holds its stream and can re-register with its token.
    const streamBefore = a.streamId;
    expect((await rawRequest(`${m.url}/internal/v1/agent`, { headers: { ...CT, 'Mesos-Stream-Id': streamBefore as string }, body: pongBody(a.id) })).status).toBe(202);
    await a.connect();
    expect(a.streamId).not.toBe(streamBefore);
  });

  it('accepts a status update for an unknown framework (202) and counts it invalid', async () => {
    const m = await master();
    const a = await agent(m, { contentType: ct });
    await a.update('no-such-framework', 't', 'TASK_RUNNING');
    expect(m.master.metrics.get('master/invalid_status_updates')).toBe(1);
  });
});
