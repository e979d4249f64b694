// @mesos-ts/cli public API: the pieces behind the mesos, mesos-execute and mesos-local commands, for embedding
// and tests. The commands themselves are the bins (src/bin/*.ts).
export { CliError, describeError, type CliErrorCode } from './errors.js';
export { parseArgs, formatHelp, type FlagSpec, type FlagSpecs, type ParsedArgs } from './args.js';
export { formatTable, type Column, type Align } from './table.js';
export { parsePath, lookupPath, type Lookup } from './path-lookup.js';
export { formatElapsed, formatScalar, formatMegabytes } from './format.js';
export { masterAddress, normalizeAddress, DEFAULT_MASTER } from './endpoint.js';
export { runMesos, COMMANDS } from './mesos/main.js';
export type { Command, Io } from './mesos/command.js';
export { parseExecuteArgs, type ExecuteOptions } from './execute/flags.js';
export { execute, type ExecuteIo } from './execute/run.js';
export { startCluster, type ClusterOptions, type LocalAgent, type LocalCluster } from './mesos-local/cluster.js';
export type { LocalOptions } from './mesos-local/flags.js';
export { parseLocalArgs } from './mesos-local/flags.js';
