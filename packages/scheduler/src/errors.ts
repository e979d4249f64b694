// Typed errors of the scheduler SDK. Callers branch on `code`; `retriable` says whether the same call may
// succeed later (e.g. once the client has re-subscribed to the new leading master).
import { TypedError } from '@mesos-ts/common';

export type SchedulerErrorCode =
  /** A call was made while no subscription is live (before SUBSCRIBED, during a reconnect, after stop). */
  | 'NOT_SUBSCRIBED'
  /** The master refused a call (4xx other than a leader redirect); the message carries its reason. */
  | 'CALL_REJECTED'
  /** The master could not be reached or answered 5xx / redirected a call; try again after reconnecting. */
  | 'CALL_FAILED'
  /** A master list (`h1:5050,h2:5050`) does not parse. */
  | 'INVALID_MASTER'
  /** The master ended the framework (ERROR event, or SUBSCRIBE refused with a 4xx): the client has stopped. */
  | 'FRAMEWORK_FAILED';

const RETRIABLE: ReadonlySet<SchedulerErrorCode> = new Set(['NOT_SUBSCRIBED', 'CALL_FAILED']);

export class SchedulerError extends TypedError<SchedulerErrorCode> {
  override readonly name = 'SchedulerError';
  /** HTTP status when the peer answered one. */
  readonly status: number | undefined;

  constructor(code: SchedulerErrorCode, message: string, options: { cause?: unknown; status?: number } = {}) {
    super(code, message, { cause: options.cause, retriable: RETRIABLE.has(code) });
    this.status = options.status;
  }
}

export function isSchedulerError(e: unknown, code?: SchedulerErrorCode): e is SchedulerError {
  return e instanceof SchedulerError && (code === undefined || e.code === code);
}
