// The shape of a `mesos` subcommand and what it runs with. Output goes through `io` so tests can capture it;
// `signal` aborts long-running commands (`tail -f`) on Ctrl-C.
import type { FlagSpecs, ParsedArgs } from '../args.js';
import { leaderAddress, masterAddress } from '../endpoint.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Seconds since the epoch. */
  now(): number;
  signal: AbortSignal;
}

export interface Command {
  name: string;
  summary: string;
  /** After `mesos <name> `, e.g. `[--all]`. */
  usage: string;
  description: string;
  flags: FlagSpecs;
  /** Returns the exit code. Throws CliError for failures. */
  run(args: ParsedArgs, io: Io): Promise<number>;
}

/** Flags every subcommand takes. */
export const COMMON_FLAGS: FlagSpecs = {
  master: { kind: 'string', value: 'host:port|zk://host:2181/mesos', help: 'Master to talk to (or MESOS_MASTER); zk:// asks ZooKeeper for the elected leader.', default: '127.0.0.1:5050' },
  json: { kind: 'bool', help: 'Print JSON instead of a table.' },
};

/** `host:port` of the master to talk to; a zk:// `--master` is resolved to the elected leader first. */
export const masterOf = (args: ParsedArgs, io: Io): Promise<string> => leaderAddress(masterAddress(args.strings.get('master'), io.env));

export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
