// --http_credentials on the launcher's real server: no or wrong credentials get 401 with the realm's
// challenge on every path (/ping and /v2 alike); the right ones reach the API. The password never shows.
import http from 'node:http';
import { basicAuthorization } from '@mesos-ts/wire';
import { afterAll, describe, expect, it } from 'vitest';
import { httpAuth, parseHttpCredentials } from './http-auth.js';
import { startServer } from './server.js';

const servers: http.Server[] = [];
afterAll(async () => {
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
});

function get(url: string, authorization?: string): Promise<{ status: number; challenge: unknown; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: authorization === undefined ? {} : { Authorization: authorization } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, challenge: res.headers['www-authenticate'], body }));
      })
      .on('error', reject);
  });
}

describe('--http_credentials', () => {
  it.each<[string, string]>([
    ['', 'empty'],
    ['alice', 'no colon'],
    [':secret', 'no user'],
    ['alice:', 'no password'],
  ])('refuses %j (%s)', (value) => {
    expect(() => parseHttpCredentials(value)).toThrow(/--http_credentials must be user:password/);
  });

  it('keeps colons in the password', () => {
    expect(parseHttpCredentials('alice:s3:cr:et')).toEqual({ user: 'alice', password: 's3:cr:et' });
  });

  it('answers 401 with the realm without the right credentials, on every path; the API with them', async () => {
    // A standby with no leader: an authenticated request reaches the handler (503 from the standby, 200 for /ping).
    const { server, url } = await startServer({ context: () => undefined, leader: () => undefined }, 0, '127.0.0.1', undefined, undefined, httpAuth({ user: 'alice', password: 'pa:ss' }, 'ops'));
    servers.push(server);
    for (const path of ['/ping', '/v2/apps', '/']) {
      for (const authorization of [undefined, basicAuthorization('alice', 'wrong'), basicAuthorization('bob', 'pa:ss'), 'Bearer x']) {
        const r = await get(`${url}${path}`, authorization);
        expect(r.status, `${path} with ${authorization}`).toBe(401);
        expect(r.challenge).toBe('Basic realm="ops"');
        expect(r.body).not.toContain('pa:ss');
      }
    }
    expect((await get(`${url}/ping`, basicAuthorization('alice', 'pa:ss'))).status).toBe(200);
    expect((await get(`${url}/v2/apps`, basicAuthorization('alice', 'pa:ss'))).status).toBe(503);
  });
});
