import { describe, expect, it } from 'vitest';
import { CacheIndex } from './cache-index.js';

type Step =
  | { admit: string; size: number; refs?: number; expect: 'admitted' | 'refused'; evicted?: string[] }
  | { acquire: string }
  | { release: string };

function run(capacity: number, steps: Step[]): CacheIndex {
  const index = new CacheIndex(capacity);
  for (const step of steps) {
    if ('acquire' in step) index.acquire(step.acquire);
    else if ('release' in step) index.release(step.release);
    else {
      const result = index.admit(step.admit, `/c/${step.admit}`, step.size, step.refs ?? 0);
      expect(result.admitted ? 'admitted' : 'refused', `admit ${step.admit}`).toBe(step.expect);
      if (result.admitted) expect(result.evicted.map((e) => e.key), `evicted by ${step.admit}`).toEqual(step.evicted ?? []);
    }
    expect(index.totalBytes).toBeLessThanOrEqual(capacity);
  }
  return index;
}

describe('CacheIndex', () => {
  it.each<[string, number, Step[], string[]]>([
    ['fits without eviction', 300, [
      { admit: 'a', size: 100, expect: 'admitted' },
      { admit: 'b', size: 200, expect: 'admitted' },
    ], ['a', 'b']],
    ['evicts the least recently used', 250, [
      { admit: 'a', size: 100, expect: 'admitted' },
      { admit: 'b', size: 100, expect: 'admitted' },
      { admit: 'c', size: 100, expect: 'admitted', evicted: ['a'] },
    ], ['b', 'c']],
    ['a use refreshes recency', 250, [
      { admit: 'a', size: 100, expect: 'admitted' },
      { admit: 'b', size: 100, expect: 'admitted' },
      { acquire: 'a' }, { release: 'a' },
      { admit: 'c', size: 100, expect: 'admitted', evicted: ['b'] },
    ], ['a', 'c']],
    ['never evicts an entry in use', 250, [
      { admit: 'a', size: 100, refs: 1, expect: 'admitted' },
      { admit: 'b', size: 100, expect: 'admitted' },
      { admit: 'c', size: 100, expect: 'admitted', evicted: ['b'] },
    ], ['a', 'c']],
    ['refuses when only entries in use could make room', 250, [
      { admit: 'a', size: 100, refs: 1, expect: 'admitted' },
      { admit: 'b', size: 100, refs: 2, expect: 'admitted' },
      { admit: 'c', size: 100, expect: 'refused' },
    ], ['a', 'b']],
    ['evicts several to fit a big one', 300, [
      { admit: 'a', size: 100, expect: 'admitted' },
      { admit: 'b', size: 100, expect: 'admitted' },
      { admit: 'c', size: 100, expect: 'admitted' },
      { admit: 'd', size: 250, expect: 'admitted', evicted: ['a', 'b', 'c'] },
    ], ['d']],
    ['refuses an entry bigger than the cache and keeps the rest', 100, [
      { admit: 'a', size: 50, expect: 'admitted' },
      { admit: 'big', size: 101, expect: 'refused' },
    ], ['a']],
    ['released entries become evictable', 200, [
      { admit: 'a', size: 100, refs: 1, expect: 'admitted' },
      { admit: 'b', size: 100, refs: 1, expect: 'admitted' },
      { release: 'a' },
      { admit: 'c', size: 100, expect: 'admitted', evicted: ['a'] },
    ], ['b', 'c']],
  ])('%s', (_name, capacity, steps, remaining) => {
    expect(run(capacity, steps).keys().sort()).toEqual(remaining);
  });

  it('rejects releasing more than acquired and unknown keys', () => {
    const index = new CacheIndex(10);
    index.admit('a', '/c/a', 1, 0);
    expect(() => index.release('a')).toThrow(/released more often/);
    expect(() => index.acquire('nope')).toThrow(/no cache entry/);
  });
});
