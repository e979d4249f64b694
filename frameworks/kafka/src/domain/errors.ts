// Typed errors of the Kafka framework. Callers branch on `code`; the message says what was wrong and what to do.

export type KafkaErrorCode =
  /** A parameter value does not parse (cpus, port range, duration, options). */
  | 'INVALID_PARAMETER'
  /** A broker id that does not exist. */
  | 'UNKNOWN_BROKER'
  /** `broker add` of an id that exists. */
  | 'BROKER_EXISTS'
  /** The command needs the broker stopped (remove, or running state forbids it). */
  | 'BROKER_RUNNING'
  /** `broker remove` of a broker with data on its volume, without --force. */
  | 'BROKER_HAS_DATA'
  /** A start/stop/restart did not finish within its --timeout. */
  | 'TIMEOUT'
  /** The executor or broker could not be asked (log, topics). */
  | 'UNAVAILABLE';

export class KafkaError extends Error {
  override readonly name = 'KafkaError';
  constructor(
    readonly code: KafkaErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isKafkaError(e: unknown, code?: KafkaErrorCode): e is KafkaError {
  return e instanceof KafkaError && (code === undefined || e.code === code);
}
