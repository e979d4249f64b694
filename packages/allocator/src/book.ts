// Allocator bookkeeping: the state records plus the numeric mirrors kept in step with them (sorters, cluster
// totals, quota consumption, free headroom). Every change to an allocation or an agent total goes through here
// so the invariants of state.ts hold after each call.

import type { Resources } from '@mesos-ts/resources';
import { DrfSorter, type ShareContext } from './drf-sorter.js';
import { RefusalFilters } from './filters.js';
import type { Quota } from './quota.js';
import { headroomVector, reservedScalarsByRole, scalarVector, vectorsOf } from './resource-view.js';
import { RoleTree, isSelfOrAncestor } from './role-tree.js';
import { KindIndex, addInto, subtractInto, type ScalarVector } from './scalar-vector.js';
import type { AgentState, FrameworkState } from './state.js';

export class Book {
  readonly kinds = new KindIndex();
  readonly ctx: ShareContext = { total: [], excluded: [] };
  readonly roleTree: RoleTree;
  readonly frameworkSorters = new Map<string, DrfSorter>();
  readonly frameworks = new Map<string, FrameworkState>();
  readonly agents = new Map<string, AgentState>();
  readonly weights = new Map<string, number>();
  readonly quotas = new Map<string, Quota>();
  readonly filters = new RefusalFilters();
  /** Unreserved non-revocable scalars allocated per role (exact role, not subtree). */
  readonly unreservedAllocByRole = new Map<string, ScalarVector>();
  /** Reserved scalars of all agents' totals per reservation role. */
  readonly reservedByRole = new Map<string, ScalarVector>();
  /** Σ agents' free headroom (available headroom of the quota math). */
  readonly freeHeadroom: ScalarVector = [];

  constructor(excludedNames: readonly string[]) {
    for (const name of excludedNames) this.ctx.excluded[this.kinds.indexOf(name)] = true;
    this.roleTree = new RoleTree(this.ctx, (role) => this.weights.get(role) ?? 1);
  }

  frameworkSorter(role: string): DrfSorter {
    let sorter = this.frameworkSorters.get(role);
    if (!sorter) {
      sorter = new DrfSorter(this.ctx);
      this.frameworkSorters.set(role, sorter);
    }
    return sorter;
  }

  /** Puts the framework's sorter clients in step with its active and suppressed flags. */
  syncActivity(fw: FrameworkState): void {
    for (const role of fw.roles) this.frameworkSorters.get(role)?.setActive(fw.id, fw.active && !fw.suppressed.has(role));
  }

  /**
   * Records that `res` (unallocated form, part of agent.available) goes to (framework, role). `vec` and
   * `headroom` are its scalar and headroom vectors. Returns the allocated form (for the offer); the book keeps
   * the unallocated form, which shares its entries with the agent's totals (less memory per allocation).
   */
  allocate(agent: AgentState, frameworkId: string, role: string, res: Resources, vec: ScalarVector, headroom: ScalarVector): Resources {
    const allocated = res.allocate(role);
    agent.available = agent.available.subtract(res);
    let byRole = agent.allocations.get(frameworkId);
    if (!byRole) {
      byRole = new Map();
      agent.allocations.set(frameworkId, byRole);
    }
    const before = byRole.get(role);
    byRole.set(role, before ? before.add(res) : res);
    subtractInto(agent.freeHeadroom, headroom);
    subtractInto(this.freeHeadroom, headroom);
    addInto(vectorOf(this.unreservedAllocByRole, role), headroom);
    this.frameworkSorters.get(role)?.allocated(frameworkId, vec);
    this.roleTree.allocated(role, vec);
    return allocated;
  }

  /** allocate() for resources given in unallocated form, computing the vectors here. */
  allocatePlain(agent: AgentState, frameworkId: string, role: string, res: Resources): Resources {
    const [vec, headroom] = vectorsOf(res, this.kinds);
    return this.allocate(agent, frameworkId, role, res, vec, headroom);
  }

  /**
   * Unallocated form of allocated resources. For an offer this book handed out, Resources.allocate() remembered
   * the form it was made from, so a whole declined offer returns exactly the entries the book holds, at no cost.
   */
  plainOf(allocated: Resources): Resources {
    return allocated.unallocate();
  }

  /** Records that `res` (unallocated form) held by (framework, role) returns to the agent; returns its scalar vector. */
  release(agent: AgentState, frameworkId: string, role: string, res: Resources): ScalarVector {
    const byRole = agent.allocations.get(frameworkId);
    const current = byRole?.get(role);
    if (!byRole || !current) throw new Error(`allocator invariant: (${frameworkId}, ${role}) holds nothing on ${agent.id}`);
    const rest = current.subtract(res); // callers checked containment; a failure here is a broken invariant
    if (rest.isEmpty()) byRole.delete(role);
    else byRole.set(role, rest);
    if (byRole.size === 0) agent.allocations.delete(frameworkId);
    agent.available = agent.available.add(res);
    const [vec, headroom] = vectorsOf(res, this.kinds);
    addInto(agent.freeHeadroom, headroom);
    addInto(this.freeHeadroom, headroom);
    subtractInto(vectorOf(this.unreservedAllocByRole, role), headroom);
    this.frameworkSorters.get(role)?.unallocated(frameworkId, vec);
    this.roleTree.unallocated(role, vec);
    return vec;
  }

  /** Adds (sign 1) or removes (sign -1) the agent's total and free headroom from the cluster-wide figures. */
  countAgent(agent: AgentState, sign: 1 | -1): void {
    const apply = sign === 1 ? addInto : subtractInto;
    apply(this.ctx.total, agent.totalVector);
    apply(this.freeHeadroom, agent.freeHeadroom);
    for (const [role, vec] of agent.reservedByRole) apply(vectorOf(this.reservedByRole, role), vec);
    this.invalidateShares();
  }

  /** Recomputes the agent's derived figures from total and available (call between countAgent -1 and +1). */
  deriveAgent(agent: AgentState): void {
    agent.totalVector = scalarVector(agent.total, this.kinds);
    agent.freeHeadroom = headroomVector(agent.available, this.kinds);
    agent.reservedByRole = reservedScalarsByRole(agent.total, this.kinds);
    agent.hasGpus = agent.total.scalar('gpus') > 0;
  }

  /** consumed(role) of the quota math: reservations plus unreserved allocation of the role's subtree. */
  consumed(role: string): ScalarVector {
    const out: ScalarVector = [];
    for (const [r, vec] of this.reservedByRole) if (isSelfOrAncestor(role, r)) addInto(out, vec);
    for (const [r, vec] of this.unreservedAllocByRole) if (isSelfOrAncestor(role, r)) addInto(out, vec);
    return out;
  }

  invalidateShares(): void {
    this.roleTree.invalidate();
    for (const sorter of this.frameworkSorters.values()) sorter.invalidate();
  }
}

function vectorOf(map: Map<string, ScalarVector>, key: string): ScalarVector {
  let vec = map.get(key);
  if (!vec) {
    vec = [];
    map.set(key, vec);
  }
  return vec;
}
