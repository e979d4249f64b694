import { describe, expect, it } from 'vitest';
import { CliError } from './errors.js';
import { lookupPath, parsePath } from './path-lookup.js';

const DOC = { frameworks: [{ name: 'web', tasks: [] }], flags: { 'a.b': 'dotted', work_dir: '/w' }, n: 0 };

describe('path lookup', () => {
  it.each([
    ['frameworks.0.name', ['frameworks', '0', 'name']],
    ['frameworks[0].name', ['frameworks', '0', 'name']],
    ['flags["a.b"]', ['flags', 'a.b']],
    ['n', ['n']],
  ])('parses %s', (path, segments) => expect(parsePath(path)).toEqual(segments));

  it.each(['', '.a', 'a.', 'a..b', 'a[x]'])('refuses %j', (path) => expect(() => parsePath(path)).toThrow(CliError));

  it.each([
    ['frameworks.0.name', 'web'],
    ['flags["a.b"]', 'dotted'],
    ['frameworks.0.tasks', []],
    ['n', 0],
  ])('finds %s', (path, value) => expect(lookupPath(DOC, path)).toEqual({ found: true, value }));

  it.each([
    ['frameworks.1', 'frameworks.1', ['0..0']],
    ['frameworks.0.nope', 'frameworks.0.nope', ['name', 'tasks']],
    ['n.x', 'n.x', []],
    ['frameworks.0.tasks.0', 'frameworks.0.tasks.0', []],
  ])('misses %s at %s, listing what is there', (path, at, keys) => expect(lookupPath(DOC, path)).toEqual({ found: false, at, keys }));
});
