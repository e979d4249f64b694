// A framework's REST server over HTTP, or HTTPS as libprocess serves it: LIBPROCESS_SSL_ENABLED=true with
// LIBPROCESS_SSL_CERT_FILE and _KEY_FILE (and _CA_FILE, _VERIFY_CERT, _REQUIRE_CERT for client certificates).
// The launcher and every framework's API share this, on top of wire's TLS loader and server, so one
// environment configures the master, the agents and the frameworks alike. A TLS setting that cannot be
// honoured stops the server before it opens its port (fail closed), never falls back to plain HTTP.
import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSecureContext } from 'node:tls';
import { SecurityConfigError, createServer, serverTlsOptions, tlsFromEnv, type TlsConfig } from '@mesos-ts/wire';

export type { TlsConfig };

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The server TLS of this process from LIBPROCESS_SSL_*; undefined when it is off. Throws SecurityConfigError
 * (naming the variable and what to fix) when it is on without a readable certificate and key that match.
 */
export function serverTls(env: Env = process.env): TlsConfig | undefined {
  const tls = tlsFromEnv(env);
  if (tls === undefined) return undefined;
  const options = serverTlsOptions(tls);
  try {
    // Parsed here so a bad PEM or a key of another certificate stops the start with the files named.
    createSecureContext({ cert: options.cert, key: options.key, ...(options.ca ? { ca: options.ca } : {}) });
  } catch (e) {
    throw new SecurityConfigError(
      `LIBPROCESS_SSL_CERT_FILE=${env.LIBPROCESS_SSL_CERT_FILE} / LIBPROCESS_SSL_KEY_FILE=${env.LIBPROCESS_SSL_KEY_FILE}` +
        `${tls.ca ? ` / LIBPROCESS_SSL_CA_FILE=${env.LIBPROCESS_SSL_CA_FILE}` : ''}: not a usable PEM certificate and matching key (${(e as Error).message})`,
    );
  }
  return tls;
}

/** An HTTP server, or an HTTPS one when `tls` is given (serverTls(): this process's LIBPROCESS_SSL_*). */
export function createApiServer(handler: http.RequestListener, tls: TlsConfig | undefined, options: http.ServerOptions = {}): http.Server {
  return createServer(options, handler, tls);
}

/** `http` or `https`: the scheme of the URLs a server with `tls` advertises. */
export function schemeOf(tls: TlsConfig | undefined): 'http' | 'https' {
  return tls === undefined ? 'http' : 'https';
}

/** `url` with the scheme `tls` calls for: an advertised http:// URL becomes https:// when TLS is on (and back). */
export function withScheme(url: string, tls: TlsConfig | undefined): string {
  return url.replace(/^https?:\/\//i, `${schemeOf(tls)}://`);
}

/** Listens on host:port (0: any free port) and resolves with the URL clients use (a wildcard host as 127.0.0.1). */
export async function listenApi(server: http.Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `${server instanceof https.Server ? 'https' : 'http'}://${shown}:${bound}`;
}
