// @mesos-ts/elasticsearch: elasticsearch-mesos, mesos/elasticsearch's scheduler semantics running OpenSearch nodes.
export { evaluateOffer, type ClusterView, type NodeNeeds, type OfferDecision, type OfferView } from './domain/offer-rules.js';
export { nodeSettings, settingsArgs, type NodeSettingsInput, type RunningNode } from './domain/node-settings.js';
export { exclusionSetting, nextScaleDown, pickNodeToRemove, type NodeRef, type ScaleDownEvent, type ScaleDownState } from './domain/scale-down.js';
export { hasJoined, parseHealthColour, type HealthColour } from './domain/health.js';
export { FLAG_HELP, FlagError, parseFlags, publicConfig, type SchedulerConfig } from './domain/flags.js';
export { apiListener, apiRouter, pickNode, type ClusterControl, type TaskView } from './api/routes.js';
export { NODE_UID, SearchNode, type NodeRunOptions } from './executor/node-runner.js';
