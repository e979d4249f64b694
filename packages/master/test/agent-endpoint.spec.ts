// /internal/v1/agent status codes and stream rules (packages/wire/docs/master-agent-protocol.md).
import { describe, expect, it } from 'vitest';
import { Resources } from '@mesos-ts/resources';
import { agent, master } from './harness.js';
import { rawRequest } from './raw-http.js';

const JSON_CT = { 'Content-Type': 'application/json' };
const register = JSON.stringify({ type: 'REGISTER', register: { agent_info: { hostname: 'h', resources: Resources.parse('cpus:1;mem:64').toProto() } } });

describe('agent endpoint', () => {
  it.each<[string, { method?: string; headers?: Record<string, string>; body?: string | Uint8Array }, number, RegExp]>([
    ['GET', { method: 'GET' }, 405, /POST/],
    ['missing Content-Type', { body: register }, 400, /Content-Type/],
    ['bad Content-Type', { headers: { 'Content-Type': 'text/xml' }, body: register }, 415, /Content-Type/],
    ['Accept we cannot serve', { headers: { ...JSON_CT, Accept: 'image/png' }, body: register }, 406, /Accept/],
    ['garbage body', { headers: { 'Content-Type': 'application/x-protobuf' }, body: new Uint8Array([0xff, 0xff, 0xff]) }, 400, /Failed to parse/],
    ['REREGISTER without an id', { headers: JSON_CT, body: JSON.stringify({ type: 'REREGISTER', reregister: { agent_info: { hostname: 'h' } } }) }, 400, /agent_info.id/],
    ['a call from an unknown agent', { headers: { ...JSON_CT, 'Mesos-Stream-Id': 's' }, body: JSON.stringify({ type: 'PONG', agent_id: { value: 'nope' }, pong: { sequence: 1 } }) }, 400, /not registered/],
    ['a call without agent_id', { headers: JSON_CT, body: JSON.stringify({ type: 'PONG', pong: { sequence: 1 } }) }, 400, /agent_id/],
  ])('%s', async (_n, request, status, message) => {
    const m = await master();
    const r = await rawRequest(`${m.url}/internal/v1/agent`, request);
    expect(r.status).toBe(status);
    expect(r.body).toMatch(message);
  });

  it('requires the current stream id, and a new registration replaces the old stream', async () => {
    const m = await master();
    const a = await agent(m);
    const oldStream = a.streamId as string;
    const pong = (streamId?: string) =>
      rawRequest(`${m.url}/internal/v1/agent`, { headers: { ...JSON_CT, ...(streamId ? { 'Mesos-Stream-Id': streamId } : {}) }, body: JSON.stringify({ type: 'PONG', agent_id: { value: a.id }, pong: { sequence: 0 } }) });
    expect((await pong(oldStream)).status).toBe(202);
    expect((await pong()).status).toBe(400);
    expect((await pong('other')).body).toMatch(/current stream id/);
    await a.connect(); // REREGISTER on a new stream
    expect(a.streamId).not.toBe(oldStream);
    expect((await pong(oldStream)).status).toBe(400);
    expect((await pong(a.streamId)).status).toBe(202);
  });

  it('accepts a status update for an unknown framework (202) and counts it invalid', async () => {
    const m = await master();
    const a = await agent(m);
    await a.update('no-such-framework', 't', 'TASK_RUNNING');
    expect(m.master.metrics.get('master/invalid_status_updates')).toBe(1);
  });
});
