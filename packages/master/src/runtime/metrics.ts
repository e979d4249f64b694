// Event counters of the master under upstream's metric names (e.g. `master/tasks_finished`,
// `master/messages_status_update`); gauges are computed from the books when a snapshot is taken.

export class MasterMetrics {
  private readonly counters = new Map<string, number>();

  inc(name: string, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  get(name: string): number {
    return this.counters.get(name) ?? 0;
  }

  entries(): IterableIterator<[string, number]> {
    return this.counters.entries();
  }
}
