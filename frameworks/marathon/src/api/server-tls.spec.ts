// The launcher's server over TLS (LIBPROCESS_SSL_*, real openssl certificates): a standby serves HTTPS and
// proxies to the leader over HTTPS, verifying it against the CA; a standby trusting another CA answers 502
// rather than talking to an unverified leader.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiServer, listenApi, serverTls } from '@mesos-ts/framework-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from './server.js';
import { makeTestPki } from '@mesos-ts/wire/testing';

const dir = mkdtempSync(join(tmpdir(), 'marathon-tls-'));
const f = (n: string): string => join(dir, n);
const servers: http.Server[] = [];

beforeAll(() => void makeTestPki(dir));

afterAll(async () => {
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

const tlsWith = (ca: string) => serverTls({ LIBPROCESS_SSL_ENABLED: 'true', LIBPROCESS_SSL_CERT_FILE: f('server.pem'), LIBPROCESS_SSL_KEY_FILE: f('server.key'), LIBPROCESS_SSL_CA_FILE: f(ca) });

function get(url: string): Promise<{ status: number; leader: unknown; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca: readFileSync(f('ca.pem')) }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, leader: res.headers['x-marathon-leader'], body }));
      })
      .on('error', reject);
  });
}

describe('a standby launcher over HTTPS', () => {
  it('proxies to the HTTPS leader, verified against LIBPROCESS_SSL_CA_FILE', async () => {
    const tls = tlsWith('ca.pem');
    // The leader: any HTTPS server with the cluster's certificate answering the API.
    const leader = createApiServer((_req, res) => void res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"apps":[]}\n'), tls);
    servers.push(leader);
    const leaderUrl = await listenApi(leader, 0, '127.0.0.1');
    const leaderAddress = leaderUrl.replace('https://', '');
    const standby = await startServer({ context: () => undefined, leader: () => leaderAddress }, 0, '127.0.0.1', undefined, tls);
    servers.push(standby.server);
    expect(standby.url).toMatch(/^https:\/\//);
    const answer = await get(`${standby.url}/v2/apps`);
    expect(answer).toEqual({ status: 200, leader: `https://${leaderAddress}`, body: '{"apps":[]}\n' });

    // A standby that does not trust the leader's CA refuses to proxy (502), it never sends the request in clear.
    const doubtful = await startServer({ context: () => undefined, leader: () => leaderAddress }, 0, '127.0.0.1', undefined, tlsWith('other.pem'));
    servers.push(doubtful.server);
    const refused = await get(`${doubtful.url}/v2/apps`).catch((e: Error) => ({ status: -1, leader: undefined, body: e.message }));
    // The client trusts ca.pem, the doubtful standby's own certificate is signed by it: the answer is its 502.
    expect(refused.status).toBe(502);
    expect(refused.body).toMatch(/did not answer.*certificate/);
  });
});
