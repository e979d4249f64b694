// A RingService that keeps the snapshot in memory: the scheduler wraps it with persistence (it stores every
// snapshot mutate() produces before answering), and tests use it as a working fake.
import type { RingService, Snapshot } from './routes.js';

export class MemoryRingService implements RingService {
  constructor(
    private current: Snapshot,
    private readonly persist: (s: Snapshot) => Promise<void> = async () => undefined,
    private readonly clock: () => number = () => 0,
    public isSubscribed = false,
  ) {}

  snapshot(): Snapshot {
    return this.current;
  }

  async mutate<T>(change: (s: Snapshot) => { next: Snapshot; result: T }): Promise<T> {
    const { next, result } = change(this.current);
    await this.persist(next);
    this.current = next;
    return result;
  }

  subscribed(): boolean {
    return this.isSubscribed;
  }

  now(): number {
    return this.clock();
  }
}
