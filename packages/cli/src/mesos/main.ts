// `mesos <subcommand>`: dispatch, help and exit codes. No arguments (or --help) lists the subcommands.
import { formatHelp, parseArgs } from '../args.js';
import { describeError } from '../errors.js';
import { formatTable } from '../table.js';
import type { Command, Io } from './command.js';
import { agents, frameworks, ps, state } from './listing.js';
import { reserve, resolve, teardown, unreserve, volume } from './operations.js';
import { cat, tail } from './sandbox.js';

export const COMMANDS: readonly Command[] = [ps, state, frameworks, agents, cat, tail, reserve, unreserve, volume, teardown, resolve];

export function overview(): string {
  const rows = COMMANDS.map((c) => [c.name, c.summary]);
  return (
    'Usage: mesos <command> [flags]\n\n' +
    'Operator commands for a mesos-ts (or Apache Mesos) cluster; they talk to the master over HTTP.\n\n' +
    `Commands:\n${formatTable([{ header: '' }, { header: '' }], rows).split('\n').slice(1).map((l) => (l ? `  ${l}` : l)).join('\n')}\n` +
    'Every command takes --master=host:port or --master=zk://host:2181/mesos (the leader elected in ZooKeeper;\n' +
    'default 127.0.0.1:5050, or MESOS_MASTER) and --help.\n'
  );
}

/** Runs `mesos` with argv (without node and script); returns the exit code. */
export async function runMesos(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    io.out(topic ? commandHelp(topic) : overview());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.err(`mesos: unknown command '${name}'\n\n${overview()}`);
    return 2;
  }
  try {
    const args = parseArgs(rest, command.flags);
    if (args.help) {
      io.out(commandHelp(command));
      return 0;
    }
    return await command.run(args, io);
  } catch (e) {
    const { exitCode, message } = describeError(e);
    io.err(`mesos ${command.name}: ${message}\n`);
    return exitCode;
  }
}

export const commandHelp = (c: Command): string => formatHelp(`mesos ${c.name} ${c.usage}`, c.description, c.flags);
