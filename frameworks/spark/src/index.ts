// @mesos-ts/spark: a Spark MesosClusterDispatcher — Spark's REST submission protocol, the driver queue with
// supervise, and applications run as a Spark standalone master, workers and a driver inside Mesos tasks.
export { sparkJson } from './domain/spark-json.js';
export { MEMORY_OVERHEAD_MIN_MB, memoryStringToMb, withOverhead } from './domain/memory.js';
export { parseCreateRequest, type CreateSubmissionRequest, type ParsedCreate } from './domain/submission.js';
export { driverTaskId, statusText, submissionId, type AppTask, type DriverDescription, type DriverState, type FinishedDriver, type LaunchedDriver, type QueuedDriver, type RetryState, type StatusSummary } from './domain/driver.js';
export { DEFAULT_CONF, NOT_READY, emptyState, isTerminal, kill, onTaskStatus, status, submit, type Answer, type DispatcherConf, type DispatcherState, type StatusEffect, type TaskRef } from './domain/dispatcher-state.js';
export { parseSparkConstraints, unmetConstraint, type SparkConstraints } from './domain/constraints.js';
export { driverCommand, masterCommand, workerCommand } from './domain/task-commands.js';
export { MASTER_CPUS, MASTER_MEM_MB, maxCores, planOffers, wantsWorkers, type OfferRoundPlan, type PlanInput } from './domain/offers.js';
export { Dispatcher, type DispatcherOptions } from './scheduler/dispatcher.js';
export { DispatcherStore } from './scheduler/dispatcher-store.js';
export { runDispatcher, type RunningDispatcher } from './scheduler/run-dispatcher.js';
export { PROTOCOL_VERSION, SC_UNKNOWN_PROTOCOL_VERSION, SERVER_SPARK_VERSION, handle, startRestServer, type SubmissionService } from './api/rest-server.js';
export { renderPage, startWebUi, type UiSource } from './api/web-ui.js';
export { DISPATCHER_HELP, FlagError, dispatcherSettings, mesosMaster, parseDispatcherFlags, parsePropertiesFile, timeSeconds, type DispatcherFlags, type DispatcherSettings } from './cli/dispatcher-flags.js';
