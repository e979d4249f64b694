// The master's security settings from its flags and environment: which callers must authenticate, the
// credentials they authenticate with, the ACLs, and TLS. Every problem stops the master at start (fail closed):
// an --authenticate_* flag without --credentials, unreadable or malformed files, TLS without a key.
import { readFileSync } from 'node:fs';
import { BasicAuthenticator, PERMISSIVE, SecurityConfigError, parseAcls, parseCredentials, serverTlsOptions, tlsFromEnv, type Acls, type TlsConfig } from '@mesos-ts/wire';
import { MasterError } from '../core/errors.js';

export interface MasterSecurity {
  readonly authenticateFrameworks: boolean;
  readonly authenticateAgents: boolean;
  readonly authenticateHttpReadonly: boolean;
  readonly authenticateHttpReadwrite: boolean;
  /** From --credentials; undefined without it (then no request can authenticate). */
  readonly authenticator: BasicAuthenticator | undefined;
  readonly acls: Acls;
  /** False when --acls was not given (everything allowed): the views skip filtering. */
  readonly aclsGiven: boolean;
  readonly tls: TlsConfig | undefined;
}

export const NO_SECURITY: MasterSecurity = {
  authenticateFrameworks: false,
  authenticateAgents: false,
  authenticateHttpReadonly: false,
  authenticateHttpReadwrite: false,
  authenticator: undefined,
  acls: PERMISSIVE,
  aclsGiven: false,
  tls: undefined,
};

/** `raw` holds the flags as text (the ACLs already read from file://); `credentialsText` the credentials file. */
export function securityFromFlags(raw: ReadonlyMap<string, string>, credentialsText: string | undefined, env: NodeJS.ProcessEnv): MasterSecurity {
  const on = (n: string): boolean => raw.get(n) === 'true';
  try {
    const security: MasterSecurity = {
      authenticateFrameworks: on('authenticate_frameworks') || on('authenticate'),
      authenticateAgents: on('authenticate_agents'),
      authenticateHttpReadonly: on('authenticate_http_readonly'),
      authenticateHttpReadwrite: on('authenticate_http_readwrite'),
      authenticator: credentialsText === undefined ? undefined : new BasicAuthenticator(parseCredentials(credentialsText)),
      acls: raw.has('acls') ? parseAcls(aclsText(raw.get('acls') as string)) : PERMISSIVE,
      aclsGiven: raw.has('acls'),
      tls: tlsFromEnv(env),
    };
    const asked = ['authenticate', 'authenticate_frameworks', 'authenticate_agents', 'authenticate_http_readonly', 'authenticate_http_readwrite'].filter(on);
    if (asked.length > 0 && !security.authenticator) {
      throw new SecurityConfigError(`--${asked[0]}=true needs --credentials=<path> (the principals and secrets callers authenticate with)`);
    }
    if (security.tls) serverTlsOptions(security.tls);
    return security;
  } catch (e) {
    if (e instanceof SecurityConfigError) throw new MasterError('INVALID_FLAG', e.message);
    throw e;
  }
}

/** --acls is JSON, or (as upstream) a path to it: a value that is not JSON and names a file is read. */
function aclsText(value: string): string {
  return value.trimStart().startsWith('{') ? value : readPath(value);
}

function readPath(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new SecurityConfigError(`--acls: not JSON, and cannot read it as a file '${path}': ${(e as Error).message}`);
  }
}
