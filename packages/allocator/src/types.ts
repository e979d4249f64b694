// Public data shapes and the typed error of the allocator.

/** Framework capabilities the allocator looks at (names as in FrameworkInfo.Capability.Type). */
export type FrameworkCapability =
  | 'REVOCABLE_RESOURCES'
  | 'GPU_RESOURCES'
  | 'MULTI_ROLE'
  | 'SHARED_RESOURCES'
  | 'RESERVATION_REFINEMENT';

/** Scalar quantities by resource name, in natural units (cpus, MB, …). */
export type ScalarQuantities = Readonly<Record<string, number>>;

export interface QuotaConfig {
  /** Resources the role is promised even when others must wait (default: none). */
  readonly guarantees?: ScalarQuantities;
  /** Upper bound on what the role may consume (default: unlimited). */
  readonly limits?: ScalarQuantities;
}

export type AllocatorErrorCode =
  | 'INVALID_ROLE'
  | 'INVALID_WEIGHT'
  | 'INVALID_QUOTA'
  | 'INVALID_OPTIONS'
  | 'UNKNOWN_FRAMEWORK'
  | 'UNKNOWN_AGENT'
  | 'DUPLICATE_FRAMEWORK'
  | 'DUPLICATE_AGENT'
  | 'MISSING_CAPABILITY'
  | 'INSUFFICIENT_RESOURCES'
  | 'INVALID_RESOURCES'
  | 'INVALID_OPERATION';

/** Expected failure of an allocator call (bad input from the master); the allocator state is unchanged. */
export class AllocatorError extends Error {
  readonly retriable = false;
  constructor(
    readonly code: AllocatorErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AllocatorError';
  }
}
