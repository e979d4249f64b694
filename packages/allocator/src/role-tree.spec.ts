import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { RoleTree, ancestorsOf, isSelfOrAncestor, validateRole } from './role-tree.js';
import { AllocatorError } from './types.js';

describe('role names', () => {
  it.each(['*', 'web', 'eng/frontend', 'a/b/c', 'a.b'])('accepts %s', (role) => {
    expect(() => validateRole(role)).not.toThrow();
  });
  it.each(['', 'a b', '/a', 'a/', 'a//b', '.', 'a/..', '-x', 'a/*'])('rejects %j', (role) => {
    expect(() => validateRole(role)).toThrow(AllocatorError);
  });
  it('computes ancestors', () => {
    expect(ancestorsOf('a/b/c')).toEqual(['a', 'a/b']);
    expect(ancestorsOf('a')).toEqual([]);
    expect(isSelfOrAncestor('a', 'a/b')).toBe(true);
    expect(isSelfOrAncestor('a', 'ab')).toBe(false);
    expect(isSelfOrAncestor('a/b', 'a/b')).toBe(true);
  });
});

describe('RoleTree', () => {
  const make = (weights: Record<string, number> = {}) =>
    new RoleTree({ total: [10000], excluded: [] }, (r) => weights[r] ?? 1);

  it('sorts siblings by subtree share, depth first', () => {
    const t = make();
    for (const r of ['eng/frontend', 'eng/backend', 'ops']) t.track(r);
    expect(t.sorted()).toEqual(['eng/backend', 'eng/frontend', 'ops']);
    t.allocated('eng/backend', [1000]); // eng subtree 0.1 > ops 0
    expect(t.sorted()).toEqual(['ops', 'eng/frontend', 'eng/backend']);
  });

  it('divides by the node weight at each level', () => {
    const t = make({ eng: 4 });
    t.track('eng/a');
    t.track('ops');
    t.allocated('eng/a', [3000]); // eng share 0.3/4 = 0.075
    t.allocated('ops', [1000]); // ops share 0.1
    expect(t.sorted()).toEqual(['eng/a', 'ops']);
  });

  it('lets a role with children compete through its own virtual leaf', () => {
    const t = make();
    t.track('eng');
    t.track('eng/a');
    t.allocated('eng/a', [2000]);
    expect(t.sorted()).toEqual(['eng', 'eng/a']);
    t.allocated('eng', [3000]);
    expect(t.sorted()).toEqual(['eng/a', 'eng']);
    expect(t.subtreeAllocation('eng')).toEqual([5000]);
  });

  it('breaks share ties by allocation count, for leaves and whole subtrees, across repeated sorts', () => {
    const t = make();
    for (const r of ['a', 'e', 'x/a', 'y/b']) t.track(r);
    expect(t.sorted()).toEqual(['a', 'e', 'x/a', 'y/b']);
    t.allocated('a', [500]);
    t.allocated('a', [500]);
    t.allocated('e', [1000]);
    t.allocated('x/a', [500]);
    t.allocated('x/a', [500]);
    t.allocated('y/b', [1000]);
    // Every share is 0.1; 'e' and 'y' were allocated to once, 'a' and 'x' twice.
    expect(t.sorted()).toEqual(['e', 'y/b', 'a', 'x/a']);
  });

  it('forgets a role once it has no frameworks and no allocation', () => {
    const t = make();
    t.track('a/b');
    t.allocated('a/b', [1000]);
    t.untrack('a/b');
    expect(t.has('a/b')).toBe(true);
    t.unallocated('a/b', [1000]);
    expect(t.has('a/b')).toBe(false);
    expect(t.has('a')).toBe(false);
    expect(t.sorted()).toEqual([]);
  });

  it('sorting after every change (reused level buffers) equals a fresh tree replaying the same changes (property)', () => {
    const ROLES = ['a', 'a/b', 'a/c', 'a/b/d', 'e', 'f/g'];
    type Op =
      | { kind: 'track' | 'untrack'; role: string }
      | { kind: 'allocated' | 'unallocated'; role: string; amount: number }
      | { kind: 'weight'; role: string; weight: number }
      | { kind: 'total'; amount: number };
    const role = fc.constantFrom(...ROLES);
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constantFrom('track' as const, 'untrack' as const), role }),
      fc.record({ kind: fc.constantFrom('allocated' as const, 'unallocated' as const), role, amount: fc.integer({ min: 1, max: 3 }).map((n) => n * 500) }),
      fc.record({ kind: fc.constant('weight' as const), role, weight: fc.constantFrom(0.5, 1, 2, 3) }),
      fc.record({ kind: fc.constant('total' as const), amount: fc.integer({ min: 1, max: 4 }).map((n) => n * 10_000) }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 5, maxLength: 60, size: 'max' }), (ops) => {
        const build = () => {
          const weights = new Map<string, number>();
          const ctx = { total: [20_000], excluded: [] };
          return { weights, ctx, tree: new RoleTree(ctx, (r) => weights.get(r) ?? 1) };
        };
        const apply = ({ weights, ctx, tree }: ReturnType<typeof build>, o: Op): void => {
          if (o.kind === 'track') tree.track(o.role);
          else if (o.kind === 'untrack') tree.untrack(o.role);
          else if (o.kind === 'allocated') tree.allocated(o.role, [o.amount]);
          else if (o.kind === 'unallocated') tree.unallocated(o.role, [o.amount]);
          else if (o.kind === 'weight') {
            weights.set(o.role, o.weight);
            tree.invalidate();
          } else if (o.kind === 'total') {
            ctx.total[0] = o.amount;
            tree.invalidate();
          }
        };
        const live = build();
        const applied: Op[] = [];
        // Mirrors the book: untrack only tracked roles, release only what was allocated.
        const refs = new Map<string, number>();
        const held = new Map<string, number>();
        for (const o of ops) {
          if (o.kind === 'untrack' && (refs.get(o.role) ?? 0) === 0) continue;
          if (o.kind === 'unallocated' && (held.get(o.role) ?? 0) < o.amount) continue;
          if (o.kind === 'track' || o.kind === 'untrack') refs.set(o.role, (refs.get(o.role) ?? 0) + (o.kind === 'track' ? 1 : -1));
          if (o.kind === 'allocated' || o.kind === 'unallocated') held.set(o.role, (held.get(o.role) ?? 0) + (o.kind === 'allocated' ? o.amount : -o.amount));
          apply(live, o);
          applied.push(o);
          const fresh = build();
          for (const x of applied) apply(fresh, x);
          expect(live.tree.sorted()).toEqual(fresh.tree.sorted());
        }
      }),
      { numRuns: 300 },
    );
  });
});
