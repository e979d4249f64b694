// Refusal filters: after a DECLINE (or resources left unused by an ACCEPT) the framework is not offered the same
// agent's resources in that role again until the filter expires — unless the agent now has more to offer than
// was refused (the filter only hides offers that are a subset of the refused scalars).

import type { ScalarVector } from './scalar-vector.js';
import { lessOrEqual } from './scalar-vector.js';

export const DEFAULT_REFUSE_SECONDS = 5;
export const MAX_REFUSE_SECONDS = 365 * 24 * 60 * 60;

/**
 * Filter duration in ms for a decline's `refuse_seconds`: 0 → no filter (returns 0); missing, negative, NaN →
 * 5 s; otherwise never shorter than one allocation interval and capped at 365 days.
 */
export function refusalTimeoutMs(refuseSeconds: number | undefined, allocationIntervalMs: number): number {
  if (refuseSeconds === 0) return 0;
  const seconds = refuseSeconds === undefined || Number.isNaN(refuseSeconds) || refuseSeconds < 0
    ? DEFAULT_REFUSE_SECONDS
    : Math.min(refuseSeconds, MAX_REFUSE_SECONDS);
  return Math.min(Math.max(seconds * 1000, allocationIntervalMs), MAX_REFUSE_SECONDS * 1000);
}

interface RefusalFilter {
  readonly role: string;
  /** Absolute time (ms) from which the filter no longer applies. */
  readonly expiresAt: number;
  /** Scalars refused (milli-units); an offer within these is filtered. */
  readonly refused: ScalarVector;
}

/** The filters of one (framework, agent): usually a single role's, so that one is stored without an array. */
type Slot = RefusalFilter | RefusalFilter[];

const listOf = (slot: Slot): RefusalFilter[] => (Array.isArray(slot) ? slot : [slot]);

// Indexed framework → agent → filters (one per role) rather than by a joined "agent\nrole" key: lookups run for
// every framework tried on every agent in a run, and a joined key would build and hash a new string each time.
export class RefusalFilters {
  private readonly byFramework = new Map<string, Map<string, Slot>>();
  private count = 0;

  add(frameworkId: string, agentId: string, role: string, refused: ScalarVector, expiresAt: number): void {
    let byAgent = this.byFramework.get(frameworkId);
    if (!byAgent) {
      byAgent = new Map();
      this.byFramework.set(frameworkId, byAgent);
    }
    const filter: RefusalFilter = { role, expiresAt, refused: refused.slice() };
    const slot = byAgent.get(agentId);
    if (slot === undefined || (!Array.isArray(slot) && slot.role === role)) {
      if (slot === undefined) this.count++;
      byAgent.set(agentId, filter); // the common case: one role, a new filter or a replaced one
      return;
    }
    const list = listOf(slot);
    const others = list.filter((f) => f.role !== role);
    if (others.length === list.length) this.count++;
    byAgent.set(agentId, [...others, filter]);
  }

  /** True when an offer of `candidate` to (framework, role) on the agent is hidden by an unexpired filter. */
  isFiltered(frameworkId: string, agentId: string, role: string, candidate: ScalarVector, now: number): boolean {
    const slot = this.byFramework.get(frameworkId)?.get(agentId);
    if (slot === undefined) return false;
    const filter = Array.isArray(slot) ? slot.find((f) => f.role === role) : slot.role === role ? slot : undefined;
    if (filter === undefined) return false;
    if (filter.expiresAt <= now) {
      this.delete(frameworkId, agentId, (f) => f === filter);
      return false;
    }
    return lessOrEqual(candidate, filter.refused);
  }

  /** REVIVE: drops the framework's filters for the given roles (all roles when undefined). */
  clear(frameworkId: string, roles?: ReadonlySet<string>): void {
    const byAgent = this.byFramework.get(frameworkId);
    if (!byAgent) return;
    // Deleting the entry being visited is safe while iterating a Map.
    for (const agentId of byAgent.keys()) this.delete(frameworkId, agentId, (f) => roles === undefined || roles.has(f.role));
  }

  /** Drops every filter that names the agent. */
  clearAgent(agentId: string): void {
    for (const frameworkId of this.byFramework.keys()) this.delete(frameworkId, agentId, () => true);
  }

  /** Drops expired filters (memory stays proportional to live filters). */
  sweep(now: number): void {
    const expired = (f: RefusalFilter): boolean => f.expiresAt <= now;
    // forEach rather than for-of over entries: no [key, value] pair per filter. Deleting while visiting is safe.
    this.byFramework.forEach((byAgent, frameworkId) => {
      byAgent.forEach((slot, agentId) => {
        if (Array.isArray(slot) ? slot.some(expired) : expired(slot)) this.delete(frameworkId, agentId, expired);
      });
    });
  }

  /** Number of filters held (expired ones included until swept or looked up). */
  get size(): number {
    return this.count;
  }

  /** Drops the (framework, agent) filters matching `drop`, and the maps left empty. */
  private delete(frameworkId: string, agentId: string, drop: (f: RefusalFilter) => boolean): void {
    const byAgent = this.byFramework.get(frameworkId);
    const slot = byAgent?.get(agentId);
    if (!byAgent || slot === undefined) return;
    if (!Array.isArray(slot)) {
      if (!drop(slot)) return;
      this.count--;
      byAgent.delete(agentId);
    } else {
      const kept = slot.filter((f) => !drop(f));
      this.count -= slot.length - kept.length;
      if (kept.length === 0) byAgent.delete(agentId);
      else byAgent.set(agentId, kept.length === 1 ? (kept[0] as RefusalFilter) : kept);
    }
    if (byAgent.size === 0) this.byFramework.delete(frameworkId);
  }
}
