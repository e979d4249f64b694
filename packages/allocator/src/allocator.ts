// HierarchicalAllocator: upstream's hierarchical weighted-DRF allocator as a pure state machine. The master
// feeds it events (frameworks, agents, declines, operations) and calls allocate(now) every allocation interval
// and after events; it answers with offers. Offered resources count as allocated until recovered or used.

import { Resources, type OfferOperation } from '@mesos-ts/resources';
import { runAllocation } from './allocation-run.js';
import { Book } from './book.js';
import { refusalTimeoutMs } from './filters.js';
import { DEFAULT_MIN_ALLOCATABLE, compileMinAllocatable, parseMinAllocatable, type CompiledMinimum } from './min-allocatable.js';
import { byAllocationRole, scalarVector } from './resource-view.js';
import { mulberry32, type Rng } from './rng.js';
import { validateRole } from './role-tree.js';
import { compileQuota } from './quota.js';
import { AllocatorError, type FrameworkCapability, type QuotaConfig, type ScalarQuantities } from './types.js';
import type { AgentState, FrameworkState, Offer } from './state.js';

export interface AllocatorOptions {
  /** --allocation_interval in ms (default 1000); refusal filters are never shorter. */
  readonly allocationIntervalMs?: number;
  /** Alternatives such as 'cpus:0.01|mem:32' (the default) or [{ cpus: 0.01 }, { mem: 32 }]. */
  readonly minAllocatable?: string | readonly ScalarQuantities[];
  /** --fair_sharing_excluded_resource_names: ignored when computing dominant shares. */
  readonly fairSharingExcludedResourceNames?: readonly string[];
  /** Seed of the agent shuffle (default 1). */
  readonly seed?: number;
}

export interface FrameworkConfig {
  readonly roles: readonly string[];
  readonly capabilities?: readonly FrameworkCapability[];
  readonly suppressedRoles?: readonly string[];
  /** Inactive frameworks keep their allocation but get no offers (default true). */
  readonly active?: boolean;
}

export interface AgentConfig {
  readonly hostname: string;
  readonly total: Resources;
  /** Resources in use per framework, in allocated form (after a master failover). */
  readonly used?: ReadonlyMap<string, Resources>;
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface AllocateOptions {
  /** Event-triggered run limited to these agents. */
  readonly agents?: readonly string[];
}

export class HierarchicalAllocator {
  private readonly book: Book;
  private readonly intervalMs: number;
  private readonly minimum: CompiledMinimum;
  private readonly rng: Rng;

  constructor(options: AllocatorOptions = {}) {
    this.intervalMs = options.allocationIntervalMs ?? 1000;
    if (!(this.intervalMs > 0) || !Number.isFinite(this.intervalMs)) {
      throw new AllocatorError('INVALID_OPTIONS', `allocationIntervalMs must be a positive number of ms, got ${this.intervalMs}`);
    }
    this.book = new Book(options.fairSharingExcludedResourceNames ?? []);
    const min = options.minAllocatable ?? DEFAULT_MIN_ALLOCATABLE;
    this.minimum = compileMinAllocatable(typeof min === 'string' ? parseMinAllocatable(min) : min, this.book.kinds);
    this.rng = mulberry32(options.seed ?? 1);
  }

  // ---- frameworks ----------------------------------------------------------------------------------------

  addFramework(id: string, config: FrameworkConfig): void {
    const book = this.book;
    if (book.frameworks.has(id)) throw new AllocatorError('DUPLICATE_FRAMEWORK', `framework '${id}' is already added; remove it first`);
    checkFrameworkConfig(id, config);
    const fw: FrameworkState = { id, roles: new Set(), capabilities: new Set(), suppressed: new Set(), active: config.active ?? true };
    book.frameworks.set(id, fw);
    this.applyFrameworkConfig(fw, config);
  }

  /** UPDATE_FRAMEWORK: new roles, capabilities and suppressed roles. Allocations in dropped roles stay until recovered. */
  updateFramework(id: string, config: FrameworkConfig): void {
    const fw = this.framework(id);
    checkFrameworkConfig(id, config);
    for (const role of fw.roles) {
      if (config.roles.includes(role)) continue;
      this.book.frameworkSorters.get(role)?.remove(id);
      this.book.roleTree.untrack(role);
      this.book.filters.clear(id, new Set([role]));
    }
    if (config.active !== undefined) fw.active = config.active;
    this.applyFrameworkConfig(fw, config);
  }

  /** Forgets the framework; whatever it still holds returns to the agents. */
  removeFramework(id: string): void {
    const fw = this.framework(id);
    for (const agent of this.book.agents.values()) {
      const byRole = agent.allocations.get(id);
      if (!byRole) continue;
      for (const [role, res] of [...byRole]) this.book.release(agent, id, role, res);
    }
    for (const role of fw.roles) {
      this.book.frameworkSorters.get(role)?.remove(id);
      this.book.roleTree.untrack(role);
    }
    this.book.filters.clear(id);
    this.book.frameworks.delete(id);
  }

  activateFramework(id: string): void {
    const fw = this.framework(id);
    fw.active = true;
    this.book.syncActivity(fw);
  }

  deactivateFramework(id: string): void {
    const fw = this.framework(id);
    fw.active = false;
    this.book.syncActivity(fw);
  }

  /** SUPPRESS: no offers in these roles (all of the framework's roles when omitted or empty) until REVIVE. */
  suppress(id: string, roles?: readonly string[]): void {
    const fw = this.framework(id);
    for (const role of this.rolesOf(fw, roles)) fw.suppressed.add(role);
    this.book.syncActivity(fw);
  }

  /** REVIVE: clears refusal filters and suppression for these roles (all when omitted or empty). Call allocate next. */
  revive(id: string, roles?: readonly string[]): void {
    const fw = this.framework(id);
    const which = this.rolesOf(fw, roles);
    for (const role of which) fw.suppressed.delete(role);
    this.book.filters.clear(id, roles === undefined || roles.length === 0 ? undefined : which);
    this.book.syncActivity(fw);
  }

  // ---- agents --------------------------------------------------------------------------------------------

  addAgent(id: string, config: AgentConfig): void {
    const book = this.book;
    if (book.agents.has(id)) throw new AllocatorError('DUPLICATE_AGENT', `agent '${id}' is already added; remove it first`);
    const agent: AgentState = {
      id,
      hostname: config.hostname,
      attributes: config.attributes ?? {},
      total: config.total,
      available: config.total,
      allocations: new Map(),
      totalVector: [],
      freeHeadroom: [],
      reservedByRole: new Map(),
      hasGpus: false,
      active: true,
      maintenance: false,
    };
    book.deriveAgent(agent);
    book.countAgent(agent, 1);
    book.agents.set(id, agent);
    for (const [frameworkId, used] of config.used ?? []) {
      for (const [role, res] of byAllocationRole(used)) {
        const plain = book.plainOf(res);
        if (!agent.available.contains(plain)) {
          this.removeAgent(id);
          throw new AllocatorError('INSUFFICIENT_RESOURCES', `agent '${id}' reports ${res.toString()} used by '${frameworkId}' beyond its total ${config.total.toString()}`);
        }
        book.allocatePlain(agent, frameworkId, role, plain);
      }
    }
  }

  /** Changes an agent's total (e.g. new oversubscribed revocable estimate) or its attributes. */
  updateAgent(id: string, update: { total?: Resources; attributes?: Readonly<Record<string, string>>; hostname?: string }): void {
    const agent = this.agent(id);
    if (update.attributes) agent.attributes = update.attributes;
    if (update.hostname !== undefined) agent.hostname = update.hostname;
    if (update.total) {
      const allocated = agent.total.subtract(agent.available);
      if (!update.total.contains(allocated)) {
        throw new AllocatorError('INSUFFICIENT_RESOURCES', `new total ${update.total.toString()} of agent '${id}' does not cover its allocation ${allocated.toString()}`);
      }
      this.replaceTotal(agent, update.total, update.total.subtract(allocated));
    }
  }

  removeAgent(id: string): void {
    const agent = this.agent(id);
    for (const [frameworkId, byRole] of [...agent.allocations]) {
      for (const [role, res] of [...byRole]) this.book.release(agent, frameworkId, role, res);
    }
    this.book.countAgent(agent, -1);
    this.book.agents.delete(id);
    this.book.filters.clearAgent(id);
  }

  deactivateAgent(id: string): void {
    this.agent(id).active = false;
  }

  reactivateAgent(id: string): void {
    this.agent(id).active = true;
  }

  /** Agents in maintenance get no offers. */
  setMaintenance(id: string, inMaintenance: boolean): void {
    this.agent(id).maintenance = inMaintenance;
  }

  // ---- offers and operations ------------------------------------------------------------------------------

  /**
   * Returns offered or used resources (allocated form) of a framework on an agent: declined offers, unused parts
   * of accepted ones, finished tasks. With `refuseSeconds` (default 5 s; 0 = none) the framework is not offered
   * them again on this agent until the filter expires. Unknown agents or frameworks are ignored (already freed).
   */
  recoverResources(frameworkId: string, agentId: string, resources: Resources, now: number, refuseSeconds?: number): void {
    const agent = this.book.agents.get(agentId);
    if (!agent || resources.isEmpty()) return;
    const byRole = agent.allocations.get(frameworkId);
    if (!byRole) return;
    const parts = this.splitHeld(byRole, resources);
    for (const [role, res] of parts) {
      if (!byRole.get(role)?.contains(res)) {
        throw new AllocatorError('INSUFFICIENT_RESOURCES', `framework '${frameworkId}' does not hold ${res.toString()} in role '${role}' on agent '${agentId}'`);
      }
    }
    const timeout = refusalTimeoutMs(refuseSeconds, this.intervalMs);
    for (const [role, res] of parts) {
      const vec = this.book.release(agent, frameworkId, role, res);
      if (timeout > 0 && this.book.frameworks.has(frameworkId)) this.book.filters.add(frameworkId, agentId, role, vec, now + timeout);
    }
  }

  /** ACCEPT with RESERVE/UNRESERVE/CREATE/DESTROY (operations in allocated form): converts the allocation in place. */
  updateAllocation(frameworkId: string, agentId: string, operations: readonly OfferOperation[]): void {
    const agent = this.agent(agentId);
    const byRole = agent.allocations.get(frameworkId);
    if (!byRole) throw new AllocatorError('INSUFFICIENT_RESOURCES', `framework '${frameworkId}' holds nothing on agent '${agentId}'`);
    let held = Resources.empty();
    let heldAllocated = Resources.empty();
    for (const [role, res] of byRole) {
      held = held.add(res);
      heldAllocated = heldAllocated.add(res.allocate(role));
    }
    const after = applyAll(heldAllocated, operations, `the allocation of '${frameworkId}' on agent '${agentId}'`);
    const parts = byAllocationRole(after);
    const afterPlain = after.unallocate();
    // Free the old form, convert the agent's figures, then allocate the new form: available ends unchanged.
    for (const [role, res] of [...byRole]) this.book.release(agent, frameworkId, role, res);
    const converted = (res: Resources): Resources => res.subtract(held).add(afterPlain);
    this.replaceTotal(agent, converted(agent.total), converted(agent.available));
    for (const [role, res] of parts) this.book.allocatePlain(agent, frameworkId, role, res.unallocate());
  }

  /** Operator RESERVE/UNRESERVE/CREATE/DESTROY on free resources; throws INVALID_OPERATION if they are not free. */
  updateAvailable(agentId: string, operations: readonly OfferOperation[]): void {
    const agent = this.agent(agentId);
    const available = applyAll(agent.available, operations, `the free resources of agent '${agentId}' (rescind its offers first)`);
    this.replaceTotal(agent, agent.total.subtract(agent.available).add(available), available);
  }

  /** Runs one allocation: all agents, or only `opts.agents` (event-triggered). */
  allocate(now: number, opts: AllocateOptions = {}): Offer[] {
    return runAllocation(this.book, { now, agentIds: opts.agents, minimum: this.minimum, rng: this.rng });
  }

  // ---- roles: weights and quota ---------------------------------------------------------------------------

  updateWeights(weights: Readonly<Record<string, number>> | ReadonlyMap<string, number>): void {
    const entries = weights instanceof Map ? [...weights] : Object.entries(weights);
    for (const [role, weight] of entries) {
      validateRole(role);
      if (!(weight > 0) || !Number.isFinite(weight)) {
        throw new AllocatorError('INVALID_WEIGHT', `weight of role '${role}' must be a positive finite number, got ${weight}`);
      }
    }
    for (const [role, weight] of entries) this.book.weights.set(role, weight);
    this.book.invalidateShares();
  }

  setQuota(role: string, config: QuotaConfig): void {
    validateRole(role);
    this.book.quotas.set(role, compileQuota(role, config, this.book.kinds));
  }

  removeQuota(role: string): void {
    this.book.quotas.delete(role);
  }

  // ---- views -------------------------------------------------------------------------------------------

  /** Free (unallocated) resources of an agent. */
  available(agentId: string): Resources {
    return this.agent(agentId).available;
  }

  /** What a framework holds on an agent (offered or used), allocated form, by role. */
  allocation(frameworkId: string, agentId: string): ReadonlyMap<string, Resources> {
    const byRole = this.agent(agentId).allocations.get(frameworkId) ?? new Map<string, Resources>();
    return new Map([...byRole].map(([role, res]) => [role, res.allocate(role)]));
  }

  /** Roles in the order the next run would serve them. */
  sortedRoles(): readonly string[] {
    return [...this.book.roleTree.sorted()];
  }

  /** Frameworks of a role in DRF order, with their dominant shares. */
  sortedFrameworks(role: string): { id: string; share: number; active: boolean }[] {
    return (this.book.frameworkSorters.get(role)?.sorted() ?? []).map((c) => ({ id: c.name, share: c.share, active: c.active }));
  }

  /** Number of refusal filters held (expired ones are dropped at each full run). */
  get filterCount(): number {
    return this.book.filters.size;
  }

  // ---- internals ------------------------------------------------------------------------------------------

  private replaceTotal(agent: AgentState, total: Resources, available: Resources): void {
    this.book.countAgent(agent, -1);
    agent.total = total;
    agent.available = available;
    this.book.deriveAgent(agent);
    this.book.countAgent(agent, 1);
  }

  /**
   * Splits recovered (allocated-form) resources by allocation role, into unallocated form. Fast path: a
   * framework holding a single role on the agent needs no per-entry look at allocation_info.
   */
  private splitHeld(byRole: ReadonlyMap<string, Resources>, resources: Resources): Map<string, Resources> {
    if (byRole.size === 1) {
      const [role] = byRole.keys();
      return new Map([[role as string, this.book.plainOf(resources)]]);
    }
    return new Map([...byAllocationRole(resources)].map(([role, res]) => [role, this.book.plainOf(res)]));
  }

  private applyFrameworkConfig(fw: FrameworkState, config: FrameworkConfig): void {
    const book = this.book;
    for (const role of config.roles) {
      if (fw.roles.has(role)) continue;
      book.frameworkSorter(role).add(fw.id);
      book.roleTree.track(role);
      // Allocations that arrived with agents before the framework (re-)subscribed (master failover).
      for (const agent of book.agents.values()) {
        const res = agent.allocations.get(fw.id)?.get(role);
        if (res) book.frameworkSorter(role).allocated(fw.id, scalarVector(res, book.kinds));
      }
    }
    fw.roles = new Set(config.roles);
    fw.capabilities = new Set(config.capabilities ?? []);
    fw.suppressed = new Set((config.suppressedRoles ?? []).filter((r) => fw.roles.has(r)));
    book.syncActivity(fw);
  }

  private framework(id: string): FrameworkState {
    const fw = this.book.frameworks.get(id);
    if (!fw) throw new AllocatorError('UNKNOWN_FRAMEWORK', `framework '${id}' is not known to the allocator; add it first`);
    return fw;
  }

  private agent(id: string): AgentState {
    const agent = this.book.agents.get(id);
    if (!agent) throw new AllocatorError('UNKNOWN_AGENT', `agent '${id}' is not known to the allocator; add it first`);
    return agent;
  }

  private rolesOf(fw: FrameworkState, roles: readonly string[] | undefined): Set<string> {
    if (roles === undefined || roles.length === 0) return new Set(fw.roles);
    for (const role of roles) {
      if (!fw.roles.has(role)) throw new AllocatorError('INVALID_ROLE', `framework '${fw.id}' is not subscribed to role '${role}'`);
    }
    return new Set(roles);
  }
}

function checkFrameworkConfig(id: string, config: FrameworkConfig): void {
  if (config.roles.length === 0) throw new AllocatorError('INVALID_ROLE', `framework '${id}' has no role; give at least one`);
  config.roles.forEach(validateRole);
  if (config.roles.length > 1 && !(config.capabilities ?? []).includes('MULTI_ROLE')) {
    throw new AllocatorError('MISSING_CAPABILITY', `framework '${id}' subscribes to ${config.roles.length} roles without the MULTI_ROLE capability`);
  }
}

/** Applies offer operations in order; a rejected operation becomes AllocatorError INVALID_OPERATION. */
function applyAll(res: Resources, operations: readonly OfferOperation[], what: string): Resources {
  try {
    return operations.reduce((acc, op) => acc.apply(op), res);
  } catch (e) {
    throw new AllocatorError('INVALID_OPERATION', `cannot apply operations to ${what}: ${(e as Error).message}`);
  }
}
