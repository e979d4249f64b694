// One sample message of the corpus, typed by its fully qualified proto name.
import type { MessageName, MessageTypes } from '../index.js';

export interface CorpusEntry {
  /** Fully qualified proto name, e.g. `mesos.v1.scheduler.Call`. */
  readonly name: MessageName;
  /** Human label, e.g. `scheduler.Call SUBSCRIBE`; unique within the corpus. */
  readonly label: string;
  /** The message in its TypeScript (Mesos JSON-shaped) form. */
  readonly message: unknown;
}

/** Builds a corpus entry whose message is type-checked against `name`. */
export function sample<N extends MessageName>(name: N, label: string, message: MessageTypes[N]): CorpusEntry {
  return { name, label, message };
}
