// Typed errors of the ZooKeeper building blocks (URL parsing, sessions, election, the versioned document store).
// Callers branch on `code`; `retriable` says whether the same call can succeed later without a change.
import { TypedError } from '@mesos-ts/common';

export type ZooKeeperErrorCode =
  /** A `zk://` URL or node path that cannot be parsed. */
  | 'INVALID_ZK_URL'
  /** No ZooKeeper connection within the operation timeout (ensemble down, no quorum, wrong address). */
  | 'ZK_UNAVAILABLE'
  /** The server refused our credentials or the node's ACL refuses them. */
  | 'ZK_UNAUTHORIZED'
  /** The session expired (or our lease on it lapsed) while the operation needed it. */
  | 'ZK_SESSION_EXPIRED'
  /** A versioned write lost against another writer: re-read and decide again. */
  | 'VERSION_CONFLICT'
  /** Stored data is not what this library writes (bad header, missing chunk, checksum mismatch). */
  | 'CORRUPT_DOCUMENT'
  /** The component was closed or withdrawn while the call was waiting. */
  | 'CLOSED'
  /** No master answered / no leader is known (resolveLeader). */
  | 'NO_LEADER'
  /** Any other ZooKeeper failure (carries the server's error name). */
  | 'ZK_ERROR';

const RETRIABLE: ReadonlySet<ZooKeeperErrorCode> = new Set(['ZK_UNAVAILABLE', 'ZK_SESSION_EXPIRED', 'NO_LEADER']);

export class ZooKeeperError extends TypedError<ZooKeeperErrorCode> {
  override readonly name = 'ZooKeeperError';

  constructor(code: ZooKeeperErrorCode, message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(code, message, { cause: options.cause, retriable: options.retriable ?? RETRIABLE.has(code) });
  }
}

export function isZooKeeperError(e: unknown, code?: ZooKeeperErrorCode): e is ZooKeeperError {
  return e instanceof ZooKeeperError && (code === undefined || e.code === code);
}
