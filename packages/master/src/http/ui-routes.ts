// The cluster UI (packages/ui's static bundle) at `/` and its assets, plus a read-only proxy to the agents'
// sandbox endpoints (/state, /files/browse, /files/read) so the page reads sandboxes from the master's origin:
// agents are other origins and send no CORS headers. Only registered agents, only GET, only those paths.
// With TLS on (LIBPROCESS_SSL_*) the agents serve HTTPS: the proxy speaks HTTPS and verifies them with the
// master's CA. It forwards the browser's credentials, so the agent authenticates and authorizes (access_sandboxes)
// the person reading, not the master.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { uiBundleBuilt, uiBundleDir } from '@mesos-ts/ui';
import { clientTlsOptions } from '@mesos-ts/wire';
import type { Master } from '../runtime/master.js';
import { sendText } from './respond.js';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };
const AGENT_PATHS = new Set(['state', 'state.json', 'files/browse', 'files/read']);
const PROXY = /^\/ui\/agents\/([^/]+)\/(.+)$/;
const PROXY_TIMEOUT_MS = 15_000;

/** Answers `/`, `/index.html`, `/assets/*` and `/ui/agents/<id>/…`; returns false for anything else. */
export async function uiRoute(m: Master, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
  const p = url.pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (p === '/' || p === '/index.html' || p.startsWith('/assets/')) {
    if (!uiBundleBuilt('cluster')) {
      sendText(res, 404, 'The cluster UI is not built; run `npx nx run @mesos-ts/ui:build` (npm ci builds it)');
      return true;
    }
    const root = uiBundleDir('cluster');
    const file = path.join(root, p === '/' ? 'index.html' : path.normalize(p).replace(/^\/+/, ''));
    if (!file.startsWith(root)) return false;
    const body = await readFile(file).catch(() => undefined);
    if (!body) return false;
    // Assets carry a content hash in their names: cache them for good; index.html never.
    const cache = p.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': body.length, 'Cache-Control': cache });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }
  const proxy = PROXY.exec(p);
  if (!proxy) return false;
  const agentId = decodeURIComponent(proxy[1] ?? '');
  const rest = proxy[2] ?? '';
  const agent = m.books.agents.get(agentId);
  if (!agent) { sendText(res, 404, `No registered agent '${agentId.slice(0, 64)}'`); return true; }
  if (!AGENT_PATHS.has(rest)) { sendText(res, 404, `The UI proxy serves only ${[...AGENT_PATHS].join(', ')} of an agent`); return true; }
  const tls = m.flags.security.tls;
  const target = `${tls ? 'https' : 'http'}://${agent.info.hostname}:${agent.info.port ?? 5051}/${rest}${url.search}`;
  const headers = req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization };
  const options = { timeout: PROXY_TIMEOUT_MS, headers, ...(tls ? clientTlsOptions(tls) : {}) };
  const upstream = (tls ? https : http).get(target, options, (r) => {
    res.writeHead(r.statusCode ?? 502, { 'Content-Type': r.headers['content-type'] ?? 'application/octet-stream' });
    r.pipe(res);
  });
  upstream.on('timeout', () => upstream.destroy(new Error('timed out')));
  upstream.on('error', (e) => sendText(res, 502, `Agent ${agentId} at ${agent.info.hostname}:${agent.info.port} did not answer: ${e.message}`));
  return true;
}
