// TLS from LIBPROCESS_SSL_* with real certificates made by openssl: the server serves HTTPS, the wire client
// upgrades http:// and verifies the server against the CA, a client trusting another CA is refused, and
// REQUIRE_CERT turns away clients without a certificate the CA signed.
import { mkdtempSync, rmSync } from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from '../http-client.js';
import { SecurityConfigError } from './credentials.js';
import { createServer, serverTlsOptions, tlsFromEnv, type TlsConfig } from './tls.js';
import { makeTestPki } from '../testing/test-pki.js';

const dir = mkdtempSync(join(tmpdir(), 'wire-tls-'));
const f = (n: string): string => join(dir, n);
const servers: http.Server[] = [];

beforeAll(() => void makeTestPki(dir, ['client']));

afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
  rmSync(dir, { recursive: true, force: true });
});

async function serve(env: Record<string, string>): Promise<string> {
  const tls = tlsFromEnv({ LIBPROCESS_SSL_ENABLED: 'true', LIBPROCESS_SSL_CERT_FILE: f('server.pem'), LIBPROCESS_SSL_KEY_FILE: f('server.key'), ...env });
  const server = createServer({}, (_req, res) => res.writeHead(202, { 'Content-Length': 0 }).end(), tls);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  // http:// on purpose: with TLS on, the client upgrades it.
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
}

const client = (env: Record<string, string>): TlsConfig => tlsFromEnv({ LIBPROCESS_SSL_ENABLED: 'true', ...env }) as TlsConfig;
const call = (url: string, tls: TlsConfig) => post({ url, callType: 'mesos.v1.master.Call', call: { type: 'GET_HEALTH' }, tls });

describe('LIBPROCESS_SSL_* TLS', () => {
  it('serves HTTPS that a client trusting the CA reaches, and one trusting another CA does not', async () => {
    const url = await serve({});
    expect((await call(url, client({ LIBPROCESS_SSL_CA_FILE: f('ca.pem') }))).status).toBe(202);
    await expect(call(url, client({ LIBPROCESS_SSL_CA_FILE: f('other.pem') }))).rejects.toThrow(/certificate/);
  });

  it('REQUIRE_CERT refuses a client without a certificate the CA signed', async () => {
    const url = await serve({ LIBPROCESS_SSL_CA_FILE: f('ca.pem'), LIBPROCESS_SSL_REQUIRE_CERT: 'true' });
    await expect(call(url, client({ LIBPROCESS_SSL_CA_FILE: f('ca.pem') }))).rejects.toThrow();
    const withCert = client({ LIBPROCESS_SSL_CA_FILE: f('ca.pem'), LIBPROCESS_SSL_CERT_FILE: f('client.pem'), LIBPROCESS_SSL_KEY_FILE: f('client.key') });
    expect((await call(url, withCert)).status).toBe(202);
  });

  it.each<[Record<string, string>, RegExp]>([
    [{ LIBPROCESS_SSL_ENABLED: 'maybe' }, /must be true or false/],
    [{ LIBPROCESS_SSL_ENABLED: 'true', LIBPROCESS_SSL_CA_FILE: '/nonexistent/ca.pem' }, /cannot read/],
  ])('refuses %j', (env, message) => {
    expect(() => tlsFromEnv(env)).toThrow(message);
  });

  it('a server needs both a certificate and a key; off means no TLS', () => {
    expect(() => serverTlsOptions(client({}))).toThrow(SecurityConfigError);
    expect(tlsFromEnv({})).toBeUndefined();
    expect(tlsFromEnv({ LIBPROCESS_SSL_ENABLED: 'false' })).toBeUndefined();
  });
});
