// Which node, if any, an offer from one agent should start (upstream CassandraCluster's offer logic, with the
// one-node-per-agent rule and sticky volumes). Pure: time comes in as `now` (ms since epoch).
//   - a placed node returns to its own agent (its reservation and volume are there), never elsewhere;
//   - an agent holding any other non-terminated node gets nothing more;
//   - unplaced seeds go before non-seeds;
//   - a node starts only when every other wanted node is running, healthy and NORMAL, a non-seed only when a
//     seed is, and a bootstrapping node (one never seen NORMAL) only when no other node launched within the
//     bootstrap grace time. A restart of a known node skips the grace: it does not bootstrap;
//   - a node that failed twice or more in a row waits RESTART_BACKOFF before its next start;
//   - a replacement prefers an agent other than the dead node's (SAME_ADDRESS_AFTER_MS).
import { restartAt, type FailoverPolicy } from '@mesos-ts/framework-kit';
import type { RingState } from './commands.js';
import { isHealthyRunning, isLive, type CassandraNode } from './node.js';

/**
 * A crashed node comes back at once the first time; from its second failure in a row, 5 s doubling up to 5 min
 * (a node that cannot start must not spin its agent).
 */
export const RESTART_BACKOFF: FailoverPolicy = { delayMs: 5_000, maxDelayMs: 300_000 };

/**
 * A replacement takes another agent than the dead node's when one offers within this time. At the same address
 * Cassandra 5 announces itself as hibernating, and peers never gossip to a hibernating node: it learns the ring
 * only if a peer gossips to the old address in the second before its own first gossip, else it fails with
 * "Unable to contact any seeds" (and so does every later attempt). After this time the dead node's agent is used
 * too, as the only way forward when no other agent offers the dead node's storage port.
 */
export const SAME_ADDRESS_AFTER_MS = 30_000;

export interface OfferView {
  agentId: string;
  hostname: string;
}

export type PlacementDecision = { kind: 'launch'; node: CassandraNode; bootstrap: boolean } | { kind: 'decline'; reason: string };

/** A node that should run and does not: the scheduler revives offers while one exists and suppresses otherwise. */
export function wantsLaunch(node: CassandraNode): boolean {
  return (node.targetRunState === 'RUN' || node.targetRunState === 'RESTART') && !isLive(node);
}

export function needsOffers(state: RingState): boolean {
  return state.nodes.some(wantsLaunch);
}

export function decidePlacement(state: RingState, offer: OfferView, now: number): PlacementDecision {
  const active = state.nodes.filter((n) => n.targetRunState !== 'TERMINATE');
  const own = active.find((n) => n.agentId === offer.agentId);
  let candidate: CassandraNode | undefined;
  if (own !== undefined) {
    if (!wantsLaunch(own)) return { kind: 'decline', reason: `agent ${offer.hostname} already holds ${own.name}` };
    const at = restartAt(RESTART_BACKOFF, { failures: Math.max(0, (own.failures ?? 0) - 1), failureTime: own.lastFailureAt }, now);
    if (at !== undefined) return { kind: 'decline', reason: `${own.name} failed ${own.failures} times in a row; next start in ${Math.ceil((at - now) / 1000)} s` };
    candidate = own;
  } else {
    const unplaced = active.filter((n) => n.agentId === undefined && wantsLaunch(n));
    candidate = unplaced.find((n) => n.seed) ?? unplaced[0];
    if (candidate === undefined) return { kind: 'decline', reason: 'no node needs a new agent' };
    if (candidate.replacementForIp === offer.hostname && now - (candidate.replacementRequestedAt ?? 0) < SAME_ADDRESS_AFTER_MS) {
      return { kind: 'decline', reason: `${candidate.name} replaces ${offer.hostname}: another agent is preferred for ${Math.ceil((SAME_ADDRESS_AFTER_MS - now + (candidate.replacementRequestedAt ?? 0)) / 1000)} s more` };
    }
  }
  // Only placed nodes count: a node never launched is not part of the ring yet.
  const others = active.filter((n) => n.name !== candidate.name && n.agentId !== undefined && n.targetRunState !== 'STOP');
  const notReady = others.filter((n) => !isHealthyRunning(n));
  if (notReady.length > 0) return { kind: 'decline', reason: `waiting for ${notReady.map((n) => n.name).join(', ')} to be running and NORMAL before starting ${candidate.name}` };
  if (!candidate.seed && !others.some((n) => n.seed && isHealthyRunning(n))) {
    return { kind: 'decline', reason: `no seed is running and healthy yet; ${candidate.name} waits` };
  }
  const bootstrap = candidate.lastLaunchAt === undefined || candidate.replacementForIp !== undefined;
  if (bootstrap) {
    const last = Math.max(0, ...active.map((n) => n.lastLaunchAt ?? 0));
    const graceMs = state.config.bootstrapGraceTimeSeconds * 1000;
    if (last > 0 && now - last < graceMs) {
      return { kind: 'decline', reason: `bootstrap grace: ${Math.ceil((last + graceMs - now) / 1000)} s until ${candidate.name} may start` };
    }
  }
  return { kind: 'launch', node: candidate, bootstrap };
}
