import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assemble, chunkName, decodeHeader, encodeHeader, generationOf, makeHeader, splitChunks } from './document-chunks.js';
import { isZooKeeperError } from './zk-error.js';

describe('document chunks', () => {
  it('split then assemble is the identity, and no chunk exceeds the limit (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5_000 }), fc.integer({ min: 1, max: 700 }), (bytes, limit) => {
        const chunks = splitChunks(bytes, limit);
        expect(chunks.every((c) => c.length <= limit && c.length > 0)).toBe(true);
        const header = decodeHeader(encodeHeader(makeHeader('gab12', bytes, chunks.length, 'identity')), '/d')!;
        expect(assemble(header, chunks, '/d')).toEqual(Buffer.from(bytes));
      }),
    );
  });

  it('names chunks by generation and index', () => {
    expect(chunkName('g0a1b', 12)).toBe('g0a1b-000012');
    expect(generationOf('g0a1b-000012')).toBe('g0a1b');
    expect(generationOf('json.info_0000000001')).toBeUndefined();
  });

  it('treats an empty node as no document', () => {
    expect(decodeHeader(Buffer.alloc(0), '/d')).toBeUndefined();
  });

  it.each([
    ['not JSON', () => decodeHeader(Buffer.from('{'), '/d')],
    ['wrong format', () => decodeHeader(Buffer.from('{"format":2}'), '/d')],
    ['bad generation', () => decodeHeader(encodeHeader({ ...makeHeader('g1', Buffer.from('x'), 1, 'gzip'), generation: '../x' }), '/d')],
    ['missing chunk', () => assemble(makeHeader('g1', Buffer.from('abcd'), 2, 'identity'), [Buffer.from('ab')], '/d')],
    ['wrong bytes', () => assemble(makeHeader('g1', Buffer.from('abcd'), 2, 'identity'), [Buffer.from('ab'), Buffer.from('cx')], '/d')],
    ['wrong length', () => assemble(makeHeader('g1', Buffer.from('abcd'), 2, 'identity'), [Buffer.from('ab'), Buffer.from('c')], '/d')],
  ])('reports a corrupt document: %s', (_name, run) => {
    let caught: unknown;
    try {
      run();
    } catch (e) {
      caught = e;
    }
    expect(isZooKeeperError(caught, 'CORRUPT_DOCUMENT')).toBe(true);
  });
});
