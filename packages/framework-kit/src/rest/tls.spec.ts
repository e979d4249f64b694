// The frameworks' REST servers over TLS with real certificates made by openssl: serverTls() reads LIBPROCESS_SSL_*
// and refuses what it cannot serve (fail closed), createApiServer() serves HTTPS, and apiRequest() reaches it
// when it trusts the CA (LIBPROCESS_SSL_CA_FILE), upgrades http:// with LIBPROCESS_SSL_ENABLED, and is refused
// when it trusts another CA or none.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecurityConfigError, setClientTls, tlsFromEnv } from '@mesos-ts/wire';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest } from './api-client.js';
import { clientTlsFor } from './tls-client.js';
import { createApiServer, listenApi, schemeOf, serverTls, withScheme } from './tls-server.js';
import { makeTestPki } from '@mesos-ts/wire/testing';

const dir = mkdtempSync(join(tmpdir(), 'kit-tls-'));
const f = (n: string): string => join(dir, n);
const servers: http.Server[] = [];
const savedEnv = { ...process.env };

beforeAll(() => {
  makeTestPki(dir);
  writeFileSync(f('garbage.pem'), 'not a certificate\n');
});

afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
  process.env = { ...savedEnv };
  setClientTls(null);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const serving = (extra: Record<string, string> = {}) => ({ LIBPROCESS_SSL_ENABLED: 'true', LIBPROCESS_SSL_CERT_FILE: f('server.pem'), LIBPROCESS_SSL_KEY_FILE: f('server.key'), ...extra });

async function serve(plain = false): Promise<string> {
  const tls = plain ? undefined : serverTls(serving());
  const server = createApiServer((_req, res) => void res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"brokers":[]}\n'), tls);
  servers.push(server);
  return listenApi(server, 0, '127.0.0.1');
}

describe('serverTls', () => {
  it('is off without LIBPROCESS_SSL_ENABLED', () => {
    expect(serverTls({})).toBeUndefined();
    expect(serverTls({ LIBPROCESS_SSL_ENABLED: 'false', LIBPROCESS_SSL_CERT_FILE: '/nonexistent' })).toBeUndefined();
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['no certificate or key', { LIBPROCESS_SSL_ENABLED: 'true' }, /needs LIBPROCESS_SSL_CERT_FILE and LIBPROCESS_SSL_KEY_FILE/],
    ['a key but no certificate', { LIBPROCESS_SSL_ENABLED: 'true', LIBPROCESS_SSL_KEY_FILE: '' }, /needs LIBPROCESS_SSL_CERT_FILE/],
    ['an unreadable certificate', { LIBPROCESS_SSL_CERT_FILE: '/nonexistent/cert.pem' }, /LIBPROCESS_SSL_CERT_FILE=\/nonexistent\/cert.pem: cannot read it/],
    ['a certificate that is not PEM', { LIBPROCESS_SSL_CERT_FILE: 'garbage.pem' }, /not a usable PEM certificate and matching key/],
    ['the key of another certificate', { LIBPROCESS_SSL_KEY_FILE: 'other.key' }, /not a usable PEM certificate and matching key/],
    ['a bad LIBPROCESS_SSL_ENABLED', { LIBPROCESS_SSL_ENABLED: 'yes please' }, /must be true or false/],
  ])('refuses %s', (_what, env, message) => {
    const files = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, /\.(pem|key)$/.test(v) && !v.startsWith('/') ? f(v) : v]));
    expect(() => serverTls(env.LIBPROCESS_SSL_ENABLED === undefined ? serving(files) : { ...files })).toThrow(SecurityConfigError);
    expect(() => serverTls(env.LIBPROCESS_SSL_ENABLED === undefined ? serving(files) : { ...files })).toThrow(message);
  });

  it('advertised URLs follow the TLS setting', () => {
    const tls = serverTls(serving());
    expect(schemeOf(tls)).toBe('https');
    expect(schemeOf(undefined)).toBe('http');
    expect(withScheme('http://127.0.0.1:7000/executor/x.tgz', tls)).toBe('https://127.0.0.1:7000/executor/x.tgz');
    expect(withScheme('https://h:1', undefined)).toBe('http://h:1');
  });
});

describe('apiRequest over HTTPS', () => {
  it('a plain server stays plain: http:// URL, apiRequest without TLS', async () => {
    const url = await serve(true);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await apiRequest(url, '/api/broker/list')).toEqual({ brokers: [] });
  });

  it('reaches an https:// API when LIBPROCESS_SSL_CA_FILE names its CA (LIBPROCESS_SSL_ENABLED unset)', async () => {
    const url = await serve();
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    process.env.LIBPROCESS_SSL_CA_FILE = f('ca.pem');
    expect(await apiRequest(url, '/api/broker/list')).toEqual({ brokers: [] });
  });

  it('is refused without the CA, or trusting another CA, and says what to set', async () => {
    const url = await serve();
    await expect(apiRequest(url, '/api/broker/list')).rejects.toThrow(/cannot reach the API.*LIBPROCESS_SSL_CA_FILE must name the CA/);
    process.env.LIBPROCESS_SSL_CA_FILE = f('other.pem');
    await expect(apiRequest(url, '/api/broker/list')).rejects.toThrow(/cannot reach the API/);
  });

  it('with LIBPROCESS_SSL_ENABLED an http:// API URL is sent over HTTPS, as wire does', async () => {
    const url = await serve();
    setClientTls(tlsFromEnv({ LIBPROCESS_SSL_ENABLED: 'true', LIBPROCESS_SSL_CA_FILE: f('ca.pem') }));
    expect(clientTlsFor(new URL('http://127.0.0.1:1/x')).url.protocol).toBe('https:');
    expect(await apiRequest(url.replace('https:', 'http:'), '/api/broker/list')).toEqual({ brokers: [] });
  });
});
