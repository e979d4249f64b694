// The shape of a `mesos` subcommand and what it runs with. Output goes through `io` so tests can capture it;
// `signal` aborts long-running commands (`tail -f`) on Ctrl-C.
import type { FlagSpecs, ParsedArgs } from '../args.js';
import { masterAddress } from '../endpoint.js';

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
  master: { kind: 'string', value: 'host:port', help: 'Master to talk to (or MESOS_MASTER).', default: '127.0.0.1:5050' },
  json: { kind: 'bool', help: 'Print JSON instead of a table.' },
};

export const masterOf = (args: ParsedArgs, io: Io): string => masterAddress(args.strings.get('master'), io.env);

export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
