// The pre reservation-refinement resource format, for frameworks without the
// RESERVATION_REFINEMENT capability (Mesos "downgrades" resources for them): the current role
// goes into `role` ('*' when unreserved) and a DYNAMIC reservation's principal/labels into
// `reservation`; the `reservations` stack is dropped. Refined stacks have no such form.
import type { v1 } from '@mesos-ts/proto';
import { ResourcesError } from './errors.js';

export function downgradeResource(r: v1.Resource): v1.Resource {
  const { reservations, ...rest } = r;
  if (reservations === undefined || reservations.length === 0) return { ...rest, role: '*' };
  if (reservations.length > 1) {
    throw new ResourcesError(
      'INVALID_OPERATION',
      `${r.name} has a refined reservation (${reservations.map((x) => x.role).join(' -> ')}) that only ` +
        'frameworks with the RESERVATION_REFINEMENT capability can see',
    );
  }
  const top = reservations[0]!;
  const out: v1.Resource = { ...rest, role: top.role ?? '*' };
  if (top.type === 'DYNAMIC') {
    const reservation: v1.Resource.ReservationInfo = {};
    if (top.principal !== undefined) reservation.principal = top.principal;
    if (top.labels !== undefined) reservation.labels = top.labels;
    out.reservation = reservation;
  }
  return out;
}
