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
  /** Absolute time (ms) from which the filter no longer applies. */
  readonly expiresAt: number;
  /** Scalars refused (milli-units); an offer within these is filtered. */
  readonly refused: ScalarVector;
}

function keyOf(agentId: string, role: string): string {
  return `${agentId}\n${role}`;
}

export class RefusalFilters {
  /** framework → (agent, role) → filter. */
  private readonly byFramework = new Map<string, Map<string, RefusalFilter>>();
  private count = 0;

  add(frameworkId: string, agentId: string, role: string, refused: ScalarVector, expiresAt: number): void {
    let filters = this.byFramework.get(frameworkId);
    if (!filters) {
      filters = new Map();
      this.byFramework.set(frameworkId, filters);
    }
    const key = keyOf(agentId, role);
    if (!filters.has(key)) this.count++;
    filters.set(key, { expiresAt, refused: refused.slice() });
  }

  /** True when an offer of `candidate` to (framework, role) on the agent is hidden by an unexpired filter. */
  isFiltered(frameworkId: string, agentId: string, role: string, candidate: ScalarVector, now: number): boolean {
    const filters = this.byFramework.get(frameworkId);
    if (!filters) return false;
    const key = keyOf(agentId, role);
    const filter = filters.get(key);
    if (!filter) return false;
    if (filter.expiresAt <= now) {
      this.delete(frameworkId, filters, key);
      return false;
    }
    return lessOrEqual(candidate, filter.refused);
  }

  /** REVIVE: drops the framework's filters for the given roles (all roles when undefined). */
  clear(frameworkId: string, roles?: ReadonlySet<string>): void {
    const filters = this.byFramework.get(frameworkId);
    if (!filters) return;
    for (const key of filters.keys()) {
      if (roles === undefined || roles.has(key.slice(key.indexOf('\n') + 1))) this.delete(frameworkId, filters, key);
    }
  }

  /** Drops every filter that names the agent. */
  clearAgent(agentId: string): void {
    const prefix = `${agentId}\n`;
    // Deleting the entry being visited is safe while iterating a Map.
    for (const [frameworkId, filters] of this.byFramework) {
      for (const key of filters.keys()) if (key.startsWith(prefix)) this.delete(frameworkId, filters, key);
    }
  }

  /** Drops expired filters (memory stays proportional to live filters). */
  sweep(now: number): void {
    for (const [frameworkId, filters] of this.byFramework) {
      for (const [key, filter] of filters) if (filter.expiresAt <= now) this.delete(frameworkId, filters, key);
    }
  }

  /** Number of filters held (expired ones included until swept or looked up). */
  get size(): number {
    return this.count;
  }

  private delete(frameworkId: string, filters: Map<string, RefusalFilter>, key: string): void {
    if (filters.delete(key)) this.count--;
    if (filters.size === 0) this.byFramework.delete(frameworkId);
  }
}
