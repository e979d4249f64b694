// @mesos-ts/resources: the one immutable Resources value type, its text/JSON/protobuf forms,
// roles and reservations, persistent volumes, and offer operations. Pure: no I/O, no clocks.
export { Resources } from './resources.js';
export type { ParseOptions } from './parse.js';
export { ResourcesError, type ResourcesErrorCode } from './errors.js';
export { parseAttributes, formatAttributes } from './attributes.js';
export { reservationRole, isReserved, isDynamicallyReserved, isPersistentVolume } from './reservation.js';
export { isAncestorRole, validateRole } from './roles.js';

import type { v1 } from '@mesos-ts/proto';
/** One normalized entry as handed out by `Resources` (frozen; do not mutate). */
export type Resource = v1.Resource;
/** The operation shape `Resources.apply` takes (alias of v1.Offer.Operation). */
export type OfferOperation = v1.Offer.Operation;
