import { describe, expect, it } from 'vitest';
import { formatAttributes, parseAttributes } from './attributes.js';
import { ResourcesError } from './errors.js';

describe('parseAttributes', () => {
  it('reads scalars, ranges, sets and text', () => {
    expect(parseAttributes('rack:abc;zone:west;os:centos5;level:10;keys:[1000-1500];tags:{a, b};url:http://x:1')).toEqual([
      { name: 'rack', type: 'TEXT', text: { value: 'abc' } },
      { name: 'zone', type: 'TEXT', text: { value: 'west' } },
      { name: 'os', type: 'TEXT', text: { value: 'centos5' } },
      { name: 'level', type: 'SCALAR', scalar: { value: 10 } },
      { name: 'keys', type: 'RANGES', ranges: { range: [{ begin: 1000n, end: 1500n }] } },
      { name: 'tags', type: 'SET', set: { item: ['a', 'b'] } },
      { name: 'url', type: 'TEXT', text: { value: 'http://x:1' } },
    ]);
  });

  it.each([
    ['rack', "missing ':'"],
    [':abc', 'name is empty'],
    ['rack:', 'value is empty'],
    ['keys:[3-1]', 'begin > end'],
  ])('rejects %j (%s)', (text, why) => {
    let err: unknown;
    try {
      parseAttributes(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ResourcesError);
    expect((err as ResourcesError).code).toBe('PARSE');
    expect((err as ResourcesError).message).toContain(why);
    expect((err as ResourcesError).message).toContain('expected e.g.');
  });
});

describe('formatAttributes', () => {
  it.each([
    'rack:abc;zone:west;os:centos5;level:10;keys:[1000-1500]',
    'level:2.5;keys:[1-2,5-9];tags:{a,b}',
    '',
  ])('round-trips %j', (text) => {
    expect(formatAttributes(parseAttributes(text))).toBe(text);
  });
});
