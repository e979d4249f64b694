import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RecordIODecoder, encodeRecord } from './recordio.js';
import { WireError } from './errors.js';

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** Feeds `stream` to a fresh decoder cut at the given offsets and returns the records as strings. */
function decodeSplit(stream: Uint8Array, cuts: number[], maxRecordBytes?: number): string[] {
  const decoder = new RecordIODecoder(maxRecordBytes === undefined ? {} : { maxRecordBytes });
  const out: string[] = [];
  let start = 0;
  for (const cut of [...cuts, stream.length]) {
    for (const record of decoder.push(stream.subarray(start, cut))) out.push(text.decode(record));
    start = cut;
  }
  decoder.finish();
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

function malformed(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WireError);
    expect((e as WireError).code).toBe('MALFORMED_RECORDIO');
    return (e as WireError).message;
  }
  throw new Error('expected a MALFORMED_RECORDIO error');
}

describe('encodeRecord', () => {
  it.each([
    ['{"type":"HEARTBEAT"}', '20\n{"type":"HEARTBEAT"}'],
    ['é', '2\né'], // the length counts UTF-8 bytes, not characters
    ['日本', '6\n日本'],
  ])('frames %j', (payload, framed) => {
    expect(text.decode(encodeRecord(payload))).toBe(framed);
    expect(text.decode(encodeRecord(utf8.encode(payload)))).toBe(framed);
  });

  it('refuses an empty record', () => {
    malformed(() => encodeRecord(''));
  });
});

describe('RecordIODecoder', () => {
  const records = ['{"type":"HEARTBEAT"}', 'é日本🙂', 'x', '{"a":"' + 'y'.repeat(300) + '"}'];
  const stream = concat(records.map((r) => encodeRecord(r)));

  it('decodes several records from one chunk', () => {
    expect(decodeSplit(stream, [])).toEqual(records);
  });

  it('decodes at every single cut position (headers, payloads and UTF-8 sequences split)', () => {
    for (let cut = 0; cut <= stream.length; cut++) expect(decodeSplit(stream, [cut])).toEqual(records);
  });

  it('decodes byte by byte', () => {
    expect(decodeSplit(stream, Array.from({ length: stream.length }, (_, i) => i))).toEqual(records);
  });

  it('returns views into the chunk for records that fit in it', () => {
    const decoder = new RecordIODecoder();
    const chunk = encodeRecord('abc');
    const [record] = decoder.push(chunk);
    expect(record!.buffer).toBe(chunk.buffer);
    expect(decoder.idle).toBe(true);
  });

  it('property: any records under any chunking decode to themselves', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 50, unit: 'grapheme' }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (payloads, rawCuts) => {
          const bytes = concat(payloads.map((p) => encodeRecord(p)));
          const cuts = [...new Set(rawCuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          expect(decodeSplit(bytes, cuts)).toEqual(payloads);
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each([
    ['a non-digit length', 'x\nabc', /found byte 0x78/],
    ['a signed length', '-3\nabc', /found byte 0x2d/],
    ['a space before the newline', '3 \nabc', /found byte 0x20/],
    ['an empty length', '\nabc', /header is empty/],
    ['a zero length', '0\n', /length is 0/],
    ['a length over the limit', '1025\n', /exceeds the limit of 1024 bytes/],
    ['an absurd length', '99999999999999999999999\n', /exceeds the limit/],
  ])('rejects %s', (_label, input, message) => {
    const decoder = new RecordIODecoder({ maxRecordBytes: 1024 });
    expect(malformed(() => decoder.push(utf8.encode(input)))).toMatch(message);
  });

  it('uses a 64 MiB limit by default', () => {
    const limit = 64 * 1024 * 1024;
    expect(new RecordIODecoder().push(utf8.encode(`${limit}\n`))).toEqual([]);
    expect(malformed(() => new RecordIODecoder().push(utf8.encode(`${limit + 1}\n`)))).toMatch(/limit of 67108864/);
  });

  it.each([
    ['inside a payload', '5\nab', /got 2 of 5 bytes/],
    ['inside a header', '12', /inside a record length header/],
  ])('finish() rejects a stream that ends %s', (_label, input, message) => {
    const decoder = new RecordIODecoder();
    expect(decoder.push(utf8.encode(input))).toEqual([]);
    expect(malformed(() => decoder.finish())).toMatch(message);
  });

  it('stays failed after a framing error', () => {
    const decoder = new RecordIODecoder();
    malformed(() => decoder.push(utf8.encode('z\n')));
    expect(malformed(() => decoder.push(encodeRecord('fine')))).toMatch(/0x7a/);
  });
});
