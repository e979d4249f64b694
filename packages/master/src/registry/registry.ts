// The master's view of its registry: an in-memory document plus group commit. Every change is applied to the
// document at once; saves are serialized, and all changes made while a save is in flight go out together in
// the next one, so 1000 agents registering cost a handful of writes, not 1000. A caller's promise resolves
// when a save containing its change has completed (that is when the master may answer).
import { MasterError, isMasterError } from '../core/errors.js';
import type { RegistryDocument, RegistryStore } from './registry-store.js';
import { emptyRegistry } from './registry-store.js';

export class Registry {
  private doc: RegistryDocument = emptyRegistry();
  private inflight: Promise<void> = Promise.resolve();
  private next: Promise<void> | undefined;
  /** Completed saves (for metrics and tests). */
  saves = 0;

  constructor(private readonly store: RegistryStore) {}

  async recover(): Promise<RegistryDocument> {
    this.doc = await this.store.load();
    return structuredClone(this.doc);
  }

  get document(): Readonly<RegistryDocument> {
    return this.doc;
  }

  /** Applies `change` to the document now and resolves once it is durable. */
  mutate(change: (doc: RegistryDocument) => void): Promise<void> {
    change(this.doc);
    if (this.next) return this.next;
    const next = (async () => {
      await this.inflight.catch(() => undefined);
      // Let the rest of this event-loop turn's requests change the document too: with a store that saves at
      // once (in_memory) every registration would otherwise copy the whole registry (1000 agents: 5 s of CPU).
      await new Promise<void>((resolve) => setImmediate(resolve));
      // From here on, new changes need another save.
      this.next = undefined;
      // Stores capture the document synchronously (RegistryStore contract), so no copy is needed here.
      this.inflight = this.store.save(this.doc);
      try {
        await this.inflight;
      } catch (e) {
        if (isMasterError(e)) throw e;
        throw new MasterError('REGISTRY_FAILED', `cannot store the registry: ${(e as Error).message}; retry shortly (check the disk under --work_dir)`, { cause: e });
      }
      this.saves++;
    })();
    this.next = next;
    return next;
  }
}
