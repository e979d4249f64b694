// Typed failures of resource parsing, validation and math. Every message says what was wrong
// and how to write it correctly; `code` is for programs, `message` is for people.

export type ResourcesErrorCode =
  /** A --resources / --attributes string or JSON array could not be parsed. */
  | 'PARSE'
  /** A v1.Resource is malformed (negative scalar, empty range, begin > end, type/value mismatch …). */
  | 'INVALID_RESOURCE'
  /** A role name breaks Mesos' role rules. */
  | 'INVALID_ROLE'
  /** Subtracting or consuming resources that are not there. */
  | 'INSUFFICIENT'
  /** An offer operation is malformed or not allowed on these resources. */
  | 'INVALID_OPERATION'
  /** UNRESERVE refused: a persistent volume still lives on the reservation. */
  | 'VOLUME_EXISTS'
  /** CREATE refused: the persistence id is already used by a volume of that role. */
  | 'DUPLICATE_PERSISTENCE_ID'
  /** DESTROY refused: the volume is not among these resources. */
  | 'UNKNOWN_VOLUME'
  /** DESTROY refused: a shared volume is still held by other users. */
  | 'VOLUME_IN_USE';

export class ResourcesError extends Error {
  override readonly name = 'ResourcesError';
  /** Retrying can help only when resources were missing (a newer offer may have them). */
  readonly retriable: boolean;

  constructor(
    readonly code: ResourcesErrorCode,
    message: string,
  ) {
    super(message);
    this.retriable = code === 'INSUFFICIENT';
  }
}
