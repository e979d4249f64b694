// Typed errors of the Cassandra framework. Callers branch on `code`; the message says what was wrong and what to
// do. The REST layer maps them to HTTP statuses (INVALID_* 400, UNKNOWN_NODE 404, preconditions 409).

export type CassandraErrorCode =
  /** An environment or request value does not parse (a number, a duration, a count out of range). */
  | 'INVALID_PARAMETER'
  /** No node with that ip, hostname, executor id or name. */
  | 'UNKNOWN_NODE'
  /** `POST /scale/nodes` with fewer nodes than the cluster has (scaling down is not supported, as upstream). */
  | 'SCALE_DOWN'
  /** Upstream's ReplaceNodePreconditionFailed: a seed, a live node, not terminated, or tasks still running. */
  | 'REPLACE_PRECONDITION_FAILED'
  /** make-seed / make-non-seed refused (initial seeds not there yet, or the last live seed). */
  | 'SEED_CHANGE_REFUSED'
  /** A target run state move the node cannot make (e.g. anything after TERMINATE). */
  | 'ILLEGAL_RUN_STATE'
  /** A cluster job is already running, or none is running to abort. */
  | 'JOB_CONFLICT';

export class CassandraError extends Error {
  override readonly name = 'CassandraError';
  constructor(
    readonly code: CassandraErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isCassandraError(e: unknown, code?: CassandraErrorCode): e is CassandraError {
  return e instanceof CassandraError && (code === undefined || e.code === code);
}
