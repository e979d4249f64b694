// The agent's security settings: its own credential towards the master (--credential, HTTP Basic on the
// master↔agent protocol), the credentials its HTTP endpoints accept (--credentials with
// --authenticate_http_readonly/_readwrite), ACLs for sandboxes (--acls access_sandboxes) and TLS
// (LIBPROCESS_SSL_*). Anything asked for that cannot be honoured stops the agent at start (fail closed).
import type { IncomingMessage } from 'node:http';
import {
  BasicAuthenticator,
  PERMISSIVE,
  REALM_READONLY_AGENT,
  REALM_READWRITE_AGENT,
  SecurityConfigError,
  authorized,
  basicAuthorization,
  parseAcls,
  parseCredential,
  parseCredentials,
  serverTlsOptions,
  tlsFromEnv,
  type AclAction,
  type Acls,
  type TlsConfig,
} from '@mesos-ts/wire';
import { HttpError } from './http-util.js';

export interface AgentSecurity {
  /** `Authorization` header for calls to the master (from --credential); undefined without one. */
  readonly masterAuthorization: string | undefined;
  readonly authenticateHttpReadonly: boolean;
  readonly authenticateHttpReadwrite: boolean;
  readonly authenticator: BasicAuthenticator | undefined;
  readonly acls: Acls;
  readonly aclsGiven: boolean;
  readonly tls: TlsConfig | undefined;
}

export const NO_AGENT_SECURITY: AgentSecurity = {
  masterAuthorization: undefined,
  authenticateHttpReadonly: false,
  authenticateHttpReadwrite: false,
  authenticator: undefined,
  acls: PERMISSIVE,
  aclsGiven: false,
  tls: undefined,
};

export interface SecurityInput {
  credentialText: string | undefined;
  credentialsText: string | undefined;
  aclsText: string | undefined;
  readonly: boolean;
  readwrite: boolean;
  env: Readonly<Record<string, string | undefined>>;
  readFile: (path: string) => string;
}

/** Throws SecurityConfigError naming what is missing or malformed. */
export function agentSecurity(input: SecurityInput): AgentSecurity {
  const credential = input.credentialText === undefined ? undefined : parseCredential(input.credentialText);
  const authenticator = input.credentialsText === undefined ? undefined : new BasicAuthenticator(parseCredentials(input.credentialsText));
  if ((input.readonly || input.readwrite) && !authenticator) {
    throw new SecurityConfigError(`--authenticate_http_${input.readwrite ? 'readwrite' : 'readonly'}=true needs --credentials=<path> (the principals and secrets callers authenticate with)`);
  }
  const tls = tlsFromEnv(input.env, (p) => Buffer.from(input.readFile(p)));
  if (tls) serverTlsOptions(tls);
  return {
    masterAuthorization: credential ? basicAuthorization(credential.principal, credential.secret) : undefined,
    authenticateHttpReadonly: input.readonly,
    authenticateHttpReadwrite: input.readwrite,
    authenticator,
    acls: input.aclsText === undefined ? PERMISSIVE : parseAcls(input.aclsText),
    aclsGiven: input.aclsText !== undefined,
    tls,
  };
}

/**
 * Authenticates an operator request to the agent: GET/HEAD and read-only v1 calls are `readonly`, the rest
 * `readwrite`. Returns the principal; throws 401 with upstream's realm when credentials are required but
 * missing or wrong (wrong ones are refused even where none are required).
 */
export function authenticateAgentRequest(s: AgentSecurity, req: IncomingMessage, readonly: boolean): string | undefined {
  const header = req.headers.authorization;
  const required = readonly ? s.authenticateHttpReadonly : s.authenticateHttpReadwrite;
  // Without --credentials a header cannot be checked and is ignored (unless the realm requires it: fail closed).
  if (!required && (header === undefined || s.authenticator === undefined)) return undefined;
  const result = s.authenticator ? s.authenticator.authenticate(header) : { ok: false as const, reason: 'This agent has no --credentials to authenticate with' };
  if (!result.ok) {
    throw new HttpError(401, `${result.reason}; send HTTP Basic credentials of a principal in the agent's --credentials`, {
      'WWW-Authenticate': `Basic realm="${readonly ? REALM_READONLY_AGENT : REALM_READWRITE_AGENT}"`,
    });
  }
  return result.principal;
}

export function agentAllowed(s: AgentSecurity, action: AclAction, principal: string | undefined, object?: string): boolean {
  return !s.aclsGiven || authorized(s.acls, action, principal, object);
}
