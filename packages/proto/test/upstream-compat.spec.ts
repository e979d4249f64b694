// Wire compatibility with Apache Mesos, checked against an independent copy of the upstream
// protos (mesos-go's, installed by golang-github-mesos-mesos-go-dev): the schemas agree field for
// field, and every corpus message survives encode-with-one/decode-with-the-other in both directions.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import protobuf from 'protobufjs';
import { messageType, root } from '../src/index.js';
import { corpus } from '../src/testing/index.js';
import { EXCLUSIONS, MASTER_CALLS, MASTER_RESPONSES, NEWER_UPSTREAM, REQUIRED_COVERAGE } from './upstream/coverage.js';
import { MISSING_MESSAGE, UPSTREAM_MESOS_PROTO, counterpart, upstreamRoot } from './upstream/load-upstream.js';
import { reshape } from './upstream/reshape.js';
import { allTypes, diffSchemas } from './upstream/schema-diff.js';

// 64-bit integers as decimal strings, enums by name, bytes as base64: exact and comparable.
const OBJECT_OPTIONS: protobuf.IConversionOptions = { longs: String, enums: String, bytes: String };

function upstreamType(ours: protobuf.Type): protobuf.Type {
  const up = counterpart(upstreamRoot(), ours);
  if (!up) throw new Error(`upstream has no counterpart for ${ours.fullName}`);
  return up;
}

/**
 * The toObject form a TS sample must decode back to, computed without protobufjs: 64-bit values
 * as decimal strings, bytes as base64; unset and empty repeated fields are absent on the wire.
 */
function canonical(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
}

/** True when a schema mismatch is about a field documented in NEWER_UPSTREAM. */
function newerUpstream(mismatch: string): boolean {
  return Object.keys(NEWER_UPSTREAM).some((field) => mismatch.startsWith(`${field}:`));
}

function encode(type: protobuf.Type, object: Record<string, unknown>): Uint8Array {
  return type.encode(type.fromObject(object)).finish();
}

describe('upstream protos', () => {
  // Never skipped: without the reference the whole compatibility claim is unchecked.
  it('are installed', () => {
    if (!existsSync(UPSTREAM_MESOS_PROTO)) throw new Error(MISSING_MESSAGE);
    expect(upstreamRoot().lookupType('mesos.scheduler.Call').fieldsArray.length).toBeGreaterThan(10);
  });
});

describe('schema cross-check against upstream', () => {
  it('every shared field has the same tag, type, label and default, and every shared enum the same numbers', () => {
    const diff = diffSchemas(root, upstreamRoot());
    expect(diff.compared).toBeGreaterThan(250);
    expect(diff.mismatches.filter((m) => !newerUpstream(m))).toEqual([]);
  });

  it('every documented newer-upstream field really differs from the reference', () => {
    const { mismatches } = diffSchemas(root, upstreamRoot());
    for (const field of Object.keys(NEWER_UPSTREAM)) {
      expect(mismatches.some((m) => m.startsWith(`${field}:`)), field).toBe(true);
    }
  });

  it('messages mesos-ts relies on lack no upstream field (except documented exclusions)', () => {
    const { missing } = diffSchemas(root, upstreamRoot());
    const covered = new Set(REQUIRED_COVERAGE.flatMap((name) => {
      const type = messageType(name as never);
      return [type, ...allTypes(type)].map((t) => t.fullName.slice(1));
    }));
    const gaps: string[] = [];
    for (const [message, fields] of missing) {
      if (!covered.has(message)) continue;
      const excluded = EXCLUSIONS[message] ?? {};
      for (const f of fields) if (!excluded[f.split('=')[0] ?? '']) gaps.push(`${message}.${f}`);
    }
    expect(gaps).toEqual([]);
  });

  it('every documented exclusion names a field upstream really has and we really lack', () => {
    for (const [message, fields] of Object.entries(EXCLUSIONS)) {
      const ours = messageType(message as never);
      const theirs = upstreamType(ours);
      for (const field of Object.keys(fields)) {
        expect(theirs.fields[field], `${message}.${field} upstream`).toBeDefined();
        expect(ours.fields[field], `${message}.${field} here`).toBeUndefined();
      }
    }
  });
});

describe('corpus', () => {
  const typesOf = (name: string): Set<unknown> =>
    new Set(corpus.filter((e) => e.name === name).map((e) => (e.message as { type?: string }).type));
  const enumNames = (path: string): string[] => Object.keys(root.lookupEnum(path).values).filter((n) => n !== 'UNKNOWN');

  it.each([
    ['mesos.v1.scheduler.Call', enumNames('mesos.v1.scheduler.Call.Type')],
    ['mesos.v1.scheduler.Event', enumNames('mesos.v1.scheduler.Event.Type')],
    ['mesos.v1.executor.Call', enumNames('mesos.v1.executor.Call.Type')],
    ['mesos.v1.executor.Event', enumNames('mesos.v1.executor.Event.Type')],
    ['mesos.v1.master.Event', enumNames('mesos.v1.master.Event.Type')],
    ['mesos.v1.master.Call', [...MASTER_CALLS]],
    ['mesos.v1.master.Response', [...MASTER_RESPONSES]],
  ])('covers every required %s type', (name, required) => {
    const covered = typesOf(name);
    expect(required.filter((t) => !covered.has(t))).toEqual([]);
  });

  it('has unique labels', () => {
    expect(new Set(corpus.map((e) => e.label)).size).toBe(corpus.length);
  });
});

describe.each(corpus.map((e) => [e.label, e] as const))('byte cross-check: %s', (_label, entry) => {
  it('round-trips losslessly through our schema', () => {
    const ours = messageType(entry.name);
    const bytes = encode(ours, reshape(entry.message, ours).value);
    expect(ours.toObject(ours.decode(bytes), OBJECT_OPTIONS)).toEqual(canonical(entry.message));
  });

  it('encoded by us, decodes identically with upstream', () => {
    const ours = messageType(entry.name);
    const theirs = upstreamType(ours);
    const bytes = encode(ours, reshape(entry.message, ours).value);
    const ourView = ours.toObject(ours.decode(bytes), OBJECT_OPTIONS);
    const { value: expected, lossless } = reshape(ourView, ours, theirs);
    const decoded = theirs.decode(bytes);
    expect(theirs.toObject(decoded, OBJECT_OPTIONS)).toEqual(expected);
    // When upstream knows every field we sent, its re-encoding is byte for byte ours.
    if (lossless) expect(Buffer.from(theirs.encode(decoded).finish()).equals(Buffer.from(bytes))).toBe(true);
  });

  it('encoded by upstream, decodes identically with ours', () => {
    const ours = messageType(entry.name);
    const theirs = upstreamType(ours);
    const bytes = encode(theirs, reshape(entry.message, ours, theirs).value);
    const theirView = theirs.toObject(theirs.decode(bytes), OBJECT_OPTIONS);
    const ourView = ours.toObject(ours.decode(bytes), OBJECT_OPTIONS);
    expect(reshape(ourView, ours, theirs).value).toEqual(theirView);
  });
});
