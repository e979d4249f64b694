// Operator calls that change the cluster: RESERVE/UNRESERVE_RESOURCES and CREATE/DESTROY_VOLUMES on an
// agent's free resources (outstanding offers on the agent are rescinded when they hold what is needed; 409 if
// the resources are still not free), UPDATE_WEIGHTS and UPDATE_QUOTA (persisted in the registry).
import type { quota, v1 } from '@mesos-ts/proto';
import { Resources, ResourcesError, isDynamicallyReserved, type ResourcesErrorCode } from '@mesos-ts/resources';
import { MasterError } from '../core/errors.js';
import { roleProblem, weightProblem } from '../core/limits.js';
import { createVolumesProblem } from '../core/volume-validation.js';
import { applyToAgent } from './agent-resources.js';
import type { MasterContext as Master } from './context.js';
import { rescindAgentOffers } from './offers.js';

const STATE_CONFLICTS: ReadonlySet<ResourcesErrorCode> = new Set<ResourcesErrorCode>(['INSUFFICIENT', 'VOLUME_EXISTS', 'VOLUME_IN_USE', 'DUPLICATE_PERSISTENCE_ID', 'UNKNOWN_VOLUME']);

export type ResourceOperation = 'RESERVE' | 'UNRESERVE' | 'CREATE' | 'DESTROY';

/** Builds the offer operation; throws 400 on malformed resources. */
function operation(type: ResourceOperation, list: v1.Resource[], source: v1.Resource[] | undefined): v1.Offer.Operation {
  let res: Resources;
  try {
    res = Resources.fromProto(list);
  } catch (e) {
    throw new MasterError('INVALID_CALL', `invalid resources: ${(e as Error).message}`);
  }
  if (res.isEmpty()) throw new MasterError('INVALID_CALL', `${type} needs at least one resource`);
  const proto = res.toProto();
  switch (type) {
    case 'RESERVE':
      for (const r of proto) {
        if (!isDynamicallyReserved(r)) throw new MasterError('INVALID_CALL', `resource ${r.name} must carry a DYNAMIC reservation to a role other than '*' to be reserved`);
      }
      return { type, reserve: { resources: proto, ...(source && source.length > 0 ? { source } : {}) } };
    case 'UNRESERVE':
      return { type, unreserve: { resources: proto } };
    case 'CREATE': {
      const bad = createVolumesProblem(list);
      if (bad !== null) throw new MasterError('INVALID_CALL', `invalid CREATE: ${bad}`);
      return { type, create: { volumes: proto } };
    }
    case 'DESTROY':
      return { type, destroy: { volumes: proto } };
  }
}

/** Applies an operator resource operation to an agent's free resources. */
export function applyOperatorOperation(m: Master, agentId: string, type: ResourceOperation, list: v1.Resource[], source?: v1.Resource[]): void {
  const agent = m.books.agents.get(agentId);
  if (!agent || !agent.reachable) throw new MasterError('UNKNOWN_AGENT', `No agent found with specified ID ${agentId}; list agents with GET_AGENTS`);
  const op = operation(type, list, source);
  try {
    agent.total.apply(op);
  } catch (e) {
    // Malformed operations are the caller's mistake (400); ones the agent's current resources refuse are conflicts (409).
    const code = e instanceof ResourcesError && STATE_CONFLICTS.has(e.code) ? 'CONFLICT' : 'INVALID_CALL';
    throw new MasterError(code, `cannot ${type} on agent ${agentId}: ${(e as Error).message}`);
  }
  try {
    m.allocator.updateAvailable(agentId, [op]);
  } catch {
    // Upstream rescinds offers holding the resources (with a filter so the operator wins the race), then retries.
    rescindAgentOffers(m, agentId);
    try {
      m.allocator.updateAvailable(agentId, [op]);
    } catch (e) {
      throw new MasterError('CONFLICT', `the resources of ${type} are not available on agent ${agentId} (in use by tasks?): ${(e as Error).message}`);
    }
  }
  applyToAgent(m, agent, op);
  m.metrics.inc(`master/operator_${type.toLowerCase()}`);
  m.requestAllocation([agentId]);
}

export async function updateWeights(m: Master, infos: readonly v1.WeightInfo[]): Promise<void> {
  const weights = new Map<string, number>();
  for (const w of infos) {
    if (w.role === undefined) throw new MasterError('INVALID_CALL', "every weight_info needs a 'role'");
    const bad = roleProblem(w.role) ?? weightProblem(w.weight);
    if (bad !== null) throw new MasterError('INVALID_CALL', bad);
    weights.set(w.role, w.weight);
  }
  try {
    m.allocator.updateWeights(weights);
  } catch (e) {
    throw new MasterError('INVALID_CALL', (e as Error).message);
  }
  for (const [role, weight] of weights) m.books.weights.set(role, weight);
  await m.registry.mutate((d) => {
    d.weights = d.weights.filter((w) => !weights.has(w.role ?? ''));
    for (const [role, weight] of weights) d.weights.push({ role, weight });
  });
  m.requestAllocation();
}

const scalars = (map: Record<string, v1.Value.Scalar> | undefined): Record<string, number> =>
  Object.fromEntries(Object.entries(map ?? {}).map(([k, v]) => [k, v.value]));

/** Applies one quota config to the allocator and the books (empty guarantees and limits remove the quota). */
export function applyQuota(m: Master, config: quota.QuotaConfig): void {
  const guarantees = scalars(config.guarantees);
  const limits = scalars(config.limits);
  if (Object.keys(guarantees).length === 0 && Object.keys(limits).length === 0) {
    m.allocator.removeQuota(config.role);
    m.books.quotas.delete(config.role);
    return;
  }
  try {
    m.allocator.setQuota(config.role, { guarantees, limits });
  } catch (e) {
    throw new MasterError('INVALID_CALL', (e as Error).message);
  }
  m.books.quotas.set(config.role, config);
}

export async function updateQuota(m: Master, configs: readonly quota.QuotaConfig[], force = false): Promise<void> {
  for (const c of configs) {
    if (!c.role) throw new MasterError('INVALID_CALL', "every quota config needs a 'role'");
    const bad = roleProblem(c.role);
    if (bad !== null) throw new MasterError('INVALID_CALL', bad);
  }
  if (!force) checkCapacity(m, configs);
  for (const c of configs) applyQuota(m, c);
  await m.registry.mutate((d) => {
    const roles = new Set(configs.map((c) => c.role));
    d.quotas = d.quotas.filter((q) => !roles.has(q.role));
    for (const c of configs) if (m.books.quotas.has(c.role)) d.quotas.push(c);
  });
  m.requestAllocation();
}

/**
 * Upstream's capacity check: without `force`, the guarantees of all roles (after this update) must fit in the
 * total resources of the reachable agents, so one call cannot starve every role (e.g. 1e9 cpus guaranteed).
 */
function checkCapacity(m: Master, configs: readonly quota.QuotaConfig[]): void {
  const after = new Map([...m.books.quotas].map(([role, c]) => [role, c]));
  for (const c of configs) after.set(c.role, c);
  const wanted = new Map<string, number>();
  for (const c of after.values()) for (const [name, v] of Object.entries(c.guarantees ?? {})) wanted.set(name, (wanted.get(name) ?? 0) + v.value);
  const capacity = new Map<string, number>();
  for (const a of m.books.agents.values()) if (a.reachable) for (const [name, v] of a.total.scalars()) capacity.set(name, (capacity.get(name) ?? 0) + v);
  for (const [name, v] of wanted) {
    const have = capacity.get(name) ?? 0;
    if (v > have + 1e-9) {
      throw new MasterError('INVALID_CALL', `Invalid QuotaConfig: total quota guarantees of ${name} (${v}) exceed the cluster capacity (${have}); set 'force' to bypass this check`);
    }
  }
}
