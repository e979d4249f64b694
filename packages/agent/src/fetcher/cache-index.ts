// Pure bookkeeping of the fetcher cache: which entries exist, their sizes in bytes, who is using
// them (reference counts) and which were used least recently. Decides admission and eviction;
// the FetcherCache applies the decisions to files.
//
// Invariants: totalBytes <= capacityBytes at all times; an entry with refs > 0 is never evicted.

export interface IndexEntry {
  readonly key: string;
  /** Where the cached file lives (opaque to the index). */
  readonly path: string;
  readonly sizeBytes: number;
  refs: number;
  /** Logical time of the last acquire; smaller means used longer ago. */
  lastUse: number;
}

export type Admission = { admitted: true; evicted: IndexEntry[] } | { admitted: false };

export class CacheIndex {
  private readonly entries = new Map<string, IndexEntry>();
  private tick = 0;
  private total = 0;

  constructor(readonly capacityBytes: number) {}

  get totalBytes(): number {
    return this.total;
  }

  get(key: string): IndexEntry | undefined {
    return this.entries.get(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** Marks the entry in use (and most recently used). */
  acquire(key: string): IndexEntry {
    const entry = this.mustGet(key);
    entry.refs++;
    entry.lastUse = ++this.tick;
    return entry;
  }

  release(key: string): void {
    const entry = this.mustGet(key);
    if (entry.refs <= 0) throw new Error(`cache entry ${key} released more often than acquired`);
    entry.refs--;
  }

  /**
   * Tries to add a new entry of `sizeBytes` held by `refs` users. Admits it when evicting unused
   * entries (least recently used first) makes room; otherwise nothing changes and the caller keeps
   * the file outside the cache (an entry bigger than the cache, or a cache full of entries in use).
   */
  admit(key: string, path: string, sizeBytes: number, refs: number): Admission {
    if (this.entries.has(key)) throw new Error(`cache entry ${key} admitted twice`);
    const unused = [...this.entries.values()].filter((e) => e.refs === 0).sort((a, b) => a.lastUse - b.lastUse);
    const freeable = unused.reduce((sum, e) => sum + e.sizeBytes, 0);
    if (this.total - freeable + sizeBytes > this.capacityBytes) return { admitted: false };
    const evicted: IndexEntry[] = [];
    for (const entry of unused) {
      if (this.total + sizeBytes <= this.capacityBytes) break;
      this.entries.delete(entry.key);
      this.total -= entry.sizeBytes;
      evicted.push(entry);
    }
    this.entries.set(key, { key, path, sizeBytes, refs, lastUse: ++this.tick });
    this.total += sizeBytes;
    return { admitted: true, evicted };
  }

  private mustGet(key: string): IndexEntry {
    const entry = this.entries.get(key);
    if (entry === undefined) throw new Error(`no cache entry ${key}`);
    return entry;
  }
}
