// Typed errors of the command lines. `USAGE` (bad flags or arguments) exits 2, everything else exits 1, so
// scripts can tell "you called it wrong" from "it did not work".

export type CliErrorCode =
  /** Bad flags or arguments: the message says what is wrong; exit 2. */
  | 'USAGE'
  /** The master or an agent could not be reached or answered with an error; exit 1. */
  | 'UNREACHABLE'
  | 'REQUEST_FAILED'
  /** A task, framework, agent or file named by the user does not exist; exit 1. */
  | 'NOT_FOUND'
  /** Something is not supported; exit 2. */
  | 'UNSUPPORTED';

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly code: CliErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get exitCode(): number {
    return this.code === 'USAGE' || this.code === 'UNSUPPORTED' ? 2 : 1;
  }
}

export const usage = (message: string): CliError => new CliError('USAGE', message);

/** Exit code and one-line message for any error a command threw (unexpected ones keep their stack). */
export function describeError(e: unknown): { exitCode: number; message: string } {
  if (e instanceof CliError) return { exitCode: e.exitCode, message: e.message };
  return { exitCode: 1, message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}
