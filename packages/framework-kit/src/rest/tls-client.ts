// One HTTP(S) request to a framework's API, the CLI side of tls-server.ts. TLS as wire's client does it:
// with LIBPROCESS_SSL_ENABLED an http:// URL is sent over HTTPS, and the server is always verified against
// LIBPROCESS_SSL_CA_FILE (else the system's CAs). An https:// URL is verified the same way even when
// LIBPROCESS_SSL_ENABLED is unset, so `--api=https://…` with the CA file is enough for a CLI.
import http from 'node:http';
import https from 'node:https';
import { clientTlsOptions, defaultClientTls, tlsFromEnv, type TlsConfig } from '@mesos-ts/wire';

export interface TextResponse {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export interface TextRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

/** The URL actually requested and the TLS it is verified with (undefined: plain HTTP). */
export function clientTlsFor(url: URL, env: Readonly<Record<string, string | undefined>> = process.env): { url: URL; tls: TlsConfig | undefined } {
  const tls = defaultClientTls();
  if (tls !== undefined) return { url: url.protocol === 'http:' ? new URL(url.href.replace(/^http:/, 'https:')) : url, tls };
  if (url.protocol !== 'https:') return { url, tls: undefined };
  // Read once per setting (a CLI polling its API should not re-read the CA file on every request).
  const key = JSON.stringify(['CA_FILE', 'CERT_FILE', 'KEY_FILE'].map((n) => env[`LIBPROCESS_SSL_${n}`]));
  if (httpsOnly?.key !== key) httpsOnly = { key, tls: tlsFromEnv({ ...env, LIBPROCESS_SSL_ENABLED: 'true' }) };
  return { url, tls: httpsOnly.tls };
}

let httpsOnly: { key: string; tls: TlsConfig | undefined } | undefined;

/**
 * Sends one request and resolves with the whole answer as text, whatever its status; rejects (with node's
 * error, its `code` kept, e.g. ECONNREFUSED or UNABLE_TO_VERIFY_LEAF_SIGNATURE) when there is no answer.
 */
export function requestText(target: string | URL, request: TextRequest = {}): Promise<TextResponse> {
  const { url, tls } = clientTlsFor(typeof target === 'string' ? new URL(target) : target);
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(
      url,
      {
        ...(secure && tls ? clientTlsOptions(tls) : {}),
        method: request.method ?? (request.body === undefined ? 'GET' : 'POST'),
        headers: { ...request.headers, ...(request.body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(request.body)) }) },
        // One request per connection: a CLI should exit as soon as its answer is in.
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    const timeoutMs = request.timeoutMs ?? 60_000;
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(request.body);
  });
}
