// Offers: turning allocator results into OFFERS events, removing them (accepted, declined, rescinded,
// timed out, agent or framework gone), DECLINE, REVIVE and SUPPRESS.
import type { v1 } from '@mesos-ts/proto';
import { MasterError } from '../core/errors.js';
import { agentUnavailability } from '../core/maintenance.js';
import type { FrameworkRecord, OfferState } from '../core/state.js';
import type { MasterContext as Master } from './context.js';

/** One allocation run (all agents, or only `agents`), then OFFERS events, one per framework. */
export function runAllocation(m: Master, agents: readonly string[] | undefined): void {
  if (m.recovering) return;
  const now = m.clock.now();
  const offers = m.allocator.allocate(now, agents ? { agents } : {});
  const byFramework = new Map<FrameworkRecord, v1.Offer[]>();
  for (const o of offers) {
    const fw = m.books.frameworks.get(o.frameworkId);
    const agent = m.books.agents.get(o.agentId);
    if (!fw || !fw.connected || !agent || !agent.reachable) {
      m.recoverResources(o.frameworkId, o.agentId, o.resources, now, 0);
      continue;
    }
    const id = m.nextOfferId();
    const executorIds = [...fw.executors.values()].filter((e) => e.agentId === agent.id).map((e) => e.info.executor_id);
    const proto: v1.Offer = {
      id: { value: id },
      framework_id: { value: fw.id },
      agent_id: { value: agent.id },
      hostname: agent.info.hostname,
      url: { scheme: 'http', address: { hostname: agent.info.hostname, port: agent.info.port ?? 5051 }, path: '/slave(1)' },
      resources: o.resources.toProto(),
      allocation_info: { role: o.role },
    };
    if (agent.info.attributes?.length) proto.attributes = agent.info.attributes;
    if (executorIds.length > 0) proto.executor_ids = executorIds;
    const unavailability = agentUnavailability(m.books.maintenance, agent.info.hostname);
    if (unavailability) proto.unavailability = unavailability;
    const state: OfferState = { id, frameworkId: fw.id, agentId: agent.id, role: o.role, resources: o.resources, proto, timer: undefined };
    if (m.flags.offerTimeoutMs !== undefined) {
      state.timer = m.clock.setTimer(
        m.flags.offerTimeoutMs,
        m.guarded('offer timeout', () => {
          state.timer = undefined;
          removeOffer(m, id, { recover: true, refuseSeconds: 0, rescind: true });
        }),
      );
    }
    m.books.offers.set(id, state);
    fw.offers.add(id);
    agent.offers.add(id);
    const list = byFramework.get(fw) ?? [];
    list.push(proto);
    byFramework.set(fw, list);
  }
  for (const [fw, list] of byFramework) {
    m.metrics.inc('master/messages_resource_offers');
    m.sendToFramework(fw, { type: 'OFFERS', offers: { offers: list } });
  }
}

export interface RemoveOfferOptions {
  /** Return the resources to the allocator (false when the framework or agent is being removed anyway). */
  recover: boolean;
  /** Refusal filter for the recovered resources (default 5 s; 0 = none). */
  refuseSeconds?: number;
  /** Tell the framework with a RESCIND event. */
  rescind?: boolean;
}

/** Removes an outstanding offer; returns it, or undefined when it was no longer outstanding. */
export function removeOffer(m: Master, offerId: string, opts: RemoveOfferOptions): OfferState | undefined {
  const offer = m.books.offers.get(offerId);
  if (!offer) return undefined;
  m.books.offers.delete(offerId);
  offer.timer?.cancel();
  const fw = m.books.frameworks.get(offer.frameworkId);
  fw?.offers.delete(offerId);
  m.books.agents.get(offer.agentId)?.offers.delete(offerId);
  if (opts.recover) m.recoverResources(offer.frameworkId, offer.agentId, offer.resources, m.clock.now(), opts.refuseSeconds);
  if (opts.rescind && fw) {
    m.metrics.inc('master/offers_rescinded');
    m.sendToFramework(fw, { type: 'RESCIND', rescind: { offer_id: { value: offerId } } });
  }
  return offer;
}

/** Rescinds every outstanding offer on an agent (agent lost, operator needs the resources). */
export function rescindAgentOffers(m: Master, agentId: string, refuseSeconds?: number): void {
  const agent = m.books.agents.get(agentId);
  for (const id of [...(agent?.offers ?? [])]) {
    const opts: RemoveOfferOptions = { recover: true, rescind: true };
    if (refuseSeconds !== undefined) opts.refuseSeconds = refuseSeconds;
    removeOffer(m, id, opts);
  }
}

/** DECLINE: the offers go back to the allocator under the call's filter; unknown offers are ignored (upstream). */
export function decline(m: Master, fw: FrameworkRecord, offerIds: readonly v1.OfferID[], filters: v1.Filters | undefined): void {
  for (const { value } of offerIds) {
    const offer = m.books.offers.get(value);
    if (!offer || offer.frameworkId !== fw.id) continue;
    const opts: RemoveOfferOptions = { recover: true };
    if (filters?.refuse_seconds !== undefined) opts.refuseSeconds = filters.refuse_seconds;
    removeOffer(m, value, opts);
  }
  m.metrics.inc('master/messages_decline_offers');
}

/** REVIVE: clears filters and suppression of the roles (all when empty) and allocates at once. */
export function revive(m: Master, fw: FrameworkRecord, roles: readonly string[]): void {
  checkRoles(fw, roles);
  m.allocator.revive(fw.id, roles);
  if (roles.length === 0) fw.suppressedRoles.clear();
  else for (const r of roles) fw.suppressedRoles.delete(r);
  m.metrics.inc('master/messages_revive_offers');
  m.requestAllocation();
}

/** SUPPRESS: no offers in the roles (all when empty) until REVIVE or UPDATE_FRAMEWORK. */
export function suppress(m: Master, fw: FrameworkRecord, roles: readonly string[]): void {
  checkRoles(fw, roles);
  m.allocator.suppress(fw.id, roles);
  for (const r of roles.length === 0 ? fw.roles : roles) fw.suppressedRoles.add(r);
  m.metrics.inc('master/messages_suppress_offers');
}

function checkRoles(fw: FrameworkRecord, roles: readonly string[]): void {
  for (const r of roles) {
    if (!fw.roles.includes(r)) throw new MasterError('INVALID_CALL', `role '${r}' is not one of the framework's roles (${fw.roles.join(', ')})`);
  }
}
