// @mesos-ts/elasticsearch: elasticsearch-mesos, mesos/elasticsearch's scheduler semantics running Elasticsearch
// (or OpenSearch) nodes: domain rules, the scheduler, the executor, the REST API and web page.
export { evaluateOffer, type ClusterView, type NodeNeeds, type OfferDecision, type OfferView } from './domain/offer-rules.js';
export { nodeSettings, settingsArgs, type Flavour, type NodeSettingsInput, type RunningNode } from './domain/node-settings.js';
export { exclusionSetting, nextScaleDown, pickNodeToRemove, type NodeRef, type ScaleDownEvent, type ScaleDownState } from './domain/scale-down.js';
export { hasJoined, parseHealthColour, type HealthColour } from './domain/health.js';
export { FLAG_HELP, FlagError, parseFlags, publicConfig, type SchedulerConfig } from './domain/flags.js';
export { applyUpdate, emptyState, needsOffers, type ClusterState, type EsNode, type NodeTask } from './domain/cluster-state.js';
export { heapFor, planOffers, VOLUME_PATH, type NodeLaunch, type OfferPlan, type PlanConfig } from './domain/offer-plan.js';
export { apiListener, apiRouter, pickNode, type ClusterControl, type TaskView } from './api/routes.js';
export { distributionFlavour, NODE_UID, SearchNode, type NodeRunOptions } from './executor/node-runner.js';
export { EsScheduler, type EsSchedulerOptions } from './scheduler/es-scheduler.js';
export { runScheduler, type RunningScheduler } from './scheduler/run-scheduler.js';
