// Dominant Resource Fairness sorter over scalar vectors (milli-units). Used flat for the frameworks of one role;
// the role tree (role-tree.ts) reuses the share and ordering rules per tree level.
//
// Order: dominant share ascending, then allocation count ascending, then name. The count is the number of times
// a client has been allocated to (never decremented), so clients tied at the same share take turns.
//
// Incremental: an allocation change recomputes one client's share and queues it; sorted() repositions only the
// queued clients (binary insertion). A change of cluster totals invalidates everything (one full sort).

import type { ScalarVector } from './scalar-vector.js';
import { addInto, subtractInto } from './scalar-vector.js';

/** What shares are computed against: cluster totals and the kinds excluded from fair sharing. */
export interface ShareContext {
  /** Cluster-wide total per kind (milli-units). */
  readonly total: ScalarVector;
  /** excluded[i] === true → kind i is ignored (--fair_sharing_excluded_resource_names). */
  readonly excluded: boolean[];
}

/** Dominant share: max over non-excluded kinds of allocated/total, divided by the weight. */
export function dominantShare(alloc: ScalarVector, ctx: ShareContext, weight: number): number {
  let share = 0;
  for (let i = 0; i < alloc.length; i++) {
    const total = ctx.total[i] ?? 0;
    if (total <= 0 || ctx.excluded[i] === true) continue;
    const s = (alloc[i] as number) / total;
    if (s > share) share = s;
  }
  return share / weight;
}

export interface DrfClient {
  readonly name: string;
  readonly alloc: ScalarVector;
  /** Times this client was allocated to (never decremented). */
  count: number;
  share: number;
  weight: number;
  /** Inactive clients (deactivated or suppressed) keep their allocation but are skipped by allocation. */
  active: boolean;
}

export function compareClients(a: DrfClient, b: DrfClient): number {
  if (a.share !== b.share) return a.share - b.share;
  if (a.count !== b.count) return a.count - b.count;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export class DrfSorter {
  private readonly clients = new Map<string, DrfClient>();
  private order: DrfClient[] = [];
  private readonly pending = new Set<DrfClient>();
  private fullSortNeeded = false;

  constructor(private readonly ctx: ShareContext) {}

  add(name: string, weight = 1): DrfClient {
    const existing = this.clients.get(name);
    if (existing) return existing;
    const client: DrfClient = { name, alloc: [], count: 0, share: 0, weight, active: true };
    this.clients.set(name, client);
    this.pending.add(client);
    return client;
  }

  remove(name: string): void {
    const client = this.clients.get(name);
    if (!client) return;
    this.clients.delete(name);
    this.pending.delete(client);
    const at = this.order.indexOf(client);
    if (at >= 0) this.order.splice(at, 1);
  }

  get(name: string): DrfClient | undefined {
    return this.clients.get(name);
  }

  get size(): number {
    return this.clients.size;
  }

  setActive(name: string, active: boolean): void {
    const client = this.clients.get(name);
    if (client) client.active = active;
  }

  hasActive(): boolean {
    for (const c of this.clients.values()) if (c.active) return true;
    return false;
  }

  allocated(name: string, vec: ScalarVector): void {
    const client = this.clients.get(name);
    if (!client) return;
    addInto(client.alloc, vec);
    client.count++;
    this.touch(client);
  }

  unallocated(name: string, vec: ScalarVector): void {
    const client = this.clients.get(name);
    if (!client) return;
    subtractInto(client.alloc, vec);
    this.touch(client);
  }

  /** Totals or weights changed: every share must be recomputed. */
  invalidate(): void {
    this.fullSortNeeded = true;
  }

  /** All clients (active or not) in DRF order. The array is reused; do not keep it across mutations. */
  sorted(): readonly DrfClient[] {
    if (this.fullSortNeeded) {
      this.fullSortNeeded = false;
      this.pending.clear();
      this.order = [...this.clients.values()];
      for (const c of this.order) c.share = dominantShare(c.alloc, this.ctx, c.weight);
      this.order.sort(compareClients);
      return this.order;
    }
    if (this.pending.size === 1) {
      // The common case (one allocation since the last sort): slide that client to its place, no splices
      // (each splice allocates an array, and this runs once per allocation).
      for (const client of this.pending) this.reposition(client);
      this.pending.clear();
      return this.order;
    }
    // Take every queued client out first so the rest stays sorted for the binary insertions.
    for (const client of this.pending) {
      const at = this.order.indexOf(client);
      if (at >= 0) this.order.splice(at, 1);
    }
    for (const client of this.pending) {
      client.share = dominantShare(client.alloc, this.ctx, client.weight);
      this.order.splice(this.insertionPoint(client), 0, client);
    }
    this.pending.clear();
    return this.order;
  }

  /** Moves one client whose share changed to its place among the others (which are in order). */
  private reposition(client: DrfClient): void {
    const order = this.order;
    client.share = dominantShare(client.alloc, this.ctx, client.weight);
    let at = order.indexOf(client);
    if (at < 0) {
      order.splice(this.insertionPoint(client), 0, client); // a new client
      return;
    }
    // Binary-search its place among the others, shift those it passes by one slot, drop it into the gap.
    if (at + 1 < order.length && compareClients(order[at + 1] as DrfClient, client) < 0) {
      let lo = at + 1;
      let hi = order.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compareClients(order[mid] as DrfClient, client) < 0) lo = mid + 1;
        else hi = mid;
      }
      for (let i = at; i < lo - 1; i++) order[i] = order[i + 1] as DrfClient;
      order[lo - 1] = client;
    } else if (at > 0 && compareClients(order[at - 1] as DrfClient, client) > 0) {
      let lo = 0;
      let hi = at;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compareClients(order[mid] as DrfClient, client) <= 0) lo = mid + 1;
        else hi = mid;
      }
      for (let i = at; i > lo; i--) order[i] = order[i - 1] as DrfClient;
      order[lo] = client;
    }
  }

  private touch(client: DrfClient): void {
    if (!this.fullSortNeeded) this.pending.add(client);
  }

  private insertionPoint(client: DrfClient): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareClients(this.order[mid] as DrfClient, client) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
