// Internal state of the allocator: one record per framework and per agent. Invariant per agent:
//   total = available + Σ allocations                     (all in unallocated form)
//   freeHeadroom = headroomVector(available)             (unreserved, non-revocable free scalars)

import type { Resources } from '@mesos-ts/resources';
import type { FrameworkCapability } from './types.js';
import type { ScalarVector } from './scalar-vector.js';

export interface FrameworkState {
  readonly id: string;
  roles: ReadonlySet<string>;
  capabilities: ReadonlySet<FrameworkCapability>;
  /** Roles in which the framework asked not to get offers (SUPPRESS). */
  suppressed: Set<string>;
  active: boolean;
}

export interface AgentState {
  readonly id: string;
  hostname: string;
  attributes: Readonly<Record<string, string>>;
  total: Resources;
  available: Resources;
  /** framework → role → resources offered or in use, in unallocated form. */
  readonly allocations: Map<string, Map<string, Resources>>;
  /** All scalars of `total` (counted into the cluster totals shares are computed against). */
  totalVector: ScalarVector;
  freeHeadroom: ScalarVector;
  /** Reserved scalars of `total` by reservation role (counts as consumed quota). */
  reservedByRole: Map<string, ScalarVector>;
  hasGpus: boolean;
  /** Deactivated agents (e.g. disconnected) get no offers. */
  active: boolean;
  /** Agents under maintenance get no offers. */
  maintenance: boolean;
}

/** One offer produced by an allocation run. `resources` are in allocated form (allocation_info.role = role). */
export interface Offer {
  readonly frameworkId: string;
  readonly agentId: string;
  readonly role: string;
  readonly resources: Resources;
}
