import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { createVolumesProblem, persistentVolumeProblem } from './volume-validation.js';

const volume = (id: string, containerPath: string | undefined, extra: Partial<v1.Volume> = {}): v1.Resource => ({
  name: 'disk',
  type: 'SCALAR',
  scalar: { value: 10 },
  disk: { persistence: { id }, ...(containerPath === undefined ? {} : { volume: { container_path: containerPath, mode: 'RW', ...extra } }) },
});

describe('persistentVolumeProblem', () => {
  it.each<[string, v1.Resource, string | null]>([
    ['plain', volume('v1', 'data'), null],
    ['nested relative path', volume('v1', 'a/b/c'), null],
    ['id with a slash', volume('../../etc', 'data'), "must not contain '/'"],
    ['id ..', volume('..', 'data'), "nor be '.' or '..'"],
    ['id with NUL', volume('a\u0000b', 'data'), 'control characters'],
    ['id 256 bytes', volume('x'.repeat(256), 'data'), 'at most 255 bytes'],
    ['empty id', volume('', 'data'), 'must not be empty'],
    ['no volume', volume('v1', undefined), "Expecting 'volume'"],
    ['host_path set', volume('v1', 'data', { host_path: '/etc' }), "'host_path' to be unset"],
    ['absolute container path', volume('v1', '/etc'), 'is absolute'],
    ['.. in container path', volume('v1', 'data/../../..'), "must not contain '..'"],
    ['NUL in container path', volume('v1', 'da\u0000ta'), 'control characters'],
    ['5 MiB container path', volume('v1', 'd'.repeat(5 * 1024 * 1024)), 'longer than 4096'],
    ['not a volume', { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }, 'not a persistent volume'],
  ])('%s', (_n, r, want) => {
    const p = persistentVolumeProblem(r);
    if (want === null) expect(p).toBeNull();
    else {
      expect(p).toContain(want);
      expect(p!.length).toBeLessThan(400);
    }
  });

  it('CREATE needs at least one volume and reports the first bad one', () => {
    expect(createVolumesProblem([])).toContain('at least one');
    expect(createVolumesProblem([volume('ok', 'data'), volume('bad/id', 'data')])).toContain('bad/id');
    expect(createVolumesProblem([volume('ok', 'data')])).toBeNull();
  });
});
