import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { decodeJson, encodeJson } from './json-codec.js';
import { WireError, type WireErrorCode } from './errors.js';

function failure(code: WireErrorCode, fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WireError);
    expect((e as WireError).code).toBe(code);
    return (e as WireError).message;
  }
  throw new Error(`expected a ${code} error`);
}

const ports: v1.Resource = {
  name: 'ports',
  type: 'RANGES',
  ranges: { range: [{ begin: 31000n, end: 32000n }] },
  reservations: [{ type: 'DYNAMIC', role: 'kafka', principal: 'ops', labels: { labels: [{ key: 'owner', value: 'é日本' }] } }],
};

describe('encodeJson', () => {
  it('writes snake_case keys in field-number order, enums by name, int64 as numbers', () => {
    expect(encodeJson('mesos.v1.Resource', ports)).toBe(
      '{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":32000}]},' +
        '"reservations":[{"principal":"ops","labels":{"labels":[{"key":"owner","value":"é日本"}]},"role":"kafka","type":"DYNAMIC"}]}',
    );
  });

  it.each([
    ['uint64 max', 18446744073709551615n, '18446744073709551615'],
    ['2^53 + 1', 9007199254740993n, '9007199254740993'],
  ])('keeps every digit of %s', (_label, value, digits) => {
    const range: v1.Value.Range = { begin: value, end: value };
    const json = encodeJson('mesos.v1.Value.Range', range);
    expect(json).toBe(`{"begin":${digits},"end":${digits}}`);
    expect(decodeJson('mesos.v1.Value.Range', json)).toEqual(range);
  });

  it('omits empty lists and maps, as Mesos does', () => {
    expect(encodeJson('mesos.v1.FrameworkInfo', { user: 'u', name: 'n', roles: [], offer_filters: {} })).toBe('{"user":"u","name":"n"}');
  });

  it('writes negative int64 and bytes as base64', () => {
    expect(encodeJson('mesos.v1.TimeInfo', { nanoseconds: -(2n ** 63n) })).toBe('{"nanoseconds":-9223372036854775808}');
    expect(encodeJson('mesos.v1.UUID', { value: new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0xff]) })).toBe('{"value":"3q2+7/8="}');
  });

  it.each([
    ['a missing required field', 'mesos.v1.Resource', { type: 'SCALAR' }, /^name: is required/],
    ['a nested missing required field', 'mesos.v1.Labels', { labels: [{ key: 'a' }, { value: 'b' }] }, /^labels\[1\]\.key: is required/],
    ['an unknown enum name', 'mesos.v1.Value', { type: 'FLOAT' }, /type: the string "FLOAT" is not a mesos\.v1\.Value\.Type value; expected one of SCALAR, RANGES, SET, TEXT/],
    ['an int64 out of range', 'mesos.v1.TimeInfo', { nanoseconds: 2n ** 63n }, /out of range for int64/],
    ['a negative uint64', 'mesos.v1.Value.Range', { begin: -1n, end: 1n }, /out of range for uint64/],
    ['a non-finite double', 'mesos.v1.Value.Scalar', { value: Number.NaN }, /finite number/],
    ['a string where a message belongs', 'mesos.v1.ContainerID', { value: 'a', parent: 'b' }, /^parent: expected a mesos\.v1\.ContainerID object/],
  ] as const)('rejects %s', (_label, name, message, pattern) => {
    expect(failure('INVALID_MESSAGE', () => encodeJson(name, message as never))).toMatch(pattern);
  });
});

describe('decodeJson', () => {
  it('reads what encodeJson writes, from a string or UTF-8 bytes', () => {
    const json = encodeJson('mesos.v1.Resource', ports);
    expect(decodeJson('mesos.v1.Resource', json)).toEqual(ports);
    expect(decodeJson('mesos.v1.Resource', new TextEncoder().encode(json))).toEqual(ports);
  });

  const R = 'mesos.v1.Resource';
  it.each([
    ['ignores unknown fields', R, '{"name":"cpus","type":"SCALAR","scalar":{"value":1.5,"future":[1,{"x":2}]},"shiny":true}',
      { name: 'cpus', type: 'SCALAR', scalar: { value: 1.5 } }],
    ['treats null lists as empty', R, '{"name":"ports","type":"RANGES","ranges":{"range":null},"reservations":null}',
      { name: 'ports', type: 'RANGES', ranges: {} }],
    ['treats null optional fields as absent', R, '{"name":"mem","type":"SCALAR","role":null,"scalar":{"value":64}}',
      { name: 'mem', type: 'SCALAR', scalar: { value: 64 } }],
    ['drops empty lists', R, '{"name":"disk","type":"SCALAR","reservations":[]}', { name: 'disk', type: 'SCALAR' }],
    ['accepts int64 written as strings', R, '{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":"1","end":"18446744073709551615"}]}}',
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 1n, end: 18446744073709551615n }] } }],
    ['accepts doubles written as strings', R, '{"name":"cpus","type":"SCALAR","scalar":{"value":"0.25"}}',
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.25 } }],
    ['discards an unknown enum name in an optional field', 'mesos.v1.Resource.ReservationInfo', '{"type":"FUTURE","role":"a"}', { role: 'a' }],
  ] as const)('%s', (_label, name, json, expected) => {
    expect(decodeJson(name, json)).toEqual(expected);
  });

  it('discards unknown enum names inside lists and keeps known ones', () => {
    const json = '{"user":"u","name":"n","capabilities":[{"type":"MULTI_ROLE"},{"type":"TELEPATHY"}]}';
    expect(decodeJson('mesos.v1.FrameworkInfo', json)).toEqual({ user: 'u', name: 'n', capabilities: [{ type: 'MULTI_ROLE' }, {}] });
  });

  it('reads bytes from base64 and int64 beyond 2^53 from numbers', () => {
    expect(decodeJson('mesos.v1.UUID', '{"value":"3q2+7/8="}')).toEqual({ value: new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0xff]) });
    expect(decodeJson('mesos.v1.TimeInfo', '{"nanoseconds":-9223372036854775808}')).toEqual({ nanoseconds: -(2n ** 63n) });
    expect(decodeJson('mesos.v1.TimeInfo', '{"nanoseconds":1763769600123456789}')).toEqual({ nanoseconds: 1763769600123456789n });
    expect(decodeJson('mesos.v1.TimeInfo', '{"nanoseconds":"2.5e3"}')).toEqual({ nanoseconds: 2500n });
    expect(decodeJson('mesos.v1.TimeInfo', '{"nanoseconds":12000e-3}')).toEqual({ nanoseconds: 12n });
    // 15 digits with an exponent: JSON.parse would round 123456789012345e3 to 123456789012344992
    expect(decodeJson('mesos.v1.TimeInfo', '{"nanoseconds":123456789012345e3}')).toEqual({ nanoseconds: 123456789012345000n });
  });

  it.each([
    ['INVALID_JSON', 'text that is not JSON', 'mesos.v1.TimeInfo', '{"nanoseconds":', /not valid JSON/],
    ['INVALID_JSON', 'invalid UTF-8', 'mesos.v1.TimeInfo', new Uint8Array([0x7b, 0xff, 0x7d]), /not valid UTF-8/],
    ['INVALID_MESSAGE', 'a top-level array', 'mesos.v1.TimeInfo', '[]', /expected a JSON object for mesos\.v1\.TimeInfo, got an array/],
    ['INVALID_MESSAGE', 'a missing required field', 'mesos.v1.scheduler.Call.Subscribe', '{"framework_info":{"name":"n"}}', /^framework_info\.user: is required/],
    ['INVALID_MESSAGE', 'an unknown enum name in a required field', 'mesos.v1.Value', '{"type":"FLOAT"}', /type: the string "FLOAT" is not a mesos\.v1\.Value\.Type value; expected one of SCALAR, RANGES, SET, TEXT/],
    ['INVALID_MESSAGE', 'a fractional int64', 'mesos.v1.TimeInfo', '{"nanoseconds":1.5}', /nanoseconds: expected an integer \(int64\)/],
    ['INVALID_MESSAGE', 'an int64 out of range', 'mesos.v1.TimeInfo', '{"nanoseconds":9223372036854775808}', /out of range for int64/],
    ['INVALID_MESSAGE', 'a non-numeric string for a number', 'mesos.v1.Value.Scalar', '{"value":"lots"}', /expected a number \(double\)/],
    ['INVALID_MESSAGE', 'a scalar where a list belongs', 'mesos.v1.Value.Set', '{"item":"a"}', /^item: expected a JSON array/],
    ['INVALID_MESSAGE', 'a number where a string belongs', 'mesos.v1.Label', '{"key":1}', /^key: expected a JSON string, got number 1/],
    ['INVALID_MESSAGE', 'bytes that are not base64', 'mesos.v1.UUID', '{"value":"not base64!"}', /^value: expected a base64 string/],
    ['INVALID_MESSAGE', 'a string where a bool belongs', 'mesos.v1.FrameworkInfo', '{"user":"u","name":"n","checkpoint":"yes"}', /^checkpoint: expected true or false/],
  ] as const)('rejects with %s: %s', (code, _label, name, body, pattern) => {
    expect(failure(code, () => decodeJson(name, body))).toMatch(pattern);
  });
});
