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
  const ids = input.agentIds ?? book.agents.keys();
  for (const id of ids) {
    const agent = book.agents.get(id);
    if (agent && agent.active && !agent.maintenance && !agent.available.isEmpty()) agents.push(agent);
  }
  shuffle(agents, input.rng);
  const offers = new Map<string, Offer>();
  const quota = book.quotas.size > 0 ? new QuotaRound(book.quotas, (r) => book.consumed(r), book.freeHeadroom) : undefined;
  const run = new Run(book, input, quota, offers);
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
  return [...offers.values()];
}

class Run {
  constructor(
    private readonly book: Book,
    private readonly input: RunInput,
    private readonly quota: QuotaRound | undefined,
    private readonly offers: Map<string, Offer>,
  ) {}

  /** Offers what the agent has for `role` to that role's frameworks in DRF order. */
  onAgent(agent: AgentState, role: string, stage: 1 | 2): void {
    const sorter = this.book.frameworkSorters.get(role);
    if (!sorter) return;
    let pool = agent.available.allocatableTo(role);
    // Variants of the pool by capability bits; each is a subset of the full one, so if the full variant is not
    // allocatable no framework can get anything here.
    const variants = new Map<number, Candidate | null>();
    if (pool.isEmpty() || !this.variant(variants, pool, REVOCABLE | SHARED, role, stage)) return;
    for (const client of sorter.sorted()) {
      if (!client.active) continue;
      const fw = this.book.frameworks.get(client.name);
      if (!fw) continue;
      if (agent.hasGpus && !fw.capabilities.has('GPU_RESOURCES')) continue;
      const bits = (fw.capabilities.has('REVOCABLE_RESOURCES') ? REVOCABLE : 0) | (fw.capabilities.has('SHARED_RESOURCES') ? SHARED : 0);
      const cand = this.variant(variants, pool, bits, role, stage);
      if (!cand) continue;
      if (this.book.filters.isFiltered(fw.id, agent.id, role, cand.vec, this.input.now)) continue;
      const allocated = this.book.allocate(agent, fw.id, role, cand.res, cand.vec, cand.headroom);
      this.quota?.commit(role, cand.headroom);
      this.record(fw.id, agent.id, role, allocated);
      pool = agent.available.allocatableTo(role);
      variants.clear();
      if (pool.isEmpty() || !this.variant(variants, pool, REVOCABLE | SHARED, role, stage)) return;
    }
  }

  private variant(cache: Map<number, Candidate | null>, pool: Resources, bits: number, role: string, stage: 1 | 2): Candidate | null {
    let cand = cache.get(bits);
    if (cand === undefined) {
      cand = this.prepare(pool, bits, role, stage);
      cache.set(bits, cand);
    }
    return cand;
  }

  /** What a framework with capability `bits` may be offered from `pool`, or null when not worth an offer. */
  private prepare(pool: Resources, bits: number, role: string, stage: 1 | 2): Candidate | null {
    const kinds = this.book.kinds;
    let res = pool;
    if ((bits & REVOCABLE) === 0) res = res.nonRevocable();
    if ((bits & SHARED) === 0) res = res.nonShared();
    let [vec, headroom] = vectorsOf(res, kinds);
    if (this.quota) {
      const allowed = this.quota.clip(role, headroom, stage);
      if (allowed.some((v, i) => v < (headroom[i] as number))) {
        res = clipHeadroom(res, headroom, allowed, kinds);
        [vec, headroom] = vectorsOf(res, kinds);
      }
    }
    if (res.isEmpty()) return null;
    return isAllocatable(vec, this.input.minimum) ? { res, vec, headroom } : null;
  }

  private record(frameworkId: string, agentId: string, role: string, resources: Resources): void {
    const key = `${frameworkId}\n${agentId}\n${role}`;
    const before = this.offers.get(key);
    this.offers.set(key, { frameworkId, agentId, role, resources: before ? before.resources.add(resources) : resources });
  }
}
