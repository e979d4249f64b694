// The few ways the allocator looks into Resources values, in one place: scalar vectors for the numeric
// bookkeeping, grouping by allocation role and by reservation role, and clipping unreserved scalars.

import type { v1 } from '@mesos-ts/proto';
import { Resources, reservationRole } from '@mesos-ts/resources';
import { AllocatorError } from './types.js';
import type { KindIndex, ScalarVector } from './scalar-vector.js';
import { toMilli } from './scalar-vector.js';

/** All scalars of `res` as a milli-unit vector (summed straight from its entries: this runs per offer). */
export function scalarVector(res: Resources, kinds: KindIndex): ScalarVector {
  const out: ScalarVector = [];
  res.forEachScalarMilli((name, milli) => kinds.addTo(out, name, milli));
  return out;
}

/** Unreserved, non-revocable scalars: the part quota headroom is made of. */
export function headroomVector(res: Resources, kinds: KindIndex): ScalarVector {
  return scalarVector(res.unreserved().nonRevocable(), kinds);
}

/**
 * [scalarVector, headroomVector] of `res`, sharing the work in the common case (nothing reserved or revocable):
 * then both are the same array. Callers only read them (whoever keeps one copies it, as the filters do).
 */
export function vectorsOf(res: Resources, kinds: KindIndex): [ScalarVector, ScalarVector] {
  const all = scalarVector(res, kinds);
  if (res.reserved().isEmpty() && res.revocable().isEmpty()) return [all, all];
  return [all, headroomVector(res, kinds)];
}

/** Splits allocated resources by `allocation_info.role`; throws INVALID_RESOURCES for unallocated entries. */
export function byAllocationRole(res: Resources): Map<string, Resources> {
  const roles = new Set<string>();
  for (const r of res.toProto()) {
    const role = r.allocation_info?.role;
    if (role === undefined) {
      throw new AllocatorError('INVALID_RESOURCES', `resource '${r.name}' has no allocation_info.role; pass resources as they were offered`);
    }
    roles.add(role);
  }
  const out = new Map<string, Resources>();
  for (const role of roles) out.set(role, res.filter((r: v1.Resource) => r.allocation_info?.role === role));
  return out;
}

/** Reserved scalars grouped by the role of their top reservation. */
export function reservedScalarsByRole(res: Resources, kinds: KindIndex): Map<string, ScalarVector> {
  const out = new Map<string, ScalarVector>();
  for (const r of res.reserved().toProto()) {
    if (r.type !== 'SCALAR' || r.scalar === undefined) continue;
    const role = reservationRole(r);
    let vec = out.get(role);
    if (!vec) {
      vec = [];
      out.set(role, vec);
    }
    kinds.addTo(vec, r.name, toMilli(r.scalar.value));
  }
  return out;
}

/**
 * Reduces the unreserved non-revocable scalars of `res` to at most `allowed` (milli-units per kind); everything
 * else in `res` is kept. `have` is headroomVector(res).
 */
export function clipHeadroom(res: Resources, have: ScalarVector, allowed: ScalarVector, kinds: KindIndex): Resources {
  let out = res;
  for (let i = 0; i < have.length; i++) {
    const excess = (have[i] as number) - Math.max(0, allowed[i] ?? 0);
    if (excess <= 0) continue;
    const name = kinds.names[i] as string;
    const cut = Resources.parse(`${name}:${excess / 1000}`);
    // A plain cut fails when the kind is split over special entries (e.g. MOUNT disks): then drop that kind.
    out = out.contains(cut)
      ? out.subtract(cut)
      : out.filter((r: v1.Resource) => r.name !== name || r.revocable !== undefined || reservationRole(r) !== '*');
  }
  return out;
}
