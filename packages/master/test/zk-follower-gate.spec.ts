// The follower gate in front of a --zk master's routes: while another master leads, API and state calls get 307
// to it (path and query kept), 503 while nobody is known to lead, and what any master answers for itself
// (health, version, metrics, /master/redirect) passes through; the leader itself is never gated.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { gateFollower } from '../src/http/follower-gate.js';
import type { LeaderAddress, LeaderDetector } from '../src/runtime/leader.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A server whose routes answer 200 'routed' behind the gate of `leader`. */
async function gated(leader: LeaderDetector): Promise<string> {
  const server = http.createServer((req, res) => {
    if (gateFollower(leader, req, res)) return;
    res.writeHead(200, { 'Content-Length': 6 });
    res.end('routed');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const view = (self: boolean, current: LeaderAddress | undefined): LeaderDetector => ({ isSelf: () => self, current: () => current });
const other = { hostname: 'm2.example', port: 5051 };

async function call(base: string, path: string, method = 'GET'): Promise<[number, string | null, string]> {
  const r = await fetch(base + path, { method, redirect: 'manual', ...(method === 'POST' ? { body: '{"type":"SUBSCRIBE"}' } : {}), signal: AbortSignal.timeout(5_000) });
  return [r.status, r.headers.get('location'), await r.text()];
}

describe('follower gate', () => {
  it.each<[string, string, [number, string | null]]>([
    ['scheduler API', 'POST /api/v1/scheduler', [307, '//m2.example:5051/api/v1/scheduler']],
    ['operator API', 'POST /api/v1', [307, '//m2.example:5051/api/v1']],
    ['agent API', 'POST /internal/v1/agent', [307, '//m2.example:5051/internal/v1/agent']],
    ['state with query', 'GET /master/state?jsonp=cb', [307, '//m2.example:5051/master/state?jsonp=cb']],
    ['health', 'GET /health', [200, null]],
    ['metrics', 'GET /metrics/snapshot', [200, null]],
    ['redirect endpoint', 'GET /master/redirect', [200, null]],
    ['version', 'GET /version', [200, null]],
  ])('follower: %s', async (_name, request, expected) => {
    const [method, path] = request.split(' ') as [string, string];
    const [status, location, body] = await call(await gated(view(false, other)), path, method);
    expect([status, location]).toEqual(expected);
    if (status === 307) expect(body).toBe('Not the leading master; the leader is m2.example:5051');
  });

  it('answers 503 while no leader is known, and routes everything while this master leads', async () => {
    const none = await gated(view(false, undefined));
    expect(await call(none, '/api/v1/scheduler', 'POST')).toEqual([503, null, 'No leading master is elected yet; retry shortly']);
    expect((await call(none, '/health'))[0]).toBe(200);
    const leading = await gated(view(true, { hostname: 'self', port: 1 }));
    expect(await call(leading, '/api/v1/scheduler', 'POST')).toEqual([200, null, 'routed']);
    expect(await call(leading, '/master/state')).toEqual([200, null, 'routed']);
  });
});
