// One allocation run (upstream's generateOffers, §1.6): shuffle the eligible agents, stage 1 serves roles with
// unmet quota guarantees, stage 2 serves every role in DRF order. Per agent and role, frameworks are visited in
// DRF order and the first eligible one gets everything allocatable to it; the rest goes on to the next.

import type { Resources } from '@mesos-ts/resources';
import type { Book } from './book.js';
import { isAllocatable, type CompiledMinimum } from './min-allocatable.js';
import { QuotaRound } from './quota.js';
import { clipHeadroom, vectorsOf } from './resource-view.js';
import { shuffle, type Rng } from './rng.js';
import type { ScalarVector } from './scalar-vector.js';
import type { AgentState, Offer } from './state.js';

export interface RunInput {
  readonly now: number;
  /** Limit the run to these agents (event-triggered allocation); all agents when undefined. */
  readonly agentIds: readonly string[] | undefined;
  readonly minimum: CompiledMinimum;
  readonly rng: Rng;
}

interface Candidate {
  readonly res: Resources;
  readonly vec: ScalarVector;
  readonly headroom: ScalarVector;
}

const REVOCABLE = 1;
const SHARED = 2;

export function runAllocation(book: Book, input: RunInput): Offer[] {
  if (input.agentIds === undefined) book.filters.sweep(input.now);
  const agents: AgentState[] = [];
  const eligible = (agent: AgentState | undefined): void => {
    if (agent && agent.active && !agent.maintenance && !agent.available.isEmpty()) agents.push(agent);
  };
  if (input.agentIds === undefined) for (const agent of book.agents.values()) eligible(agent);
  else for (const id of input.agentIds) eligible(book.agents.get(id));
  shuffle(agents, input.rng);
  const quota = book.quotas.size > 0 ? new QuotaRound(book.quotas, (r) => book.consumed(r), book.freeHeadroom) : undefined;
  // An agent is visited twice in a run only with a quota stage or an agent named twice in agentIds; only then
  // can a (framework, agent, role) be served twice, so that its second allocation extends the first offer.
  const revisits = quota !== undefined || (input.agentIds !== undefined && new Set(input.agentIds).size < input.agentIds.length);
  const run = new Run(book, input, quota, revisits);
  if (quota) {
    for (const agent of agents) {
      for (const role of book.roleTree.sorted()) if (quota.hasUnmetGuarantee(role)) run.onAgent(agent, role, 1);
    }
    shuffle(agents, input.rng);
  }
  for (const agent of agents) {
    for (const role of book.roleTree.sorted()) {
      if (agent.available.isEmpty()) break;
      run.onAgent(agent, role, 2);
    }
  }
  return run.offers;
}

class Run {
  /** Offers in the order first made; a (framework, agent, role) served again in the run extends its offer. */
  readonly offers: Offer[] = [];
  /** agent id → indexes into `offers` of the agent's offers; kept only when agents may be revisited. */
  private readonly offersByAgent: Map<string, number[]> | undefined;
  /**
   * Candidates for the current (agent, role) pool by capability bits (0..3); undefined = not computed yet, null =
   * nothing worth offering. Reset whenever the pool changes.
   */
  private readonly variants: (Candidate | null | undefined)[] = [undefined, undefined, undefined, undefined];
  /** Last resources whose vectors were computed, and those vectors (pools repeat across roles of an agent). */
  private lastVectorsOf: Resources | undefined;
  private lastVectors: [ScalarVector, ScalarVector] = [[], []];

  constructor(
    private readonly book: Book,
    private readonly input: RunInput,
    private readonly quota: QuotaRound | undefined,
    revisits: boolean,
  ) {
    this.offersByAgent = revisits ? new Map() : undefined;
  }

  /** Offers what the agent has for `role` to that role's frameworks in DRF order. */
  onAgent(agent: AgentState, role: string, stage: 1 | 2): void {
    const sorter = this.book.frameworkSorters.get(role);
    if (!sorter) return;
    let pool = agent.available.allocatableTo(role);
    // Variants of the pool by capability bits; each is a subset of the full one, so if the full variant is not
    // allocatable no framework can get anything here.
    this.variants.fill(undefined);
    if (pool.isEmpty() || !this.variant(pool, REVOCABLE | SHARED, role, stage)) return;
    for (const client of sorter.sorted()) {
      if (!client.active) continue;
      const fw = this.book.frameworks.get(client.name);
      if (!fw) continue;
      if (agent.hasGpus && !fw.capabilities.has('GPU_RESOURCES')) continue;
      const bits = (fw.capabilities.has('REVOCABLE_RESOURCES') ? REVOCABLE : 0) | (fw.capabilities.has('SHARED_RESOURCES') ? SHARED : 0);
      const cand = this.variant(pool, bits, role, stage);
      if (!cand) continue;
      if (this.book.filters.isFiltered(fw.id, agent.id, role, cand.vec, this.input.now)) continue;
      const allocated = this.book.allocate(agent, fw.id, role, cand.res, cand.vec, cand.headroom);
      this.quota?.commit(role, cand.headroom);
      this.record(fw.id, agent.id, role, allocated);
      pool = agent.available.allocatableTo(role);
      this.variants.fill(undefined);
      if (pool.isEmpty() || !this.variant(pool, REVOCABLE | SHARED, role, stage)) return;
    }
  }

  /** What a framework with capability `bits` may be offered from `pool` (cached per pool), or null. */
  private variant(pool: Resources, bits: number, role: string, stage: 1 | 2): Candidate | null {
    let cand = this.variants[bits];
    if (cand === undefined) {
      let res = pool;
      if ((bits & REVOCABLE) === 0) res = res.nonRevocable();
      if ((bits & SHARED) === 0) res = res.nonShared();
      // Usually nothing is revocable or shared: the restricted pool is the full one (same object, as Resources
      // filters return their receiver when they keep everything), and so is its candidate.
      const full = this.variants[REVOCABLE | SHARED];
      cand = res === pool && full !== undefined ? full : this.prepare(res, role, stage);
      this.variants[bits] = cand;
    }
    return cand;
  }

  /** What may be offered from `res` (already restricted to a capability variant), or null when not worth an offer. */
  private prepare(res: Resources, role: string, stage: 1 | 2): Candidate | null {
    if (res.isEmpty()) return null;
    const kinds = this.book.kinds;
    let [vec, headroom] = this.vectorsOf(res);
    if (this.quota) {
      const allowed = this.quota.clip(role, headroom, stage);
      if (allowed.some((v, i) => v < (headroom[i] as number))) {
        res = clipHeadroom(res, headroom, allowed, kinds);
        if (res.isEmpty()) return null;
        [vec, headroom] = vectorsOf(res, kinds);
      }
    }
    return isAllocatable(vec, this.input.minimum) ? { res, vec, headroom } : null;
  }

  /**
   * vectorsOf(res), reusing the last answer for the same Resources object: an agent's pool is the same object
   * for every role it is unreserved for until something is allocated. The vectors are shared by candidates and
   * only read (the book and filters copy what they keep).
   */
  private vectorsOf(res: Resources): [ScalarVector, ScalarVector] {
    if (res !== this.lastVectorsOf) {
      this.lastVectors = vectorsOf(res, this.book.kinds);
      this.lastVectorsOf = res;
    }
    return this.lastVectors;
  }

  private record(frameworkId: string, agentId: string, role: string, resources: Resources): void {
    if (this.offersByAgent === undefined) {
      this.offers.push({ frameworkId, agentId, role, resources });
      return;
    }
    let indexes = this.offersByAgent.get(agentId);
    if (!indexes) {
      indexes = [];
      this.offersByAgent.set(agentId, indexes);
    }
    for (const i of indexes) {
      const before = this.offers[i] as Offer;
      if (before.frameworkId === frameworkId && before.role === role) {
        this.offers[i] = { frameworkId, agentId, role, resources: before.resources.add(resources) };
        return;
      }
    }
    indexes.push(this.offers.length);
    this.offers.push({ frameworkId, agentId, role, resources });
  }
}
