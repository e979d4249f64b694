// Agent sessions: the master hands each agent it admits a random token (response header of the REGISTER
// stream) and keeps only its SHA-256 in the registry. REREGISTER must present the token, so a client that merely
// knows an agent id (every /master/state lists them) cannot take over the agent's resources or report its tasks
// gone. An agent the registry holds no digest for (a registry written before sessions, or an in-memory registry
// after a master restart) is admitted and given a fresh token, as before.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { MasterError } from '../core/errors.js';
import type { MasterContext as Master } from './context.js';

/** Response header carrying the token; the agent sends it back on REREGISTER. */
export const AGENT_SESSION_HEADER = 'Mesos-Agent-Session';

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sessionDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The token the REREGISTER of agent `id` continues with: the one presented when the registry's digest matches,
 * a fresh one when the registry has none. Throws 403 when the registry has a digest and the token is missing
 * or wrong: the master did not open this agent's session for the caller.
 */
export function reregisterSessionToken(m: Master, id: string, presented: string | undefined): string {
  const stored = m.registry.document.agents.find((a) => a.info.id?.value === id)?.sessionDigest;
  if (stored === undefined) return newSessionToken();
  if (presented !== undefined && sameDigest(stored, sessionDigest(presented))) return presented;
  m.metrics.inc('master/invalid_agent_sessions');
  m.log.warn({ agent: id }, 'refused a REREGISTER without the agent session token the master gave that agent');
  throw new MasterError('NOT_SUBSCRIBED', `Agent ${id} re-registered without the session token the master issued to it; a new agent must REGISTER`);
}

/** Records the token's digest for agent `id` in the registry when it is not there yet. */
export async function rememberSession(m: Master, id: string, token: string): Promise<void> {
  const digest = sessionDigest(token);
  const entry = m.registry.document.agents.find((a) => a.info.id?.value === id);
  if (!entry || entry.sessionDigest === digest) return;
  await m.registry.mutate((d) => {
    const e = d.agents.find((a) => a.info.id?.value === id);
    if (e) e.sessionDigest = digest;
  });
}

function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
