// @mesos-ts/scheduler: the framework SDK for Mesos' v1 scheduler API — a reconnecting, failover-aware client
// with typed event handlers and call helpers, task tracking for reconciliation, and pure offer matching.
export { SchedulerError, isSchedulerError, type SchedulerErrorCode } from './errors.js';
export { SchedulerClient, type SchedulerClientOptions } from './scheduler-client.js';
export type { SchedulerEvents, SubscribedInfo } from './scheduler-events.js';
export { StaticMasterDetector, masterDetectorFor, parseMasterList, type MasterDetector } from './master-detector.js';
export { DEFAULT_BACKOFF, backoffDelay, type BackoffOptions } from './backoff.js';
export { systemClock, type Clock, type Random, type Timer } from './clock.js';
export { silentLogger, type Logger } from './logger.js';
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
