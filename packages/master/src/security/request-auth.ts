// Authentication of one HTTP request to the master: which realm the request belongs to (scheduler, read-only,
// read-write, agent), whether that realm requires credentials, and the authenticated principal. The principal
// is remembered per request, so handlers deep in the routes can authorize without new parameters.
import type { IncomingMessage } from 'node:http';
import { REALM_READONLY_MASTER, REALM_READWRITE_MASTER, REALM_SCHEDULER } from '@mesos-ts/wire';
import type { MasterContext as Master } from '../runtime/context.js';
import { HttpError, firstHeader } from '../http/respond.js';

export type Realm = 'scheduler' | 'readonly' | 'readwrite' | 'agent';

const REALMS: Record<Realm, string> = {
  scheduler: REALM_SCHEDULER,
  readonly: REALM_READONLY_MASTER,
  readwrite: REALM_READWRITE_MASTER,
  agent: 'mesos-master-agent',
};

const principals = new WeakMap<IncomingMessage, string>();

function required(m: Master, realm: Realm): boolean {
  const s = m.flags.security;
  if (realm === 'scheduler') return s.authenticateFrameworks;
  if (realm === 'agent') return s.authenticateAgents;
  if (realm === 'readonly') return s.authenticateHttpReadonly;
  return s.authenticateHttpReadwrite;
}

/**
 * Authenticates `req` for `realm`: returns the principal (undefined when the request has no credentials and the
 * realm does not require them). With --credentials, wrong credentials are refused even where none are required.
 * Throws 401 with `WWW-Authenticate: Basic realm="..."`.
 */
export function authenticate(m: Master, req: IncomingMessage, realm: Realm): string | undefined {
  const known = principals.get(req);
  if (known !== undefined) return known;
  const header = firstHeader(req.headers.authorization);
  const authenticator = m.flags.security.authenticator;
  // Without --credentials nothing can be checked: a header is ignored (clients configured with a principal
  // work against an open master, as upstream's), and a realm that requires authentication failed at start.
  if (!required(m, realm) && (header === undefined || authenticator === undefined)) return undefined;
  const result = authenticator ? authenticator.authenticate(header) : { ok: false as const, reason: 'This master has no --credentials to authenticate with' };
  if (!result.ok) {
    m.metrics.inc('master/authentication_failures');
    throw new HttpError(401, `${result.reason}; send HTTP Basic credentials of a principal in the master's --credentials`, { 'WWW-Authenticate': `Basic realm="${REALMS[realm]}"` });
  }
  principals.set(req, result.principal);
  return result.principal;
}

/** The principal authenticate() found for this request, if any. */
export function principalOf(req: IncomingMessage): string | undefined {
  return principals.get(req);
}
