// @mesos-ts/master public API: the mesos-master daemon as a library (flags, start/stop, the Master and its
// ports: registry store, leader detection, clock).
export { parseFlags, helpText, FLAG_SPECS, type MasterFlags, type FlagsResult } from './flags.js';
export { MasterError, isMasterError, type MasterErrorCode } from './core/errors.js';
export { Master, MASTER_VERSION, HEARTBEAT_INTERVAL_MS, type MasterOptions } from './runtime/master.js';
export { startMaster, registryStoreFor, type RunningMaster } from './runtime/start.js';
export type { Clock, Timer } from '@mesos-ts/common';
export { StandaloneLeader, type LeaderDetector, type Contender, type LeaderAddress } from './runtime/leader.js';
export { InMemoryRegistryStore, emptyRegistry, type RegistryStore, type RegistryDocument, type RegistryAgent } from './registry/registry-store.js';
export { FileRegistryStore } from './registry/file-registry-store.js';
export { createMasterServer } from './http/server.js';
export { MAX_BODY_BYTES } from './http/respond.js';
export { transition, isTerminal, stateForFramework, type TaskState } from './core/task-state.js';
