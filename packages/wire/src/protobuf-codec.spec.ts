import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { decodeProtobuf, encodeProtobuf } from './protobuf-codec.js';
import { WireError } from './errors.js';
import { offersEvent } from '../test/offers-event.js';
import { upstreamAvailable, upstreamType } from '../test/upstream-protos.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('encodeProtobuf / decodeProtobuf', () => {
  it.each([
    // tag 1 varint 1, tag 2 varint 2 — hand-computed from the .proto tags
    ['uint64 range', 'mesos.v1.Value.Range', { begin: 1n, end: 2n }, '08011002'],
    ['uint64 max', 'mesos.v1.Value.Range', { begin: 0n, end: 2n ** 64n - 1n }, '080010ffffffffffffffffff01'],
    ['negative int64 (10-byte varint)', 'mesos.v1.TimeInfo', { nanoseconds: -1n }, '08ffffffffffffffffff01'],
    ['enum by number, UTF-8 string', 'mesos.v1.Value', { type: 'TEXT', text: { value: 'é' } }, '08032a040a02c3a9'],
    ['bytes', 'mesos.v1.UUID', { value: new Uint8Array([0, 255]) }, '0a0200ff'],
  ] as const)('%s', (_label, name, message, expectedHex) => {
    const bytes = encodeProtobuf(name, message as never);
    expect(hex(bytes)).toBe(expectedHex);
    expect(decodeProtobuf(name, bytes)).toEqual(message);
  });

  it('decodes only what was on the wire: no defaults, no empty lists', () => {
    const resource: v1.Resource = { name: 'cpus', type: 'SCALAR', scalar: { value: 2 } };
    const decoded = decodeProtobuf('mesos.v1.Resource', encodeProtobuf('mesos.v1.Resource', { ...resource, reservations: [] }));
    expect(decoded).toEqual(resource);
    expect(Object.keys(decoded)).toEqual(['name', 'type', 'scalar']); // no `role: "*"` default
  });

  it('decodes bytes into a copy, not a view of the input buffer', () => {
    const input = encodeProtobuf('mesos.v1.UUID', { value: new Uint8Array([1, 2, 3]) });
    const decoded = decodeProtobuf('mesos.v1.UUID', input);
    input.fill(0);
    expect(decoded.value).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('ignores unknown fields on the wire', () => {
    // Value{type: SCALAR, scalar: {value: 1.5}} followed by field 99 (varint 7), unknown to us
    const bytes = Buffer.concat([encodeProtobuf('mesos.v1.Value', { type: 'SCALAR', scalar: { value: 1.5 } }), Buffer.from('980607', 'hex')]);
    expect(decodeProtobuf('mesos.v1.Value', bytes)).toEqual({ type: 'SCALAR', scalar: { value: 1.5 } });
  });

  it.each([
    ['a missing required field', 'mesos.v1.Value', new Uint8Array([]), 'INVALID_PROTOBUF', /missing required 'type'/],
    ['truncated input', 'mesos.v1.Label', new Uint8Array([0x0a, 0x05, 0x61]), 'INVALID_PROTOBUF', /index out of range/],
    ['an unknown number in a required enum', 'mesos.v1.Value', new Uint8Array([0x08, 0x09]), 'INVALID_PROTOBUF', /mesos\.v1\.Value\.type has an unknown enum value 9/],
  ] as const)('rejects %s', (_label, name, bytes, code, pattern) => {
    let error: unknown;
    try {
      decodeProtobuf(name, bytes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WireError);
    expect((error as WireError).code).toBe(code);
    expect((error as WireError).message).toMatch(pattern);
  });

  it.each([
    ['a missing required field', { type: 'SCALAR' }, /^name: is required/],
    ['an unknown enum name', { name: 'x', type: 'BIG' }, /^type: the string "BIG" is not a mesos\.v1\.Value\.Type value/],
    ['a number where an int64 bigint belongs with precision loss', { name: 'p', type: 'RANGES', ranges: { range: [{ begin: 2 ** 60, end: 1n }] } }, /ranges\.range\[0\]\.begin: expected a uint64 as bigint/],
  ] as const)('refuses to encode %s', (_label, message, pattern) => {
    expect(() => encodeProtobuf('mesos.v1.Resource', message as never)).toThrow(pattern);
  });

  it.skipIf(!upstreamAvailable)('produces bytes the upstream .proto files read and re-encode identically', () => {
    const bytes = encodeProtobuf('mesos.v1.scheduler.Event', offersEvent(3));
    const upstream = upstreamType('mesos.v1.scheduler.Event');
    const decoded = upstream.decode(bytes);
    // Unknown or mis-typed fields would be dropped or rejected by upstream's schema, changing the bytes.
    expect(hex(upstream.encode(decoded).finish())).toBe(hex(bytes));
    const plain = upstream.toObject(decoded, { enums: String, longs: String }) as { offers: { offers: { hostname: string; resources: { ranges?: unknown }[] }[] } };
    expect(plain.offers.offers[2]!.hostname).toBe('node-2.rack-2.example.internal');
    expect(plain.offers.offers[0]!.resources[4]!.ranges).toEqual({ range: [{ begin: '31000', end: '31099' }, { begin: '31200', end: '32000' }] });
  });
});
