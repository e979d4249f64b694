import { describe, expect, it } from 'vitest';
import { isKitError } from '../errors.js';
import { conditionMatches, parseCondition } from './condition.js';
import { checkConstraints, formatConstraints, offerAttributes, parseConstraints } from './constraints.js';

describe('conditionMatches (kafka-mesos semantics)', () => {
  it.each([
    ['like:master', 'master', [], true],
    ['like:master', 'master2', [], false],
    ['like:slave.*', 'slave3', [], true],
    ['like:slave.*', 'aslave', [], false],
    ['unlike:master', 'master', [], false],
    ['unlike:master', 'slave', [], true],
    ['unlike:1.*', '2a', [], true],
    ['unique', 'h1', [], true],
    ['unique', 'h1', ['h2', 'h3'], true],
    ['unique', 'h1', ['h2', 'h1'], false],
    ['cluster', 'r1', [], true],
    ['cluster', 'r1', ['r1', 'r1'], true],
    ['cluster', 'r2', ['r1'], false],
    ['cluster:master', 'master', ['other'], true],
    ['cluster:master', 'slave', [], false],
    ['groupBy', 'r1', [], true],
    ['groupBy', 'r1', ['r1'], true],
    ['groupBy', 'r2', ['r1'], false],
    // groupBy:3 — fill three groups first, then keep them balanced.
    ['groupBy:3', 'a', [], true],
    ['groupBy:3', 'a', ['a'], false],
    ['groupBy:3', 'b', ['a'], true],
    ['groupBy:3', 'c', ['a', 'b'], true],
    ['groupBy:3', 'a', ['a', 'b', 'c'], true],
    ['groupBy:3', 'a', ['a', 'b', 'c', 'a'], false],
    ['groupBy:3', 'b', ['a', 'b', 'c', 'a'], true],
    ['groupBy:3', 'd', ['a', 'b', 'c'], false],
  ] as const)('%s on %s with peers %j -> %s', (cond, value, peers, ok) => {
    expect(conditionMatches(parseCondition(cond), value, peers)).toBe(ok);
  });
});

describe('parseConstraints', () => {
  it('parses the kafka-mesos example and round-trips', () => {
    const text = 'hostname=like:master,rack=like:1.*';
    const parsed = parseConstraints(text);
    expect(parsed).toEqual([
      { attribute: 'hostname', condition: { op: 'like', regex: 'master' } },
      { attribute: 'rack', condition: { op: 'like', regex: '1.*' } },
    ]);
    expect(formatConstraints(parsed)).toBe(text);
  });

  it.each([
    ['', []],
    ['hostname=unique', [{ attribute: 'hostname', condition: { op: 'unique' } }]],
    ['rack=groupBy:3', [{ attribute: 'rack', condition: { op: 'groupBy', groups: 3 } }]],
    ['rack=groupBy', [{ attribute: 'rack', condition: { op: 'groupBy', groups: 1 } }]],
    ['dc=cluster', [{ attribute: 'dc', condition: { op: 'cluster' } }]],
    ['dc=cluster:east', [{ attribute: 'dc', condition: { op: 'cluster', value: 'east' } }]],
    ['h=like:a{1\\,2}', [{ attribute: 'h', condition: { op: 'like', regex: 'a{1,2}' } }]],
  ])('%j', (text, expected) => {
    expect(parseConstraints(text)).toEqual(expected);
  });

  it.each([
    ['rack', 'expected attr=condition'],
    ['=unique', 'expected attr=condition'],
    ['rack=near', "unknown condition 'near'"],
    ['rack=like:', 'needs a regular expression'],
    ['rack=like:(', 'not a valid regular expression'],
    ['rack=groupBy:0', 'positive group count'],
    ['rack=groupBy:x', 'positive group count'],
    ['rack=unique:1', 'takes no value'],
    ['rack=cluster:', 'needs a value'],
  ])('rejects %j (%s)', (text, why) => {
    try {
      parseConstraints(text);
      expect.unreachable();
    } catch (e) {
      expect(isKitError(e, 'INVALID_CONSTRAINT')).toBe(true);
      expect((e as Error).message).toContain(why);
      expect((e as Error).message).toContain(text);
    }
  });
});

describe('checkConstraints against an offer and peer placements', () => {
  const offer = {
    hostname: 'slave2',
    attributes: [
      { name: 'rack', type: 'TEXT' as const, text: { value: 'r1' } },
      { name: 'level', type: 'SCALAR' as const, scalar: { value: 10 } },
    ],
  };
  const node = offerAttributes(offer);
  it('exposes hostname and attributes as text', () => {
    expect(node).toEqual({ hostname: 'slave2', rack: 'r1', level: '10' });
  });
  it.each([
    ['hostname=unique', [{ hostname: 'slave1' }], undefined],
    ['hostname=unique', [{ hostname: 'slave2' }], "hostname doesn't match unique"],
    ['rack=cluster', [{ hostname: 'x', rack: 'r1' }], undefined],
    ['rack=cluster', [{ hostname: 'x', rack: 'r2' }], "rack doesn't match cluster"],
    ['hostname=like:slave.*,rack=unique', [{ hostname: 'x', rack: 'r1' }], "rack doesn't match unique"],
    ['level=like:1\\d', [], undefined],
    ['zone=unique', [], 'no zone'],
    // Peers placed nowhere yet (no attribute) do not count.
    ['rack=unique', [{ hostname: 'x' }], undefined],
  ])('%s with peers %j -> %s', (text, peers, reason) => {
    expect(checkConstraints(parseConstraints(text), node, peers)).toBe(reason);
  });
});
