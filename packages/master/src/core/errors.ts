// Expected failures of the master, typed by `code`. Each code maps to the HTTP status upstream answers with, so
// handlers can turn any MasterError into a response without knowing where it came from.
import { TypedError } from '@mesos-ts/common';

export type MasterErrorCode =
  /** A flag has a bad value (startup only). */
  | 'INVALID_FLAG'
  /** The call is malformed or fails validation (400). */
  | 'INVALID_CALL'
  /** The framework id is not known (400 "Framework cannot be found", as upstream). */
  | 'UNKNOWN_FRAMEWORK'
  /** The agent id is not known (400 for scheduler calls, 404 for operator calls naming an agent). */
  | 'UNKNOWN_AGENT'
  /** The framework exists but is not subscribed on this connection (403). */
  | 'NOT_SUBSCRIBED'
  /** The operation cannot be applied to the resources as they are now (409). */
  | 'CONFLICT'
  /** The framework or agent was removed (403 for calls, ERROR events on streams). */
  | 'REMOVED'
  /** The registry could not store the change (503, retry). */
  | 'REGISTRY_FAILED';

const STATUS: Readonly<Record<MasterErrorCode, number>> = {
  INVALID_FLAG: 400,
  INVALID_CALL: 400,
  UNKNOWN_FRAMEWORK: 400,
  UNKNOWN_AGENT: 400,
  NOT_SUBSCRIBED: 403,
  CONFLICT: 409,
  REMOVED: 403,
  REGISTRY_FAILED: 503,
};

export class MasterError extends TypedError<MasterErrorCode> {
  override readonly name = 'MasterError';
  private readonly statusOverride: number | undefined;

  constructor(code: MasterErrorCode, message: string, options: { cause?: unknown; status?: number } = {}) {
    super(code, message, { cause: options.cause, retriable: code === 'REGISTRY_FAILED' || code === 'CONFLICT' });
    this.statusOverride = options.status;
  }

  /** The HTTP status a handler answers with. */
  get status(): number {
    return this.statusOverride ?? STATUS[this.code];
  }
}

export function isMasterError(e: unknown): e is MasterError {
  return e instanceof MasterError;
}
