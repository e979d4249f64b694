import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MessageName, v1 } from '@mesos-ts/proto';
import { APPLICATION_JSON, APPLICATION_PROTOBUF, decode, encode } from './codec.js';
import { decodeJson, encodeJson } from './json-codec.js';
import { decodeProtobuf, encodeProtobuf } from './protobuf-codec.js';
import { offersEvent } from '../test/offers-event.js';

/** JSON -> message -> protobuf -> message -> JSON must be stable and lossless. */
function roundTrip(name: MessageName, message: unknown): void {
  const json = encodeJson(name, message as never);
  const fromJson = decodeJson(name, json);
  expect(fromJson).toEqual(message);
  const fromProtobuf = decodeProtobuf(name, encodeProtobuf(name, fromJson));
  expect(fromProtobuf).toEqual(message);
  expect(encodeJson(name, fromProtobuf)).toBe(json);
}

const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
const labels: fc.Arbitrary<v1.Labels> = fc.record(
  { labels: fc.array(fc.record({ key: text, value: text }, { requiredKeys: ['key'] }), { minLength: 1, maxLength: 3 }) },
);

/** Value-like payloads: the fields set always agree with `type`, like real Mesos values. */
const typedValue = fc.oneof(
  finite.map((value) => ({ type: 'SCALAR' as const, scalar: { value } })),
  fc.array(fc.record({ begin: uint64, end: uint64 }), { minLength: 1, maxLength: 3 }).map((range) => ({ type: 'RANGES' as const, ranges: { range } })),
  fc.array(text, { minLength: 1, maxLength: 3 }).map((item) => ({ type: 'SET' as const, set: { item } })),
);

const resource: fc.Arbitrary<v1.Resource> = fc
  .record(
    {
      name: text,
      value: typedValue,
      reservations: fc.array(
        fc.record(
          { type: fc.constantFrom('UNKNOWN', 'STATIC', 'DYNAMIC' as const), role: text, principal: text, labels },
          { requiredKeys: [] },
        ),
        { minLength: 1, maxLength: 2 },
      ),
      allocation_info: fc.record({ role: text }),
      disk: fc.record({ persistence: fc.record({ id: text, principal: text }), volume: fc.record({ mode: fc.constantFrom('RW', 'RO' as const), container_path: text }) }, { requiredKeys: [] }),
    },
    { requiredKeys: ['name', 'value'] },
  )
  .map(({ value, ...rest }) => ({ ...rest, ...value }));

describe('codecs agree', () => {
  it('property: generated Resources round-trip through JSON and protobuf', () => {
    fc.assert(fc.property(resource, (r) => roundTrip('mesos.v1.Resource', r)), { numRuns: 300 });
  });

  it('property: generated Values round-trip (int64 above 2^53, UTF-8 text)', () => {
    fc.assert(fc.property(typedValue, (v) => roundTrip('mesos.v1.Value', v)), { numRuns: 300 });
  });

  it.each([
    ['a 100-offer OFFERS event', 'mesos.v1.scheduler.Event', offersEvent(100)],
    ['a nested ContainerID', 'mesos.v1.ContainerID', { value: 'c', parent: { value: 'b', parent: { value: 'a' } } }],
    ['a TimeInfo at the int64 extremes', 'mesos.v1.TimeInfo', { nanoseconds: -(2n ** 63n) }],
    ['a map field', 'mesos.v1.FrameworkInfo', { user: 'u', name: 'n', offer_filters: { kafka: { min_allocatable_resources: { quantities: [{ quantities: { cpus: { value: 0.5 } } }] } } } }],
    ['bytes with every byte value', 'mesos.v1.UUID', { value: Uint8Array.from({ length: 256 }, (_, i) => i) }],
  ] as const)('%s round-trips', (_label, name, message) => {
    roundTrip(name, message);
  });
});

describe('encode / decode dispatch on the content type', () => {
  const value: v1.Value = { type: 'TEXT', text: { value: 'héllo' } };
  it.each([APPLICATION_JSON, APPLICATION_PROTOBUF] as const)('%s', (contentType) => {
    const body = encode(contentType, 'mesos.v1.Value', value);
    expect(decode(contentType, 'mesos.v1.Value', body)).toEqual(value);
  });

  it('JSON bodies are UTF-8 and may be decoded from a string', () => {
    const body = encode(APPLICATION_JSON, 'mesos.v1.Value', value);
    expect(new TextDecoder().decode(body)).toBe('{"type":"TEXT","text":{"value":"héllo"}}');
    expect(decode(APPLICATION_JSON, 'mesos.v1.Value', '{"type":"TEXT","text":{"value":"héllo"}}')).toEqual(value);
  });
});
