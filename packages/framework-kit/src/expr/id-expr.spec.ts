import { describe, expect, it } from 'vitest';
import { isKitError } from '../errors.js';
import { expandIds, parseIdExpr } from './id-expr.js';

const nodes: Record<number, Record<string, string>> = {
  0: { hostname: 'slave0', rack: 'r1', dc: 'dc1' },
  1: { hostname: 'slave1', rack: 'r1', dc: 'dc2' },
  2: { hostname: 'master', rack: 'r2', dc: 'dc1' },
  3: { hostname: 'slave3', rack: 'r1', dc: 'dc1' },
  // 4 exists but runs nowhere: no attributes.
};
const options = { existing: [0, 1, 2, 3, 4], attributes: (id: number) => nodes[id] };

describe('expandIds (kafka-mesos broker-expr)', () => {
  it.each([
    ['0', [0]],
    ['0,1', [0, 1]],
    ['0..2', [0, 1, 2]],
    ['0,1..2', [0, 1, 2]],
    ['*', [0, 1, 2, 3, 4]],
    [' 2 , 0 ', [0, 2]],
    ['1,1,0..1', [0, 1]],
    ['7', [7]],
    ['5..6', [5, 6]],
    ['*[rack=r1]', [0, 1, 3]],
    ['*[hostname=slave*]', [0, 1, 3]],
    ['*[rack=r1,dc=dc1]', [0, 3]],
    ['0..4[rack=r1,dc=dc1]', [0, 3]],
    ['*[hostname=*ave*]', [0, 1, 3]],
    ['*[zone=z1]', []],
    ['0..1[rack=r2]', []],
  ])('%s -> %j', (expr, ids) => {
    expect(expandIds(expr, options)).toEqual(ids);
  });

  it('* without known ids names nothing', () => {
    expect(expandIds('*')).toEqual([]);
  });

  it.each([
    ['', 'empty'],
    ['a', "'a' is not an id"],
    ['-1', "'-1' is not an id"],
    ['1.5', "'1.5' is not an id"],
    ['0,', "'' is not an id"],
    ['2..0', 'runs backwards'],
    ['0..', "'' is not an id"],
    ['*[rack=r1', "must end with ']'"],
    ['*[]', 'empty'],
    ['*[rack]', 'must be key=value'],
    ['*[=r1]', 'must be key=value'],
    ['0..100000000', 'more than'],
  ])('rejects %j (%s)', (expr, why) => {
    let error: unknown;
    try {
      expandIds(expr);
    } catch (e) {
      error = e;
    }
    expect(isKitError(error, 'INVALID_EXPRESSION')).toBe(true);
    expect((error as Error).message).toContain(why);
  });

  it('parses into parts and filter', () => {
    expect(parseIdExpr('0,1..2,*[rack=r1]')).toEqual({
      parts: [{ kind: 'id', id: 0 }, { kind: 'range', from: 1, to: 2 }, { kind: 'all' }],
      filter: [{ key: 'rack', pattern: 'r1' }],
    });
  });
});
