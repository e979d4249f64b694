// Raised when a caller asks for a message type our schema does not define (a typo, or a type
// from a package we have not written yet). Callers can branch on `code`.
export class UnknownMessageTypeError extends Error {
  readonly code = 'UNKNOWN_MESSAGE_TYPE';
  readonly retriable = false;

  constructor(readonly typeName: string) {
    super(
      `unknown protobuf message type '${typeName}': use a fully qualified name such as ` +
        `'mesos.v1.scheduler.Call' (see MessageName in @mesos-ts/proto for every defined type)`,
    );
    this.name = 'UnknownMessageTypeError';
  }
}
