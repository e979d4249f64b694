// In front of every route while this master does not lead (--zk): upstream non-leading masters redirect every
// API and state call to the leader (307 `Location: //leader:port/path`) and serve only what any master can
// answer for itself (health, version, metrics with master/elected 0, /master/redirect). Without a known
// leader they answer 503. A browser asking for the UI gets a page naming the leader instead (follower-page.ts). While this master leads, everything passes through (503 while recovering).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LeaderDetector } from '../runtime/leader.js';
import { followerPage, wantsFollowerPage } from './follower-page.js';
import { sendText } from './respond.js';

const ANY_MASTER = new Set(['/health', '/master/health', '/version', '/metrics', '/metrics/snapshot', '/master/redirect', '/redirect']);

/** Whether any master answers `req` for itself, leading or not (health, metrics, redirect). */
export function servedByAnyMaster(req: IncomingMessage): boolean {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  return ANY_MASTER.has(q === -1 ? raw : raw.slice(0, q));
}

/** Answers the request and returns true when this master must not serve it itself. */
export function gateFollower(leader: LeaderDetector, req: IncomingMessage, res: ServerResponse): boolean {
  if (leader.isSelf()) return false;
  const raw = req.url ?? '/';
  if (servedByAnyMaster(req)) return false;
  req.resume(); // drain the body: we answer without reading it
  const to = leader.current();
  const q = raw.indexOf('?');
  if (wantsFollowerPage(req.method, q === -1 ? raw : raw.slice(0, q), req.headers.accept)) {
    const html = followerPage(to);
    res.writeHead(to ? 200 : 503, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html), 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : html);
  } else if (!to) {
    sendText(res, 503, 'No leading master is elected yet; retry shortly');
  } else {
    const path = raw.startsWith('/') ? raw : `/${raw}`;
    sendText(res, 307, `Not the leading master; the leader is ${to.hostname}:${to.port}`, { Location: `//${to.hostname}:${to.port}${path}` });
  }
  return true;
}
