// The master's HTTP server (node:http): routes, slow-client timeouts, and a last-resort catch so that no
// request can crash the daemon.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from '@mesos-ts/wire';
import { authenticate } from '../security/request-auth.js';
import type { Master } from '../runtime/master.js';
import { agentEndpoint } from './agent-endpoint.js';
import { legacyRoute } from './legacy-routes.js';
import { operatorEndpoint } from './operator-endpoint.js';
import { sendFailure, sendText } from './respond.js';
import { schedulerEndpoint } from './scheduler-endpoint.js';
import { uiRoute } from './ui-routes.js';

/** Time a client has to send its request headers, and then the whole request (ms). */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;

export interface ServerOptions {
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export function createMasterServer(m: Master, options: ServerOptions = {}): http.Server {
  const timeouts = { headersTimeout: options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS, requestTimeout: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS };
  // Node checks those timeouts every connectionsCheckingInterval ms (default 30 s): check often enough.
  const checking = Math.max(50, Math.min(1000, timeouts.headersTimeout / 2));
  // HTTPS when LIBPROCESS_SSL_ENABLED (the flags checked the certificate and key at start).
  const server = createServer({ ...timeouts, connectionsCheckingInterval: checking }, (req, res) => {
    route(m, req, res).catch((e: unknown) => sendFailure(m, res, e));
  }, m.flags.security.tls);
  // Event streams live for days: no idle timeout on open responses.
  server.timeout = 0;
  server.on('clientError', (err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy(err);
  });
  return server;
}

async function route(m: Master, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  // The hot v1 endpoints are matched on the raw path; only legacy routes need a parsed URL (query strings).
  switch (q === -1 ? raw : raw.slice(0, q)) {
    case '/api/v1/scheduler':
      return schedulerEndpoint(m, req, res);
    case '/api/v1':
      return operatorEndpoint(m, req, res);
    case '/internal/v1/agent':
      return agentEndpoint(m, req, res);
  }
  let url: URL;
  try {
    url = new URL(raw, 'http://master');
  } catch {
    return sendText(res, 400, `Malformed request URL '${raw}'`);
  }
  // Legacy and admin routes: GET reads (read-only realm), anything else writes (read-write realm). The UI's
  // static files, health, version and redirect answer everyone, as upstream's unauthenticated endpoints do.
  if (!PUBLIC.test(url.pathname)) {
    try {
      authenticate(m, req, req.method === 'GET' || req.method === 'HEAD' ? 'readonly' : 'readwrite');
    } catch (e) {
      return sendFailure(m, res, e);
    }
  }
  if (await legacyRoute(m, req, res, url)) return;
  if (await uiRoute(m, req, res, url)) return;
  sendText(res, 404, `No such endpoint '${url.pathname}'; the v1 APIs are /api/v1/scheduler and /api/v1`);
}

const PUBLIC = /^\/(?:|index\.html|assets\/.*|health|master\/health|version|redirect|master\/redirect)$/;

export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
