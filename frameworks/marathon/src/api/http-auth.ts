// Upstream Marathon's `--http_credentials user:password` (and `--http_realm`): every request, /ping and the UI
// included, must carry those HTTP Basic credentials, else 401 with `WWW-Authenticate: Basic realm="…"`.
// The comparison is wire's (digests, constant time); the password is never logged or echoed.
import { BasicAuthenticator } from '@mesos-ts/wire';

export const DEFAULT_REALM = 'Mesosphere';

export interface HttpAuth {
  readonly realm: string;
  /** True when the Authorization header carries the configured credentials. */
  allows(authorization: string | undefined): boolean;
}

export function httpAuth(credentials: { user: string; password: string }, realm = DEFAULT_REALM): HttpAuth {
  const authenticator = new BasicAuthenticator([{ principal: credentials.user, secret: credentials.password }]);
  return { realm, allows: (authorization) => authenticator.authenticate(authorization).ok };
}

/** `user:password` as --http_credentials takes it (the password may hold colons); throws a usage error. */
export function parseHttpCredentials(value: string): { user: string; password: string } {
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1) throw new Error('--http_credentials must be user:password (both non-empty)');
  return { user: value.slice(0, colon), password: value.slice(colon + 1) };
}

/** The 401 answer's head and body. */
export function challenge(auth: HttpAuth): { status: 401; headers: Record<string, string>; body: string } {
  return {
    status: 401,
    headers: { 'Content-Type': 'application/json', 'WWW-Authenticate': `Basic realm="${auth.realm.replace(/["\\]/g, '')}"` },
    body: `${JSON.stringify({ message: 'Unauthorized: this launcher requires HTTP Basic credentials (curl -u user:password)' })}\n`,
  };
}
