// Hierarchical roles ("eng/frontend") and their DRF order. Each tree level is sorted by the subtree's dominant
// share divided by the node's weight; a role that has frameworks and also children competes at its level through
// a virtual leaf holding only its own allocation (upstream's "." leaf). The leaf order is a depth-first walk.
// Re-sorting is lazy: any allocation change marks the tree dirty; roles are few, so a dirty re-sort is cheap.

import { isAncestorRole, validateRole as validateRoleName } from '@mesos-ts/resources';
import { AllocatorError } from './types.js';
import type { ScalarVector } from './scalar-vector.js';
import { addInto, subtractInto } from './scalar-vector.js';
import type { DrfClient, ShareContext } from './drf-sorter.js';
import { compareClients, dominantShare } from './drf-sorter.js';

/** Throws AllocatorError INVALID_ROLE unless `role` is a valid Mesos role name (rules of @mesos-ts/resources). */
export function validateRole(role: string): void {
  try {
    validateRoleName(role);
  } catch (e) {
    throw new AllocatorError('INVALID_ROLE', (e as Error).message);
  }
}

/** 'a/b/c' → ['a', 'a/b'] (proper ancestors, root first). */
export function ancestorsOf(role: string): string[] {
  const out: string[] = [];
  let at = role.indexOf('/');
  while (at >= 0) {
    out.push(role.slice(0, at));
    at = role.indexOf('/', at + 1);
  }
  return out;
}

/** True when `ancestor` is `role` itself or one of its ancestors. */
export function isSelfOrAncestor(ancestor: string, role: string): boolean {
  return role === ancestor || isAncestorRole(ancestor, role);
}

/** A client at some level of the tree: a role's virtual leaf or a child's whole subtree. */
interface LevelClient extends DrfClient {
  readonly node: RoleNode;
  /** True for the node's own virtual leaf, false for its subtree as seen from its parent's level. */
  readonly leaf: boolean;
}

class RoleNode {
  readonly children = new Map<string, RoleNode>();
  /** Allocation of the whole subtree (milli-units). */
  readonly subtree: ScalarVector = [];
  /** This role's own allocation, as its virtual leaf. */
  readonly own: LevelClient;
  /** This node's subtree as a client at its parent's level (alloc is `subtree` itself). */
  readonly branch: LevelClient;
  /**
   * Clients of this node's level in last walk's order: its own leaf (when tracked) and its children's branches.
   * Kept between walks (the tree is re-sorted after every allocation, once per agent in a run) and rebuilt only
   * when the tree's shape changes; each walk refreshes the shares and re-sorts the nearly sorted buffer.
   */
  readonly level: LevelClient[] = [];
  subtreeCount = 0;
  /** Number of reasons this role is tracked (frameworks subscribed); 0 and nothing allocated → removed. */
  refs = 0;

  constructor(
    readonly path: string,
    /** undefined for the root only. */
    readonly parent: RoleNode | undefined,
  ) {
    this.own = { name: path, alloc: [], count: 0, share: 0, weight: 1, active: true, node: this, leaf: true };
    this.branch = { name: path, alloc: this.subtree, count: 0, share: 0, weight: 1, active: true, node: this, leaf: false };
  }
}

/** Sorts a level in place: insertion sort for small, nearly sorted levels, the built-in sort otherwise. */
function sortLevel(level: LevelClient[]): void {
  if (level.length > 32) {
    level.sort(compareClients);
    return;
  }
  for (let i = 1; i < level.length; i++) {
    const x = level[i] as LevelClient;
    let j = i - 1;
    while (j >= 0 && compareClients(level[j] as LevelClient, x) > 0) {
      level[j + 1] = level[j] as LevelClient;
      j--;
    }
    level[j + 1] = x;
  }
}

export class RoleTree {
  private readonly root = new RoleNode('', undefined);
  private readonly nodes = new Map<string, RoleNode>();
  private readonly order: string[] = [];
  private dirty = true;
  /** Nodes or tracked flags changed since the last walk: the level buffers must be rebuilt. */
  private reshape = true;
  /** Weights may have changed (invalidate() is called on every weight update) or nodes are new. */
  private reweigh = true;

  constructor(
    private readonly ctx: ShareContext,
    private readonly weightOf: (role: string) => number,
  ) {}

  /** Starts tracking `role` (one more framework in it). */
  track(role: string): void {
    this.node(role, true).refs++;
    this.dirty = true;
    this.reshape = true;
  }

  /** One framework fewer in `role`; drops nodes with no frameworks and no allocation. */
  untrack(role: string): void {
    const node = this.nodes.get(role);
    if (!node) return;
    node.refs--;
    this.prune(role);
    this.dirty = true;
    this.reshape = true;
  }

  has(role: string): boolean {
    return this.nodes.has(role);
  }

  allocated(role: string, vec: ScalarVector): void {
    const node = this.node(role, true);
    addInto(node.own.alloc, vec);
    node.own.count++;
    for (let p: RoleNode | undefined = node; p !== this.root && p !== undefined; p = p.parent) {
      addInto(p.subtree, vec);
      p.subtreeCount++;
    }
    this.dirty = true;
  }

  unallocated(role: string, vec: ScalarVector): void {
    const node = this.nodes.get(role);
    if (!node) return;
    subtractInto(node.own.alloc, vec);
    // A node's ancestors always exist (created with it, pruned only after it).
    for (let p: RoleNode | undefined = node; p !== this.root && p !== undefined; p = p.parent) subtractInto(p.subtree, vec);
    this.prune(role);
    this.dirty = true;
  }

  /** Own allocation of a role (milli-units), or an empty vector. */
  allocation(role: string): ScalarVector {
    return this.nodes.get(role)?.own.alloc ?? [];
  }

  /** Subtree allocation of a role, including its descendants. */
  subtreeAllocation(role: string): ScalarVector {
    return this.nodes.get(role)?.subtree ?? [];
  }

  /** Totals or weights changed: every share (and weight) must be recomputed. */
  invalidate(): void {
    this.dirty = true;
    this.reweigh = true;
  }

  /**
   * Tracked roles in hierarchical DRF order. The array is reused (this runs once per agent in a run): do not
   * keep it across mutations.
   */
  sorted(): readonly string[] {
    if (!this.dirty) return this.order;
    this.dirty = false;
    this.order.length = 0;
    this.walk(this.root);
    this.reshape = false;
    this.reweigh = false;
    return this.order;
  }

  private walk(node: RoleNode): void {
    const level = node.level;
    if (this.reshape) {
      level.length = 0;
      if (node !== this.root && node.refs > 0) level.push(node.own);
      for (const child of node.children.values()) level.push(child.branch);
    }
    for (const client of level) {
      if (this.reshape || this.reweigh) client.weight = this.weightOf(client.name);
      if (!client.leaf) client.count = client.node.subtreeCount;
      client.share = dominantShare(client.alloc, this.ctx, client.weight);
    }
    // Names are unique at a level (a leaf is named after its node, branches after the children), so the order
    // is total and does not depend on the buffer's previous order.
    sortLevel(level);
    for (const client of level) {
      if (client.leaf) this.order.push(client.name);
      else this.walk(client.node);
    }
  }

  private node(role: string, create: boolean): RoleNode {
    const existing = this.nodes.get(role);
    if (existing || !create) return existing as RoleNode;
    let parent = this.root;
    for (const path of [...ancestorsOf(role), role]) {
      let n = this.nodes.get(path);
      if (!n) {
        n = new RoleNode(path, parent);
        this.nodes.set(path, n);
        parent.children.set(path, n);
        this.reshape = true;
      }
      parent = n;
    }
    return parent;
  }

  /** Removes `role` and then its ancestors while they hold nothing. */
  private prune(role: string): void {
    for (let node = this.nodes.get(role); node !== undefined && node !== this.root; node = node.parent) {
      if (node.refs > 0 || node.children.size > 0 || node.subtree.some((v) => v !== 0)) return;
      this.nodes.delete(node.path);
      node.parent?.children.delete(node.path);
      this.reshape = true;
    }
  }
}
