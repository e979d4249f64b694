import { describe, expect, it } from 'vitest';
import { isAncestorRole, validateRole } from './roles.js';
import { ResourcesError } from './errors.js';

describe('validateRole', () => {
  it.each(['*', 'hdfs', 'eng/kafka', 'a/b/c', 'a-b', 'a.b', '..a'])('accepts %s', (role) => {
    expect(() => validateRole(role)).not.toThrow();
  });

  it.each([
    ['', 'empty'],
    ['.', "'.' is reserved"],
    ['..', "'..' is reserved"],
    ['a/..', "'..' is reserved"],
    ['-a', "starts with '-'"],
    ['a/-b', "starts with '-'"],
    ['a b', 'whitespace'],
    ['a\tb', 'whitespace'],
    ['/a', "start or end with '/'"],
    ['a/', "start or end with '/'"],
    ['a//b', 'empty segment'],
    ['a/*', "'*' is only valid"],
    ['**', "'*' is only valid"],
  ])('rejects %j (%s)', (role, why) => {
    let err: unknown;
    try {
      validateRole(role);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ResourcesError);
    expect((err as ResourcesError).code).toBe('INVALID_ROLE');
    expect((err as ResourcesError).message).toContain(why);
  });
});

describe('isAncestorRole', () => {
  it.each([
    ['a', 'a/b', true],
    ['a', 'a/b/c', true],
    ['a/b', 'a/b/c', true],
    ['a', 'a', false],
    ['a', 'ab', false],
    ['a', 'ab/c', false],
    ['a/b', 'a', false],
    ['*', 'a', false],
  ] as const)('isAncestorRole(%s, %s) = %s', (ancestor, role, want) => {
    expect(isAncestorRole(ancestor, role)).toBe(want);
  });
});
