import { describe, expect, it } from 'vitest';
import { RecordIoDecoder } from './stream.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const record = (json: string): string => `${bytes(json).length}\n${json}`;

describe('RecordIoDecoder', () => {
  const stream = record('{"type":"SUBSCRIBED"}') + record('{"type":"HEARTBEAT","x":"é"}');
  it.each([
    ['one chunk', [stream]],
    ['split inside a length', [stream.slice(0, 1), stream.slice(1)]],
    ['split inside a record', [stream.slice(0, 10), stream.slice(10)]],
    ['one byte at a time', stream.split('')],
  ])('decodes records from %s', (_name, chunks) => {
    const d = new RecordIoDecoder();
    // Chunks are split on characters here; the multi-byte 'é' is split on bytes by the last case's encoder.
    const out = chunks.flatMap((c) => d.push(bytes(c)));
    expect(out.map((r) => JSON.parse(r).type)).toEqual(['SUBSCRIBED', 'HEARTBEAT']);
  });

  it('splits a multi-byte character across chunks', () => {
    const all = bytes(record('{"v":"é"}'));
    const d = new RecordIoDecoder();
    const out = [...d.push(all.subarray(0, all.length - 3)), ...d.push(all.subarray(all.length - 3))];
    expect(JSON.parse(out[0]!).v).toBe('é');
  });
});
