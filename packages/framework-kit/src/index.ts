// @mesos-ts/framework-kit: machinery shared by every framework in frameworks/ — kafka-mesos style id and
// name expressions, placement constraints, durations, state stores (file:, zk:) with framework id persistence,
// failover/stickiness policies, the reservation + volume recipe, a pure plan engine, and REST/CLI helpers.
export { KitError, isKitError, type KitErrorCode } from './errors.js';
export { matchesWildcard } from './expr/wildcard.js';
export { matchesAttributeFilter, type AttributeFilter } from './expr/attribute-filter.js';
export { MAX_EXPANDED_IDS, expandIds, parseIdExpr, type ExpandIdsOptions, type IdExpr, type IdPart } from './expr/id-expr.js';
export { expandNames } from './expr/name-expr.js';
export { conditionMatches, formatCondition, parseCondition, type Condition } from './constraints/condition.js';
export {
  checkConstraints,
  formatConstraints,
  offerAttributes,
  parseConstraints,
  type Constraint,
  type NodeAttributes,
} from './constraints/constraints.js';
export { formatDurationMs, parseDurationMs } from './duration.js';
export {
  MUST_NOT_EXIST,
  clearFrameworkId,
  loadFrameworkId,
  saveFrameworkId,
  validateKey,
  type StateStore,
  type Versioned,
} from './state/state-store.js';
export { FileStateStore, serialise } from './state/file-store.js';
export { ZkStateStore, type ZkStateStoreOptions } from './state/zk-store.js';
export { parseZkConnect, type ZkConnect } from './state/zk-connect.js';
export { parseStorage, parseStorageSpec, type StorageOptions, type StorageSpec } from './state/parse-storage.js';
export { formatOptionTable, formatTable, type OptionHelp, type TableOptions } from './cli/table.js';
export { API_OPTION, formatHelpPage, type HelpPage } from './cli/help.js';
export { parseArgs, type ArgSpec, type ParsedArgs } from './cli/args.js';
export { HttpError, JsonRouter, Reply, type JsonHandler, type JsonRequest } from './rest/json-router.js';
export { apiRequest, resolveApiUrl } from './rest/api-client.js';
export {
  DEFAULT_FAILOVER,
  NO_FAILURES,
  failoverDelay,
  registerFailure,
  registerStart,
  restartAt,
  triesExhausted,
  type FailoverPolicy,
  type FailoverState,
} from './policy/failover.js';
export {
  NOT_STICKY,
  allowsHostname,
  stickinessExpires,
  stickyStarted,
  stickyStopped,
  type StickinessState,
} from './policy/stickiness.js';
export {
  PERSISTENCE_LABEL,
  ownedBy,
  placeVolumeTask,
  releaseVolumeTask,
  type VolumePlacement,
  type VolumeTaskSpec,
} from './recipe/volume-recipe.js';
export { computePlan, type Accept, type Launch, type MemberSpec, type ObservedTask, type Plan, type PlanInput } from './plan/plan.js';
export { bundleTarArgs, executorBundle, type ExecutorBundle, type ExecutorBundleSpec } from './bundle/executor-bundle.js';
export { streamTar } from './bundle/stream-tar.js';
export { executorCommandInfo, type ExecutorSpec } from './bundle/executor-spec.js';
export { frameworkInfo, subscriptionOptions, type FrameworkIdentity } from './scheduler/framework-info.js';
export { localExecutorCommand, shellQuote } from './bundle/local-executor.js';
export {
  TERMINAL_ACK_WAIT_MS,
  executorExitCode,
  untilExecutorEnds,
  waitForAck,
  type ExecutorEnd,
  type UntilExecutorEndsOptions,
} from './executor/executor-lifetime.js';
export { createApiServer, listenApi, schemeOf, serverTls, withScheme, type TlsConfig } from './rest/tls-server.js';
export { clientTlsFor, requestText, type TextRequest, type TextResponse } from './rest/tls-client.js';
