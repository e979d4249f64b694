// Typed errors of the executor SDK; callers branch on `code`.
import { TypedError } from '@mesos-ts/common';

export type ExecutorErrorCode =
  /** A MESOS_* variable the agent sets is missing or malformed (the executor was not started by an agent?). */
  | 'INVALID_ENVIRONMENT'
  /** A call was made while not subscribed to the agent. */
  | 'NOT_SUBSCRIBED'
  /** The agent refused a call (4xx); the message carries its reason. */
  | 'CALL_REJECTED'
  /** The agent could not be reached or failed (5xx); the call may be retried. */
  | 'CALL_FAILED'
  /** A status update is invalid (e.g. TASK_STAGING, which only the agent may send). */
  | 'INVALID_UPDATE';

const RETRIABLE: ReadonlySet<ExecutorErrorCode> = new Set(['NOT_SUBSCRIBED', 'CALL_FAILED']);

export class ExecutorError extends TypedError<ExecutorErrorCode> {
  override readonly name = 'ExecutorError';
  /** HTTP status when the peer answered one. */
  readonly status: number | undefined;

  constructor(code: ExecutorErrorCode, message: string, options: { cause?: unknown; status?: number } = {}) {
    super(code, message, { cause: options.cause, retriable: RETRIABLE.has(code) });
    this.status = options.status;
  }
}

export function isExecutorError(e: unknown, code?: ExecutorErrorCode): e is ExecutorError {
  return e instanceof ExecutorError && (code === undefined || e.code === code);
}
