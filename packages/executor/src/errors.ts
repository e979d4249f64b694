// Typed errors of the executor SDK; callers branch on `code`.

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

export class ExecutorError extends Error {
  override readonly name = 'ExecutorError';
  readonly code: ExecutorErrorCode;
  readonly retriable: boolean;
  readonly status: number | undefined;

  constructor(code: ExecutorErrorCode, message: string, options: { cause?: unknown; status?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retriable = RETRIABLE.has(code);
    this.status = options.status;
  }
}

export function isExecutorError(e: unknown, code?: ExecutorErrorCode): e is ExecutorError {
  return e instanceof ExecutorError && (code === undefined || e.code === code);
}
