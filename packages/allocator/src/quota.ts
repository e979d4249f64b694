// Quota math for one allocation run (upstream §1.6), over scalar vectors in milli-units.
//
//   consumed(role)      = reservations of the role's subtree (allocated or not) + unreserved allocation of it
//   required headroom   = Σ over quota roles of max(0, guarantee − consumed)
//   available headroom  = unreserved, non-revocable scalars that are free (not allocated, not reserved)
//
// Stage 1 serves roles with unmet guarantees: guaranteed kinds up to the unmet amount, other kinds only from the
// surplus headroom. Stage 2 serves everyone: unreserved scalars only from the surplus (plus the role's own unmet
// guarantee). Limits are never exceeded in either stage. Quota on nested roles each count towards the headroom.

import type { KindIndex, ScalarVector } from './scalar-vector.js';
import { addInto, toMilli } from './scalar-vector.js';
import { isSelfOrAncestor } from './role-tree.js';
import { AllocatorError, type QuotaConfig, type ScalarQuantities } from './types.js';

export interface Quota {
  /** Guaranteed amount per kind (milli-units); 0 = no guarantee for that kind. */
  readonly guarantees: ScalarVector;
  /** Limit per kind index (milli-units); a kind without an entry is unlimited. */
  readonly limits: ReadonlyMap<number, number>;
}

/** Validates a role's quota (finite, >= 0, guarantees within limits; not on '*') and converts it to vectors. */
export function compileQuota(role: string, config: QuotaConfig, kinds: KindIndex): Quota {
  if (role === '*') throw new AllocatorError('INVALID_QUOTA', "quota cannot be set on the '*' role");
  const check = (what: string, q: ScalarQuantities | undefined): void => {
    for (const [name, v] of Object.entries(q ?? {})) {
      if (!(v >= 0) || !Number.isFinite(v)) throw new AllocatorError('INVALID_QUOTA', `quota ${what} '${name}' of role '${role}' must be a finite number >= 0, got ${v}`);
    }
  };
  check('guarantee', config.guarantees);
  check('limit', config.limits);
  for (const [name, g] of Object.entries(config.guarantees ?? {})) {
    const limit = config.limits?.[name];
    if (limit !== undefined && g > limit) throw new AllocatorError('INVALID_QUOTA', `quota guarantee ${name}:${g} of role '${role}' exceeds its limit ${limit}`);
  }
  const limits = new Map<number, number>();
  for (const [name, v] of Object.entries(config.limits ?? {})) limits.set(kinds.indexOf(name), toMilli(v));
  return { guarantees: kinds.vector(config.guarantees ?? {}), limits };
}

interface RoleQuotaState {
  readonly role: string;
  readonly quota: Quota;
  readonly consumed: ScalarVector;
}

export class QuotaRound {
  private readonly states: RoleQuotaState[] = [];
  readonly requiredHeadroom: ScalarVector = [];

  /**
   * @param quotas quota per role
   * @param consumed consumed(role) per quota role, see the file comment (copied; the caller's vectors are untouched)
   * @param availableHeadroom free unreserved non-revocable scalars (copied)
   */
  constructor(
    quotas: ReadonlyMap<string, Quota>,
    consumed: (role: string) => ScalarVector,
    availableHeadroom: ScalarVector,
  ) {
    this.availableHeadroom = availableHeadroom.slice();
    for (const [role, quota] of quotas) {
      const state = { role, quota, consumed: consumed(role).slice() };
      this.states.push(state);
      addInto(this.requiredHeadroom, unmet(state));
    }
  }

  private readonly availableHeadroom: ScalarVector;

  /** True when `role` or one of its ancestors still has an unmet guarantee. */
  hasUnmetGuarantee(role: string): boolean {
    return this.covering(role).some((s) => unmet(s).some((v) => v > 0));
  }

  /** True when no quota applies at all (nothing to clip). */
  get isEmpty(): boolean {
    return this.states.length === 0;
  }

  /**
   * How much of the unreserved scalars `candidate` role may receive now. In stage 1 the result is all-zero unless
   * it includes a guaranteed kind.
   */
  clip(role: string, candidate: ScalarVector, stage: 1 | 2): ScalarVector {
    const covering = this.covering(role);
    const out: ScalarVector = [];
    let givesGuaranteed = false;
    for (let i = 0; i < candidate.length; i++) {
      let allowed = candidate[i] as number;
      let ownUnmet = 0;
      let guaranteed = false;
      for (const s of covering) {
        const limit = s.quota.limits.get(i);
        if (limit !== undefined) allowed = Math.min(allowed, limit - (s.consumed[i] ?? 0));
        const g = s.quota.guarantees[i] ?? 0;
        if (g > 0) {
          guaranteed = true;
          ownUnmet = Math.max(ownUnmet, g - (s.consumed[i] ?? 0));
        }
      }
      const surplus = (this.availableHeadroom[i] ?? 0) - (this.requiredHeadroom[i] ?? 0);
      if (stage === 1 && guaranteed) allowed = Math.min(allowed, Math.max(ownUnmet, 0));
      else allowed = Math.min(allowed, surplus + Math.max(ownUnmet, 0));
      allowed = Math.max(allowed, 0);
      if (guaranteed && allowed > 0) givesGuaranteed = true;
      out.push(allowed);
    }
    if (stage === 1 && !givesGuaranteed) out.fill(0);
    return out;
  }

  /** Records that `role` was allocated `unreserved` scalars (milli-units). */
  commit(role: string, unreserved: ScalarVector): void {
    for (let i = 0; i < unreserved.length; i++) {
      this.availableHeadroom[i] = (this.availableHeadroom[i] ?? 0) - (unreserved[i] as number);
    }
    for (const s of this.covering(role)) {
      const before = unmet(s);
      addInto(s.consumed, unreserved);
      const after = unmet(s);
      for (let i = 0; i < before.length; i++) {
        this.requiredHeadroom[i] = (this.requiredHeadroom[i] ?? 0) - ((before[i] as number) - (after[i] ?? 0));
      }
    }
  }

  private covering(role: string): RoleQuotaState[] {
    return this.states.filter((s) => isSelfOrAncestor(s.role, role));
  }
}

function unmet(s: RoleQuotaState): ScalarVector {
  return s.quota.guarantees.map((g, i) => Math.max(0, g - (s.consumed[i] ?? 0)));
}
