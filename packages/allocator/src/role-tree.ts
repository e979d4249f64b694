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

interface RoleNode {
  readonly path: string;
  readonly children: Map<string, RoleNode>;
  /** Allocation of the whole subtree (milli-units). */
  readonly subtree: ScalarVector;
  /** This role's own allocation, as its virtual leaf. */
  readonly own: DrfClient;
  subtreeCount: number;
  /** Number of reasons this role is tracked (frameworks subscribed); 0 and nothing allocated → removed. */
  refs: number;
}

export class RoleTree {
  private readonly root: RoleNode = newNode('');
  private readonly nodes = new Map<string, RoleNode>();
  private order: string[] = [];
  private dirty = true;

  constructor(
    private readonly ctx: ShareContext,
    private readonly weightOf: (role: string) => number,
  ) {}

  /** Starts tracking `role` (one more framework in it). */
  track(role: string): void {
    this.node(role, true).refs++;
    this.dirty = true;
  }

  /** One framework fewer in `role`; drops nodes with no frameworks and no allocation. */
  untrack(role: string): void {
    const node = this.nodes.get(role);
    if (!node) return;
    node.refs--;
    this.prune(role);
    this.dirty = true;
  }

  has(role: string): boolean {
    return this.nodes.has(role);
  }

  allocated(role: string, vec: ScalarVector): void {
    const node = this.node(role, true);
    addInto(node.own.alloc, vec);
    node.own.count++;
    for (const p of this.pathOf(role)) {
      addInto(p.subtree, vec);
      p.subtreeCount++;
    }
    this.dirty = true;
  }

  unallocated(role: string, vec: ScalarVector): void {
    const node = this.nodes.get(role);
    if (!node) return;
    subtractInto(node.own.alloc, vec);
    for (const p of this.pathOf(role)) subtractInto(p.subtree, vec);
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

  invalidate(): void {
    this.dirty = true;
  }

  /** Tracked roles in hierarchical DRF order. */
  sorted(): readonly string[] {
    if (!this.dirty) return this.order;
    this.dirty = false;
    this.order = [];
    this.walk(this.root);
    return this.order;
  }

  private walk(node: RoleNode): void {
    const entries: { client: DrfClient; child?: RoleNode }[] = [];
    if (node !== this.root && node.refs > 0) {
      node.own.weight = this.weightOf(node.path);
      node.own.share = dominantShare(node.own.alloc, this.ctx, node.own.weight);
      entries.push({ client: node.own });
    }
    for (const child of node.children.values()) {
      const weight = this.weightOf(child.path);
      const client: DrfClient = {
        name: child.path,
        alloc: child.subtree,
        count: child.subtreeCount,
        share: dominantShare(child.subtree, this.ctx, weight),
        weight,
        active: true,
      };
      entries.push({ client, child });
    }
    entries.sort((a, b) => compareClients(a.client, b.client));
    for (const e of entries) {
      if (e.child) this.walk(e.child);
      else this.order.push(node.path);
    }
  }

  private node(role: string, create: boolean): RoleNode {
    const existing = this.nodes.get(role);
    if (existing || !create) return existing as RoleNode;
    let parent = this.root;
    for (const path of [...ancestorsOf(role), role]) {
      let n = this.nodes.get(path);
      if (!n) {
        n = newNode(path);
        this.nodes.set(path, n);
        parent.children.set(path, n);
      }
      parent = n;
    }
    return parent;
  }

  private pathOf(role: string): RoleNode[] {
    const out: RoleNode[] = [];
    for (const path of [...ancestorsOf(role), role]) {
      const n = this.nodes.get(path);
      if (n) out.push(n);
    }
    return out;
  }

  /** Removes `role` and then its ancestors while they hold nothing. */
  private prune(role: string): void {
    const chain = [...ancestorsOf(role), role];
    for (let i = chain.length - 1; i >= 0; i--) {
      const node = this.nodes.get(chain[i] as string);
      if (!node || node.refs > 0 || node.children.size > 0 || node.subtree.some((v) => v !== 0)) return;
      this.nodes.delete(node.path);
      const parent = i === 0 ? this.root : this.nodes.get(chain[i - 1] as string);
      parent?.children.delete(node.path);
    }
  }
}

function newNode(path: string): RoleNode {
  return {
    path,
    children: new Map(),
    subtree: [],
    own: { name: path, alloc: [], count: 0, share: 0, weight: 1, active: true },
    subtreeCount: 0,
    refs: 0,
  };
}
