// @mesos-ts/agent: the mesos-agent daemon (bin: mesos-agent) and its built-in executor (bin: mesos-executor).
export { Agent, AGENT_VERSION, type AgentOptions } from './agent.js';
export { parseFlags, helpText, parseBytes, FlagsError, FLAG_SPECS, type AgentFlags, type RecoverMode } from './flags.js';
export { CgroupsIsolator, type CgroupsOptions } from './cgroups/cgroups-isolator.js';
export { agentResources, detectedResourcesText, machineFacts, type MachineFacts } from './resources-detect.js';
export { StaticMasterDetector, MasterDetectorError, type MasterDetector } from './master-detector.js';
export { ManualClock, daemonClock as systemClock, type Clock, type Timer } from '@mesos-ts/common';
export type { UriFetcher, AgentContext } from './agent-context.js';
export { Fetcher, FetchError } from './fetcher/index.js';
export { HealthChecker } from './health/index.js';
