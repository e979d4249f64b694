// Typed errors of the framework kit. Callers branch on `code`; the message says what was wrong and how to fix it.
import { TypedError } from '@mesos-ts/common';

export type KitErrorCode =
  /** An id, name or attribute-filter expression (`0..2`, `t*`, `*[rack=r1]`) does not parse. */
  | 'INVALID_EXPRESSION'
  /** A placement constraint (`rack=like:1.*`) does not parse. */
  | 'INVALID_CONSTRAINT'
  /** A duration (`10s`, `5m`, `5secs`) does not parse. */
  | 'INVALID_DURATION'
  /** A storage spec (`file:…`, `zk:…`) does not parse. */
  | 'INVALID_STORAGE'
  /** A versioned write lost a race: somebody else changed the key since it was read. */
  | 'VERSION_CONFLICT'
  /** The state store could not be read or written (I/O, ZooKeeper session); usually worth retrying. */
  | 'STORE_UNAVAILABLE'
  /** ZooKeeper refused the credentials or the node's ACL does not admit them. */
  | 'STORE_UNAUTHORIZED'
  /** A stored value is not valid JSON. */
  | 'CORRUPT_STATE'
  /** A command line does not parse (unknown option, missing value). */
  | 'INVALID_ARGUMENT'
  /** A framework's REST API answered with an error or could not be reached. */
  | 'API_ERROR';

const RETRIABLE: ReadonlySet<KitErrorCode> = new Set(['STORE_UNAVAILABLE', 'VERSION_CONFLICT']);

export class KitError extends TypedError<KitErrorCode> {
  override readonly name = 'KitError';

  constructor(code: KitErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { cause: options.cause, retriable: RETRIABLE.has(code) });
  }
}

export function isKitError(e: unknown, code?: KitErrorCode): e is KitError {
  return e instanceof KitError && (code === undefined || e.code === code);
}
