import { describe, it, expect } from 'vitest';
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
});
