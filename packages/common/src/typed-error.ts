// The base of every package's typed errors: callers branch on `code` (a string union per package) and
// `retriable` says whether the same call may succeed later. Subclasses name themselves and their codes.

export abstract class TypedError<Code extends string> extends Error {
  readonly code: Code;
  readonly retriable: boolean;

  protected constructor(code: Code, message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}
