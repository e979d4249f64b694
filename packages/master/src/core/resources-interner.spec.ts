import { describe, expect, it } from 'vitest';
import { Resources } from '@mesos-ts/resources';
import { ResourcesInterner } from './resources-interner.js';

describe('ResourcesInterner', () => {
  it('shares equal resources and keeps different allocations apart', () => {
    const interner = new ResourcesInterner(2);
    const a = interner.intern(Resources.parse('cpus:1;mem:32').allocate('web'));
    const b = interner.intern(Resources.parse('mem:32;cpus:1').allocate('web'));
    const c = interner.intern(Resources.parse('cpus:1;mem:32').allocate('db'));
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(Object.isFrozen(a.proto)).toBe(true);
    interner.intern(Resources.parse('cpus:3;ports:[31000-31001]'));
    expect(interner.size).toBe(2);
  });
});
