// Every sample message of @mesos-ts/proto's corpus through both codecs, and through the upstream schema.
import { describe, expect, it } from 'vitest';
import { corpus } from '@mesos-ts/proto/testing';
import { decodeJson, decodeProtobuf, encodeJson, encodeProtobuf } from '../src/index.js';
import { restrictToUpstream, upstreamAvailable, upstreamType } from './upstream-protos.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Protobuf cannot tell an empty repeated field from an absent one (nor can Mesos' JSON), so compare without them. */
function withoutEmptyLists(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmptyLists);
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => !(Array.isArray(v) && v.length === 0))
      .map(([k, v]) => [k, withoutEmptyLists(v)]),
  );
}

describe('corpus', () => {
  it('is not empty', () => {
    expect(corpus.length).toBeGreaterThan(20);
  });

  it.each(corpus.map((entry) => [entry.label, entry] as const))('%s round-trips through JSON and protobuf', (_label, entry) => {
    const expected = withoutEmptyLists(entry.message);
    const json = encodeJson(entry.name, entry.message as never);
    const fromJson = decodeJson(entry.name, json);
    expect(fromJson).toEqual(expected);
    const bytes = encodeProtobuf(entry.name, fromJson);
    const fromProtobuf = decodeProtobuf(entry.name, bytes);
    expect(fromProtobuf).toEqual(expected);
    expect(encodeJson(entry.name, fromProtobuf)).toBe(json);
  });

  it.skipIf(!upstreamAvailable).each(corpus.map((entry) => [entry.label, entry] as const))(
    '%s: the upstream .proto files read our bytes field for field',
    (_label, entry) => {
      const upstream = upstreamType(entry.name);
      const reencoded = upstream.encode(upstream.decode(encodeProtobuf(entry.name, entry.message as never))).finish();
      // Upstream keeps the fields it knows (same tags and wire types as ours) and drops newer ones.
      const known = restrictToUpstream(upstream, entry.message);
      expect(hex(reencoded)).toBe(hex(encodeProtobuf(entry.name, known as never)));
    },
  );
});
