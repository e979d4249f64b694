// @mesos-ts/cassandra: cassandra-mesos on mesos-ts — the pure ring domain (configuration from the environment,
// node model, run states, operator commands, placement, cluster jobs) and its REST API.
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
