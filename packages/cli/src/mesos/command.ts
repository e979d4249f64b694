// The shape of a `mesos` subcommand and what it runs with. Output goes through `io` so tests can capture it;
// `signal` aborts long-running commands (`tail -f`) on Ctrl-C.
import type { FlagSpecs, ParsedArgs } from '../args.js';
import { leaderAddress, masterAddress } from '../endpoint.js';
import { credentialOf, setCredential } from '../http.js';

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
  principal: { kind: 'string', value: 'principal', help: 'Principal to authenticate as (HTTP Basic; or MESOS_PRINCIPAL), for masters and agents with --authenticate_http_*.' },
  secret: { kind: 'string', value: 'secret', help: 'Secret of --principal (or MESOS_SECRET, or MESOS_SECRET_FILE naming a file holding it).' },
};

/**
 * `host:port` of the master to talk to; a zk:// `--master` is resolved to the elected leader first. Every
 * command calls this before its first request, so it also sets the credential the requests carry.
 */
export const masterOf = (args: ParsedArgs, io: Io): Promise<string> => {
  setCredential(credentialOf(args.strings.get('principal'), args.strings.get('secret'), io.env));
  return leaderAddress(masterAddress(args.strings.get('master'), io.env));
};

export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
