// @mesos-ts/allocator: a pure hierarchical weighted-DRF allocator (roles, weights, quota, refusal filters,
// suppress/revive). Time comes in as `now` (ms); randomness from a seed.
export {
  HierarchicalAllocator,
  type AllocatorOptions,
  type FrameworkConfig,
  type AgentConfig,
  type AllocateOptions,
} from './allocator.js';
export type { Offer } from './state.js';
export {
  AllocatorError,
  type AllocatorErrorCode,
  type FrameworkCapability,
  type QuotaConfig,
  type ScalarQuantities,
} from './types.js';
export { DEFAULT_REFUSE_SECONDS, MAX_REFUSE_SECONDS, refusalTimeoutMs } from './filters.js';
export { DEFAULT_MIN_ALLOCATABLE, parseMinAllocatable } from './min-allocatable.js';
export { validateRole } from './role-tree.js';
export { mulberry32, shuffle, type Rng } from './rng.js';
