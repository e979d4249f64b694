// `kafka-mesos <command>`: help, scheduler, broker …, topic … (and `executor`, started by Mesos agents).
// Exit codes: 0 success, 1 an error (printed as `Error: …` on stderr), 2 a usage error (unknown command).
import { isKitError } from '@mesos-ts/framework-kit';
import { isKafkaError } from '../domain/errors.js';
import { isClientCommand, runClientCommand, type ClientIo } from './client-commands.js';
import { generalHelp, helpPage } from './help-pages.js';
import { schedulerHelp } from './scheduler-flags.js';

export interface MainIo extends ClientIo {
  err: (text: string) => void;
  /** Runs the scheduler until it is stopped; resolves with the exit code. */
  scheduler: (argv: readonly string[]) => Promise<number>;
  /** Runs the executor (inside a Mesos sandbox). */
  executor: () => Promise<number>;
}

export async function main(argv: readonly string[], io: MainIo): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  try {
    if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') {
      const page = helpPage(cmd === 'help' ? argv.slice(1) : [], schedulerHelp);
      if (page === undefined) return usage(`unsupported command: ${argv.slice(1).join(' ')}`, io);
      io.out(page);
      return cmd === undefined ? 2 : 0;
    }
    if (cmd === 'scheduler') {
      if (argv.includes('--help') || argv.includes('-h')) {
        io.out(helpPage(['scheduler'], schedulerHelp)!);
        return 0;
      }
      return await io.scheduler(argv.slice(1));
    }
    if (cmd === 'executor') return await io.executor();
    if (cmd === 'broker' || cmd === 'topic') {
      if (sub === undefined) {
        io.out(helpPage([cmd], schedulerHelp)!);
        return 2;
      }
      if (!isClientCommand(cmd, sub)) return usage(`unsupported ${cmd} command ${sub}`, io);
      return await runClientCommand(cmd, sub, rest, io);
    }
    return usage(`unsupported command: ${cmd}`, io);
  } catch (e) {
    // Typed errors (ours, the kit's, the SDK's) carry a message meant for the user; anything else is a bug.
    if (isKafkaError(e) || isKitError(e) || (e instanceof Error && typeof (e as { code?: unknown }).code === 'string')) {
      io.err(`Error: ${e.message}\n`);
      return 1;
    }
    io.err(`Error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

function usage(message: string, io: MainIo): number {
  io.err(`Error: ${message}\n${generalHelp()}`);
  return 2;
}
