// What a browser sees at `/` of a master that does not lead: which master leads, a link there, and a refresh
// that follows it a moment later (upstream's UI: "This master is not the leader, redirecting in N seconds").
// Without an elected leader the page says so and reloads itself until one is. Pure.
import type { LeaderAddress } from '../runtime/leader.js';

/** Seconds before the page follows the leader (or reloads while none is elected). */
export const FOLLOWER_REFRESH_SECS = 2;

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Whether the request is a browser asking for the UI (programs keep the 307/503 answers). */
export function wantsFollowerPage(method: string | undefined, path: string, accept: string | undefined): boolean {
  return (method === 'GET' || method === 'HEAD') && (path === '/' || path === '/index.html') && (accept ?? '').includes('text/html');
}

export function followerPage(leader: LeaderAddress | undefined): string {
  const target = leader === undefined ? undefined : escapeHtml(`//${leader.hostname}:${leader.port}/`);
  const name = leader === undefined ? '' : escapeHtml(`${leader.hostname}:${leader.port}`);
  const refresh = target === undefined ? `${FOLLOWER_REFRESH_SECS}` : `${FOLLOWER_REFRESH_SECS};url=${target}`;
  const body =
    target === undefined
      ? '<p role="status">No leading master is elected yet. This page reloads until one is.</p>'
      : `<p role="status">This master is not the leader. The leading master is <a data-testid="leader-link" href="${target}">${name}</a>; taking you there in ${FOLLOWER_REFRESH_SECS} seconds.</p>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="refresh" content="${refresh}"><title>Mesos: not the leading master</title></head><body style="font-family: sans-serif; margin: 2rem">${body}</body></html>`;
}
