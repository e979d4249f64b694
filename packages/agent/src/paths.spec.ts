import { describe, expect, it } from 'vitest';
import { PathError, WorkDir, safeSegment } from './paths.js';
import { containerPathIn, VolumeError } from './volumes.js';

describe('work_dir layout', () => {
  it('lays sandboxes, metadata and volumes out as upstream', () => {
    const w = new WorkDir('/w');
    expect(w.sandbox('a', 'f', 'e', 'c')).toBe('/w/slaves/a/frameworks/f/executors/e/runs/c');
    expect(w.taskMeta('a', 'f', 'e', 'c', 't')).toBe('/w/meta/slaves/a/frameworks/f/executors/e/runs/c/tasks/t');
    expect(w.volume('eng/db', 'v1')).toBe('/w/volumes/roles/eng/db/v1');
    expect(w.latestAgentFile()).toBe('/w/meta/slaves/latest');
  });

  it.each(['', '.', '..', 'a/b', 'x\0y', 'x'.repeat(256)])('refuses id %j as a path segment', (id) => {
    expect(() => safeSegment('task id', id)).toThrow(PathError);
  });

  it.each([
    ['data', '/sb/data', undefined],
    ['a/b', '/sb/a/b', undefined],
    ['/etc', undefined, VolumeError],
    ['../x', undefined, VolumeError],
    ['a/../../x', undefined, VolumeError],
  ])('places volume container_path %s', (p, expected, error) => {
    if (error) expect(() => containerPathIn('/sb', p)).toThrow(error);
    else expect(containerPathIn('/sb', p)).toBe(expected);
  });
});
