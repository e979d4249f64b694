// TLS as upstream's libprocess configures it, from the environment: LIBPROCESS_SSL_ENABLED turns HTTPS on for
// the servers of the process and for its outgoing connections; _CERT_FILE/_KEY_FILE are its certificate and key
// (servers need both; clients present them when given), _CA_FILE the trusted CA (default: the system's),
// _VERIFY_CERT makes a server ask for and check client certificates when presented, _REQUIRE_CERT makes it
// refuse clients without a valid one. Clients always verify the server's certificate and host name.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { SecureContextOptions } from 'node:tls';
import { SecurityConfigError } from './credentials.js';

export interface TlsConfig {
  readonly cert: Buffer | undefined;
  readonly key: Buffer | undefined;
  readonly ca: Buffer | undefined;
  readonly verifyCert: boolean;
  readonly requireCert: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

function flag(env: Env, name: string): boolean {
  const v = env[`LIBPROCESS_SSL_${name}`];
  if (v === undefined || v === '') return false;
  if (/^(1|true|yes)$/i.test(v)) return true;
  if (/^(0|false|no)$/i.test(v)) return false;
  throw new SecurityConfigError(`LIBPROCESS_SSL_${name}=${v} must be true or false`);
}

/** The process's TLS settings; undefined when LIBPROCESS_SSL_ENABLED is off. Throws when a named file is unreadable. */
export function tlsFromEnv(env: Env = process.env, readFile: (path: string) => Buffer = readFileSync): TlsConfig | undefined {
  if (!flag(env, 'ENABLED')) return undefined;
  const read = (name: string): Buffer | undefined => {
    const path = env[`LIBPROCESS_SSL_${name}`];
    if (path === undefined || path === '') return undefined;
    try {
      return readFile(path);
    } catch (e) {
      throw new SecurityConfigError(`LIBPROCESS_SSL_${name}=${path}: cannot read it: ${(e as Error).message}`);
    }
  };
  return { cert: read('CERT_FILE'), key: read('KEY_FILE'), ca: read('CA_FILE'), verifyCert: flag(env, 'VERIFY_CERT'), requireCert: flag(env, 'REQUIRE_CERT') };
}

/** Options for https.createServer; throws when the certificate or key is missing (a server cannot serve TLS). */
export function serverTlsOptions(tls: TlsConfig): SecureContextOptions & { requestCert: boolean; rejectUnauthorized: boolean } {
  if (!tls.cert || !tls.key) {
    throw new SecurityConfigError('LIBPROCESS_SSL_ENABLED=true needs LIBPROCESS_SSL_CERT_FILE and LIBPROCESS_SSL_KEY_FILE (PEM certificate and key)');
  }
  return {
    cert: tls.cert,
    key: tls.key,
    ...(tls.ca ? { ca: tls.ca } : {}),
    requestCert: tls.verifyCert || tls.requireCert,
    rejectUnauthorized: tls.requireCert,
  };
}

/** Options for https.request: trust the CA, present our certificate when we have one, always verify the server. */
export function clientTlsOptions(tls: TlsConfig): SecureContextOptions & { rejectUnauthorized: true } {
  return {
    ...(tls.ca ? { ca: tls.ca } : {}),
    ...(tls.cert && tls.key ? { cert: tls.cert, key: tls.key } : {}),
    rejectUnauthorized: true,
  };
}

let processTls: { tls: TlsConfig | undefined } | undefined;

/** The process's client TLS (from its environment, read once), or what setClientTls() put there. */
export function defaultClientTls(): TlsConfig | undefined {
  processTls ??= { tls: tlsFromEnv() };
  return processTls.tls;
}

/** Overrides the process's client TLS (tests, embedded clusters); `null` re-reads the environment next time. */
export function setClientTls(tls: TlsConfig | undefined | null): void {
  processTls = tls === null ? undefined : { tls };
}

/**
 * An HTTP server, or an HTTPS one with `tls`. With LIBPROCESS_SSL_VERIFY_CERT a client certificate is asked for
 * and, when one is presented, it must verify against the CA: a connection with a bad one is closed.
 */
export function createServer(options: http.ServerOptions, handler: http.RequestListener, tls: TlsConfig | undefined): http.Server {
  if (!tls) return http.createServer(options, handler);
  const server = https.createServer({ ...options, ...serverTlsOptions(tls) }, handler);
  if (tls.verifyCert && !tls.requireCert) {
    server.on('secureConnection', (socket: TLSSocket) => {
      const peer = socket.getPeerCertificate();
      if (peer && Object.keys(peer).length > 0 && !socket.authorized) socket.destroy();
    });
  }
  return server;
}
