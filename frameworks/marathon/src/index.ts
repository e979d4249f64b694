// @mesos-ts/marathon: a Marathon-compatible launcher — app validation, offer matching, constraints,
// deployments and backoff (pure, src/domain), the launcher framework, its /v2 REST API, and the bin.
export { APP_DEFAULTS, parseApp, isPersistent, type AppDefinition, type Constraint, type HealthCheckDef } from './domain/app.js';
export { appIdError, normaliseAppId, taskIdFor } from './domain/app-id.js';
export { MarathonError, type ErrorDetail } from './domain/errors.js';
export { constraintViolation, impossible, type OfferFields } from './domain/constraints.js';
export { planOffers, offerFields, deficit, type OfferPlan } from './domain/offers.js';
export { tasksToKill, deploymentDone, type Deployment } from './domain/deployment.js';
export { afterFailure, NO_BACKOFF, type Backoff } from './domain/backoff.js';
export { taskInfo, taskEnv, healthCheck } from './domain/task-info.js';
export type { TaskRecord, TaskFailure } from './domain/task.js';
export { Launcher, type LauncherOptions } from './scheduler/launcher.js';
export { runLauncher, type RunningLauncher } from './scheduler/run-launcher.js';
export { startServer } from './api/server.js';
export { HELP, parseFlags, type LauncherFlags } from './cli/flags.js';
