// Reservation stack helpers on v1.Resource (the stack's last entry is the current role).
import type { v1 } from '@mesos-ts/proto';

/** The role a resource is currently reserved to, '*' when unreserved (legacy `role` honoured). */
export function reservationRole(r: v1.Resource): string {
  const stack = r.reservations;
  if (stack !== undefined && stack.length > 0) return stack[stack.length - 1]!.role ?? '*';
  return r.role ?? '*';
}

/** True when the resource carries a reservation (stack or legacy role). */
export function isReserved(r: v1.Resource): boolean {
  return reservationRole(r) !== '*';
}

/** True when the top reservation is DYNAMIC (made by RESERVE, undone by UNRESERVE). */
export function isDynamicallyReserved(r: v1.Resource): boolean {
  const stack = r.reservations;
  if (stack !== undefined && stack.length > 0) return stack[stack.length - 1]!.type === 'DYNAMIC';
  return r.role !== undefined && r.role !== '*' && r.reservation !== undefined;
}

export function isPersistentVolume(r: v1.Resource): boolean {
  return r.disk?.persistence !== undefined;
}
