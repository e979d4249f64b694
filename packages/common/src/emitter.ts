// A tiny typed event emitter: handlers per event name, errors thrown by one handler (or rejected promises it
// returns) reported to `onHandlerError` and never break delivery to the others or the client's stream.

export type Handler<A extends unknown[]> = (...args: A) => unknown;

export class TypedEmitter<Events extends { [K in keyof Events]: unknown[] }> {
  private readonly handlers = new Map<keyof Events, Set<Handler<never[]>>>();

  constructor(private readonly onHandlerError: (event: string, error: unknown) => void) {}

  /** Adds a handler; returns a function that removes it. */
  on<K extends keyof Events>(event: K, handler: Handler<Events[K]>): () => void {
    let set = this.handlers.get(event);
    if (set === undefined) this.handlers.set(event, (set = new Set()));
    set.add(handler as Handler<never[]>);
    return () => set.delete(handler as Handler<never[]>);
  }

  /** Calls every handler; resolves when the promises they returned settle (never rejects). */
  emit<K extends keyof Events>(event: K, ...args: Events[K]): Promise<void> {
    const pending: Promise<unknown>[] = [];
    for (const handler of [...(this.handlers.get(event) ?? [])]) {
      try {
        const result = (handler as Handler<Events[K]>)(...args);
        if (result instanceof Promise) pending.push(result.catch((e: unknown) => this.onHandlerError(String(event), e)));
      } catch (e) {
        this.onHandlerError(String(event), e);
      }
    }
    return Promise.all(pending).then(() => undefined);
  }
}
