// HTTP Basic authentication as upstream's basic HTTP authenticator: `Authorization: Basic base64(principal:secret)`
// checked against the --credentials; a failure answers 401 with `WWW-Authenticate: Basic realm="<realm>"`.
// Secrets are compared through their SHA-256 digests with timingSafeEqual, so timing reveals nothing.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Credential } from './credentials.js';

/** Upstream's realms: frameworks, operator read-only and read-write endpoints, executors. */
export const REALM_SCHEDULER = 'mesos-master-scheduler';
export const REALM_READONLY_MASTER = 'mesos-master-readonly';
export const REALM_READWRITE_MASTER = 'mesos-master-readwrite';
export const REALM_READONLY_AGENT = 'mesos-agent-readonly';
export const REALM_READWRITE_AGENT = 'mesos-agent-readwrite';

export function basicAuthorization(principal: string, secret: string): string {
  return `Basic ${Buffer.from(`${principal}:${secret}`, 'utf8').toString('base64')}`;
}

/** `principal:secret` from a Basic header; undefined when absent or not Basic. */
export function parseBasic(header: string | undefined): Credential | undefined {
  if (header === undefined) return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=]{1,4096})\s*$/i.exec(header);
  if (!m) return undefined;
  const text = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  return { principal: text.slice(0, colon), secret: text.slice(colon + 1) };
}

export type AuthResult = { ok: true; principal: string } | { ok: false; reason: string };

export class BasicAuthenticator {
  private readonly digests = new Map<string, Buffer>();

  constructor(credentials: readonly Credential[]) {
    for (const c of credentials) this.digests.set(c.principal, digest(c.secret));
  }

  get size(): number {
    return this.digests.size;
  }

  /** Checks an Authorization header. */
  authenticate(header: string | undefined): AuthResult {
    if (header === undefined) return { ok: false, reason: 'Missing authorization header' };
    const given = parseBasic(header);
    if (!given) return { ok: false, reason: 'Malformed authorization header: expecting Basic credentials' };
    return this.check(given.principal, given.secret);
  }

  check(principal: string, secret: string): AuthResult {
    const want = this.digests.get(principal);
    // Compare against something even for an unknown principal: the answer takes the same time.
    const ok = timingSafeEqual(want ?? UNKNOWN, digest(secret)) && want !== undefined;
    return ok ? { ok: true, principal } : { ok: false, reason: 'Authentication failed: unknown principal or wrong secret' };
  }
}

const UNKNOWN = createHash('sha256').update('\u0000no such principal\u0000').digest();

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
