import { describe, expect, it } from 'vitest';
import { Resources } from './resources.js';
import { ResourcesError } from './errors.js';

function errorOf(f: () => unknown): ResourcesError {
  try {
    f();
  } catch (e) {
    if (e instanceof ResourcesError) return e;
    throw e;
  }
  throw new Error('expected a ResourcesError');
}

describe('Resources.parse (text form)', () => {
  it.each([
    {
      text: 'cpus:24;mem:24576;disk:409600;ports:[21000-24000];bugs:{a,b,c}',
      want: 'bugs(*):{a, b, c}; cpus(*):24; disk(*):409600; mem(*):24576; ports(*):[21000-24000]',
    },
    { text: 'cpus(hdfs):2;mem(hdfs):6144', want: 'cpus(hdfs):2; mem(hdfs):6144' },
    { text: 'cpus(*):4; mem(*):13000; ports(*):[31000-32000]', want: 'cpus(*):4; mem(*):13000; ports(*):[31000-32000]' },
    { text: 'cpus:1;cpus:2.5;ports:[1-5];ports:[6-9, 20-30]', want: 'cpus(*):3.5; ports(*):[1-9, 20-30]' },
    { text: 'cpus:0;mem:0.0001;ports:[];bugs:{}', want: '' },
    { text: ' cpus : 1.23456 ; ; ', want: 'cpus(*):1.235' },
    { text: 'gpus(eng/ml):2;cpus(eng):1', want: 'cpus(eng):1; gpus(eng/ml):2' },
  ])('$text → $want', ({ text, want }) => {
    expect(Resources.parse(text).toString()).toBe(want);
  });

  it('applies the default role to entries written without one', () => {
    const r = Resources.parse('cpus:2;mem(*):10', { defaultRole: 'hdfs' });
    expect(r.toString()).toBe('cpus(hdfs):2; mem(*):10');
    expect(r.reserved('hdfs').scalar('cpus')).toBe(2);
  });

  it('round-trips its own output for unreserved and statically reserved resources', () => {
    const text = 'bugs(*):{a, b}; cpus(*):0.5; cpus(hdfs):2; ports(*):[1-3, 7-9]';
    expect(Resources.parse(text).toString()).toBe(text);
  });

  it.each([
    { text: 'cpus:abc', msg: "invalid resource 'cpus:abc': scalar value 'abc' is not a number (expected e.g. cpus:4" },
    { text: 'cpus', msg: "missing ':'" },
    { text: 'cpus:-1', msg: 'negative' },
    { text: 'ports:[5-1]', msg: 'begin > end (write 1-5)' },
    { text: 'ports:[1-2', msg: "missing its closing ']'" },
    { text: 'ports:[a-b]', msg: 'begin-end with non-negative integers' },
    { text: 'bugs:{a,,b}', msg: 'empty item' },
    { text: 'cpus(a b):1', msg: 'whitespace' },
    { text: 'cpus(hdfs:1', msg: "missing its closing ')'" },
    { text: ':4', msg: 'empty or malformed' },
    { text: '[{"name":"cpus"', msg: 'invalid JSON resources' },
    { text: '[{"name":"cpus","type":"TEXT","text":{"value":"x"}}]', msg: "type 'TEXT' is not supported" },
    { text: '[{"name":"cpus","type":"SCALAR","scalar":{"value":-2}}]', msg: 'negative' },
    { text: '[{"name":"p","type":"RANGES","ranges":{"range":[{"begin":1.5,"end":2}]}}]', msg: 'non-negative integer' },
    { text: '[3]', msg: 'expected an object' },
  ])('rejects $text', ({ text, msg }) => {
    const err = errorOf(() => Resources.parse(text));
    expect(['PARSE', 'INVALID_RESOURCE']).toContain(err.code);
    expect(err.message).toContain(msg);
  });

  it('rejects an invalid default role', () => {
    expect(errorOf(() => Resources.parse('cpus:1', { defaultRole: '-x' })).code).toBe('INVALID_ROLE');
  });
});

describe('Resources.parse (JSON array form)', () => {
  it('reads Mesos JSON, including legacy roles, reservations, nulls and string range bounds', () => {
    const json = JSON.stringify([
      { name: 'cpus', type: 'SCALAR', scalar: { value: 24 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 1024 }, role: 'hdfs' },
      { name: 'disk', type: 'SCALAR', scalar: { value: 10 }, reservations: [{ type: 'DYNAMIC', role: 'a', principal: 'p' }] },
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: '31000', end: 32000 }] }, disk: null, unknown_field: 1 },
      { name: 'bugs', type: 'SET', set: { item: ['b', 'a'] } },
    ]);
    expect(Resources.parse(json).toString()).toBe(
      'bugs(*):{a, b}; cpus(*):24; disk(reservations: [(DYNAMIC,a,p)]):10; mem(hdfs):1024; ports(*):[31000-32000]',
    );
  });

  it('gives unroled JSON entries the default role, but keeps an explicit "*"', () => {
    const json = '[{"name":"cpus","type":"SCALAR","scalar":{"value":1}},{"name":"mem","type":"SCALAR","scalar":{"value":2},"role":"*"}]';
    expect(Resources.parse(json, { defaultRole: 'r' }).toString()).toBe('cpus(r):1; mem(*):2');
  });

  it('round-trips the full metadata through toProto → JSON → parse', () => {
    const original = Resources.parse(
      JSON.stringify([
        {
          name: 'disk',
          type: 'SCALAR',
          scalar: { value: 5 },
          reservations: [
            { type: 'STATIC', role: 'a' },
            { type: 'DYNAMIC', role: 'a/b', principal: 'p', labels: { labels: [{ key: 'k', value: 'v' }] } },
          ],
          disk: { persistence: { id: 'v1' }, volume: { mode: 'RW', container_path: 'data' } },
        },
        { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, revocable: {} },
      ]),
    );
    const json = JSON.stringify(original.toProto(), (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
    expect(Resources.parse(json).equals(original)).toBe(true);
    expect(original.toString()).toBe(
      'cpus(*){REV}:1; disk(reservations: [(STATIC,a),(DYNAMIC,a/b,p,{k: v})])[v1:data]:5',
    );
  });
});
