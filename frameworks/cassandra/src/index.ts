// @mesos-ts/cassandra: cassandra-mesos on mesos-ts — the pure ring domain (configuration from the environment,
// node model, run states, operator commands, placement, offers, jobs), the REST API, the scheduler and the executor.
export { CassandraError, isCassandraError, type CassandraErrorCode } from './domain/errors.js';
export { DEFAULTS, configFromEnv, effectiveConfig, type CassandraConfig } from './domain/config.js';
export { findNode, isHealthyRunning, isLive, persistenceId, type CassandraNode, type NodeHealth, type NodeMode, type RunState } from './domain/node.js';
export { canTransition, transition } from './domain/run-state.js';
export { ensureNodes, replaceDeadNode, scaleNodes, setRunState, setSeed, type RingState } from './domain/commands.js';
export { decidePlacement, needsOffers, wantsLaunch, type OfferView, type PlacementDecision } from './domain/placement.js';
export { seedList } from './domain/seeds.js';
export { NUM_TOKENS, VOLUME_DIRS, nodeLaunch, type NodeLaunch, type NodeLaunchInput } from './domain/node-launch.js';
export { JOB_TYPES, abortJob, jobNodeDone, jobStatus, nextJobNode, parseJobType, startJob, type ClusterJob, type JobType, type JobsState } from './domain/jobs.js';
export { apiRouter, nodeJson, type RingService, type Snapshot } from './api/routes.js';
export { MemoryRingService } from './api/memory-ring-service.js';
export { prepareNode, type NodeProcessSpec } from './executor/node-files.js';
export { JOB_NODETOOL_ARGS, runNodetool } from './executor/nodetool.js';
export { VOLUME_PATH, encodeMessage, parseExecutorMessage, parseJobRequest, type ExecutorMessage, type HealthReport, type JobRequest, type JobResult, type NodeTaskData } from './domain/task-data.js';
export { applyHealth, applyTaskStatus, isTerminalTaskState, type TaskUpdate } from './domain/status.js';
export { planOffer, type OfferPlan, type OfferPlanInput } from './domain/offers.js';
export { CassandraScheduler, type CassandraSchedulerOptions } from './scheduler/cassandra-scheduler.js';
export { runScheduler, findDistribution as findSchedulerDistribution, type RunningScheduler } from './scheduler/run-scheduler.js';
export { schedulerSettings, DEFAULT_API_PORT, type SchedulerSettings } from './scheduler/scheduler-env.js';
export { CassandraExecutor, findDistribution } from './executor/cassandra-executor.js';
