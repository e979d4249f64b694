// @mesos-ts/scheduler: the framework SDK for Mesos' v1 scheduler API — a reconnecting, failover-aware client
// with typed event handlers and call helpers, task tracking for reconciliation, and pure offer matching.
export { SchedulerError, isSchedulerError, type SchedulerErrorCode } from './errors.js';
export { SchedulerClient, credentialFromEnv, type SchedulerClientOptions } from './scheduler-client.js';
export type { SchedulerEvents, SubscribedInfo } from './scheduler-events.js';
export { StaticMasterDetector, masterDetectorFor, parseMasterList, type MasterDetector } from './master-detector.js';
export { DEFAULT_BACKOFF, backoffDelay, type BackoffOptions } from './backoff.js';
// The shared runtime (packages/common), re-exported so SDK users need one import.
export { silentLogger, systemClock, type Clock, type Logger, type Random, type Timer } from '@mesos-ts/common';
export {
  acceptCall,
  acknowledgeCall,
  acknowledgeOperationStatusCall,
  declineCall,
  killCall,
  launchOperation,
  launchedTasks,
  messageCall,
  reconcileCall,
  reviveCall,
  shutdownCall,
  subscribeCall,
  suppressCall,
  updateFrameworkCall,
  type Id,
} from './calls.js';
export { TaskTracker, type TrackedTask } from './task-tracker.js';
export { isTerminalState } from './task-state.js';
export { matchOffer, matchResources, type MatchResult, type ResourceRequest } from './offer-match.js';
export { allocatePorts, toRanges } from './ports.js';
