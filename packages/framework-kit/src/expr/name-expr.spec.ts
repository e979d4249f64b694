import { describe, expect, it } from 'vitest';
import { isKitError } from '../errors.js';
import { expandNames } from './name-expr.js';

const topics = ['t1', 't0', 'logs', 'tx.a'];

describe('expandNames (kafka-mesos topic-expr)', () => {
  it.each([
    ['t0', ['t0']],
    ['t0,t1', ['t0', 't1']],
    ['new', ['new']],
    ['*', ['logs', 't0', 't1', 'tx.a']],
    ['t*', ['t0', 't1', 'tx.a']],
    ['*s', ['logs']],
    ['tx.*', ['tx.a']],
    ['t.*', []],
    ['t0,t*', ['t0', 't1', 'tx.a']],
  ])('%s -> %j', (expr, names) => {
    expect(expandNames(expr, topics)).toEqual(names);
  });

  it.each(['', ' ', 't0,,t1', 't0,'])('rejects %j', (expr) => {
    expect(() => expandNames(expr, topics)).toThrow(/invalid expression/);
    try {
      expandNames(expr, topics);
    } catch (e) {
      expect(isKitError(e, 'INVALID_EXPRESSION')).toBe(true);
    }
  });
});
