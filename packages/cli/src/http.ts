// HTTP to the master and agents for the CLIs: GET of JSON endpoints (/master/state, agent /state,
// /files/read) and operator API calls. Failures become CliErrors whose message says who could not be
// reached and what to check.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { master as masterProto } from '@mesos-ts/proto';
import { basicAuthorization, clientTlsOptions, defaultClientTls, isWireError, post } from '@mesos-ts/wire';
import { CliError } from './errors.js';

/** `Authorization` header every request of this process carries (from --principal/--secret); none by default. */
let authorization: string | undefined;

export function setCredential(c: { principal: string; secret: string } | undefined): void {
  authorization = c ? basicAuthorization(c.principal, c.secret) : undefined;
}

function authHeaders(): Record<string, string> {
  return authorization === undefined ? {} : { Authorization: authorization };
}

/** --principal/--secret, else MESOS_PRINCIPAL with MESOS_SECRET or MESOS_SECRET_FILE; undefined without a secret. */
export function credentialOf(principal: string | undefined, secret: string | undefined, env: NodeJS.ProcessEnv): { principal: string; secret: string } | undefined {
  const p = principal ?? env.MESOS_PRINCIPAL;
  let s = secret ?? env.MESOS_SECRET;
  if (s === undefined && env.MESOS_SECRET_FILE) {
    try {
      s = readFileSync(env.MESOS_SECRET_FILE, 'utf8').trim();
    } catch (e) {
      throw new CliError('USAGE', `cannot read MESOS_SECRET_FILE=${env.MESOS_SECRET_FILE}: ${(e as Error).message}`);
    }
  }
  // A principal alone is not a credential (`mesos reserve --principal` also names the reservation's principal).
  if (s === undefined) return undefined;
  if (p === undefined) throw new CliError('USAGE', '--secret needs --principal (or MESOS_PRINCIPAL)');
  return { principal: p, secret: s };
}

const HINT: Readonly<Record<string, string>> = {
  master: ' — is mesos-master running? (set --master or MESOS_MASTER)',
  agent: ' — is the agent running?',
};

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
};

/** Default time a single request may take, in ms. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** GETs `http://<address><path>` and parses JSON; follows one leader redirect (307). */
export async function getJson(address: string, path: string, peer: 'master' | 'agent' = 'master', redirects = 1): Promise<unknown> {
  const { status, body, location } = await get(address, path, peer);
  if ((status === 307 || status === 302) && location !== undefined && redirects > 0) {
    const next = new URL(location, `http://${address}`);
    return getJson(next.host, path, peer, redirects - 1);
  }
  if (status !== 200) {
    const text = body.toString('utf8').trim();
    throw new CliError(status === 404 ? 'NOT_FOUND' : 'REQUEST_FAILED', `${peer} at ${address} answered ${status} for ${path}${text ? `: ${text.slice(0, 500)}` : ''}`);
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new CliError('REQUEST_FAILED', `${peer} at ${address} answered ${path} with something that is not JSON`);
  }
}

function get(address: string, path: string, peer: string): Promise<{ status: number; body: Buffer; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    // With LIBPROCESS_SSL_ENABLED the CLI speaks HTTPS, verifying the server against LIBPROCESS_SSL_CA_FILE.
    const tls = defaultClientTls();
    const options = { timeout: REQUEST_TIMEOUT_MS, headers: { Accept: 'application/json', ...authHeaders() }, ...(tls ? clientTlsOptions(tls) : {}) };
    const req = (tls ? https : http).get(`${tls ? 'https' : 'http'}://${address}${path}`, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), location: res.headers.location }));
      res.on('error', (e) => reject(unreachable(e, address, peer)));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (e) => reject(unreachable(e, address, peer)));
  });
}

function unreachable(e: unknown, address: string, peer: string): CliError {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const reason = REASONS[code] ?? (e as Error).message;
  return new CliError('UNREACHABLE', `cannot reach ${peer} at ${address}: ${reason}${HINT[peer] ?? ''}`, { cause: e });
}

/** Sends a master operator API call (`/api/v1`, JSON); returns the decoded Response when there is one. */
export async function operatorCall(address: string, call: masterProto.Call, redirects = 1): Promise<masterProto.Response | undefined> {
  try {
    const res = await post({
      url: `http://${address}/api/v1`,
      callType: 'mesos.v1.master.Call',
      responseType: 'mesos.v1.master.Response',
      call,
      headers: authHeaders(),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (res.kind === 'redirect') {
      if (redirects <= 0) throw new CliError('REQUEST_FAILED', `master at ${address} redirected to ${res.url.host} too many times`);
      return operatorCall(res.url.host, call, redirects - 1);
    }
    return res.body;
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (isWireError(e, 'UNREACHABLE')) throw new CliError('UNREACHABLE', `${e.message}${HINT['master']}`, { cause: e });
    if (isWireError(e)) throw new CliError(e.status === 404 ? 'NOT_FOUND' : 'REQUEST_FAILED', e.message, { cause: e });
    throw e;
  }
}
