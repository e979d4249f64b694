// Typed errors for everything that can go wrong on the wire. Callers branch on `code`, never on the message;
// `retriable` says whether trying again later (same request, maybe another master) can succeed.
import { TypedError } from '@mesos-ts/common';

export type WireErrorCode =
  /** RecordIO framing is broken: non-digit length, zero length, length over the limit, truncated record. */
  | 'MALFORMED_RECORDIO'
  /** The body is not valid JSON text. */
  | 'INVALID_JSON'
  /** The body is not a valid protobuf encoding of the expected message. */
  | 'INVALID_PROTOBUF'
  /** Well-formed JSON/protobuf, but not a valid message: missing required field, bad enum name, wrong type. */
  | 'INVALID_MESSAGE'
  /** A Content-Type this library cannot encode or decode. */
  | 'UNSUPPORTED_MEDIA_TYPE'
  /** A Mesos duration string (`5secs`) could not be parsed or is out of range. */
  | 'INVALID_DURATION'
  /** TCP connection could not be established (refused, DNS failure, unreachable). */
  | 'UNREACHABLE'
  /** The connection broke after it was established (reset, closed mid-response). */
  | 'CONNECTION_LOST'
  /** The peer answered with an HTTP status we do not treat as success. */
  | 'HTTP_STATUS'
  /** The caller aborted the request through its AbortSignal. */
  | 'ABORTED';

const RETRIABLE: ReadonlySet<WireErrorCode> = new Set(['UNREACHABLE', 'CONNECTION_LOST']);

export interface WireErrorOptions {
  cause?: unknown;
  /** HTTP status for `HTTP_STATUS` errors. */
  status?: number;
  /** Overrides the default retriability of the code (e.g. HTTP 503 is retriable, 400 is not). */
  retriable?: boolean;
}

export class WireError extends TypedError<WireErrorCode> {
  override readonly name = 'WireError';
  /** HTTP status when the peer answered one. */
  readonly status: number | undefined;

  constructor(code: WireErrorCode, message: string, options: WireErrorOptions = {}) {
    super(code, message, { cause: options.cause, retriable: options.retriable ?? RETRIABLE.has(code) });
    this.status = options.status;
  }
}

export function isWireError(e: unknown, code?: WireErrorCode): e is WireError {
  return e instanceof WireError && (code === undefined || e.code === code);
}
