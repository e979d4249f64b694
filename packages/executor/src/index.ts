// @mesos-ts/executor: the SDK for custom executors on Mesos' v1 executor API — the MESOS_* environment,
// a client that subscribes, delivers updates until acknowledged, survives agent restarts and shuts down
// within the grace period.
export { ExecutorError, isExecutorError, type ExecutorErrorCode } from './errors.js';
export { EXECUTOR_DEFAULTS, executorEnvironment, type ExecutorEnvironment } from './environment.js';
export { ExecutorClient, type ExecutorClientOptions, type ExecutorEvents, type ExitReason, type StatusInput } from './executor-client.js';
export { UpdateBook } from './update-book.js';
// The shared runtime (packages/common), re-exported so SDK users need one import.
export { silentLogger, systemClock, type Clock, type Logger, type Random, type Timer } from '@mesos-ts/common';
