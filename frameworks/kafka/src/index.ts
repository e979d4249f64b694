// @mesos-ts/kafka: kafka-mesos on mesos-ts — the pure broker domain (model, state machine, parameters,
// offer plans, server.properties, output formatting), the scheduler, its REST API, the CLI and the executor.
export { KafkaError, isKafkaError, type KafkaErrorCode } from './domain/errors.js';
export { DEFAULT_DISK_MB, brokerState, cloneBroker, newBroker, volumeId, type Broker, type BrokerTask, type PortRange } from './domain/broker.js';
export { canTransition, isFailure, taskEvent, transition, type BrokerEvent, type BrokerState } from './domain/broker-state.js';
export { BROKER_PARAMS, applyBrokerParams, formatPortRange, parsePortRange, settingsChanged, type BrokerParam, type BrokerParams } from './domain/broker-params.js';
export { brokerToJson, displayState, formatTime, type BrokerJson } from './domain/broker-json.js';
export { formatBroker, formatBrokers, formatTopic, formatTopics } from './domain/format.js';
export { formatOptionsMap, parseOptionsMap, substituteId } from './domain/options-map.js';
export { DATA_PATH, DEFAULT_PROPERTIES, brokerLaunch, formatProperties, serverProperties, type BrokerLaunch, type ClusterMode } from './domain/broker-launch.js';
export { planOffers, type BrokerLaunchPlan, type ExecutorSpec, type OfferPlan, type OfferPlanInput } from './domain/offers.js';
export { addBrokers, applyStatus, cloneBrokers, markStopping, removeBrokers, selectIds, startBrokers, stopBrokers, updateBrokers, type CommandResult } from './domain/commands.js';
export { assignReplicas, formatReplicas, type TopicJson } from './domain/topic.js';
export { KafkaScheduler, type KafkaSchedulerOptions, type StartStatus } from './scheduler/kafka-scheduler.js';
export { ClusterStore, type ClusterState } from './scheduler/cluster-state.js';
export { startHttpServer, servedName, type ServedFiles } from './scheduler/http-server.js';
export { KafkaTopics } from './scheduler/kafka-topics.js';
export { MAX_LOG_BYTES } from './scheduler/log-requests.js';
export { bindHost, defaultExecutorCommand, runScheduler, type RunningScheduler } from './scheduler/run-scheduler.js';
export { apiRouter, type BrokerService } from './api/routes.js';
export type { RebalanceRequest, RebalanceResult, TopicAddRequest, TopicService } from './api/topic-service.js';
export { main, type MainIo } from './cli/main.js';
export { generalHelp, helpPage } from './cli/help-pages.js';
export { parseProperties, parseSchedulerFlags, schedulerHelp, type SchedulerFlags } from './cli/scheduler-flags.js';
export { KafkaExecutor, type KafkaExecutorOptions } from './executor/kafka-executor.js';
export { kafkaProbe, runExecutor } from './executor/run-executor.js';
export { findDistribution, logPath, tailFile } from './executor/sandbox-files.js';
