// How one versioned document is laid out in ZooKeeper so it fits the 1 MiB node limit (jute.maxbuffer) at any
// size — 50,000 agents of registry are tens of MB of JSON. The document node's data is a small JSON header
// naming a *generation*; the (optionally gzipped) bytes live in immutable child nodes `<generation>-<index>`,
// each at most `chunkBytes`. A writer creates a fresh generation's chunks (invisible until named), then
// commits with one small `multi`: check every new chunk + set the header at the expected version. Readers
// read the header, then the chunks it names, and verify length and SHA-256. Pure.
import { createHash } from 'node:crypto';
import { ZooKeeperError } from './zk-error.js';

/** Below ZooKeeper's default 1,048,575-byte jute.maxbuffer, with room for the request envelope. */
export const DEFAULT_CHUNK_BYTES = 900_000;

export interface DocumentHeader {
  readonly format: 1;
  /** Unique per write; names the chunks. */
  readonly generation: string;
  readonly chunks: number;
  /** Stored (possibly compressed) length, bytes. */
  readonly bytes: number;
  /** SHA-256 of the stored bytes, hex. */
  readonly sha256: string;
  readonly encoding: 'gzip' | 'identity';
}

export function chunkName(generation: string, index: number): string {
  return `${generation}-${String(index).padStart(6, '0')}`;
}

/** The generation a child node belongs to (`g…-000003` → `g…`), or undefined for foreign children. */
export function generationOf(child: string): string | undefined {
  const m = /^(g[0-9a-f]+)-\d{6}$/.exec(child);
  return m?.[1];
}

export function splitChunks(stored: Uint8Array, chunkBytes: number): Buffer[] {
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1) throw new RangeError(`chunkBytes must be a positive integer, got ${chunkBytes}`);
  const out: Buffer[] = [];
  for (let at = 0; at < stored.length; at += chunkBytes) out.push(Buffer.from(stored.subarray(at, Math.min(stored.length, at + chunkBytes))));
  return out;
}

export function makeHeader(generation: string, stored: Uint8Array, chunks: number, encoding: DocumentHeader['encoding']): DocumentHeader {
  return { format: 1, generation, chunks, bytes: stored.length, sha256: sha256(stored), encoding };
}

export function encodeHeader(header: DocumentHeader): Buffer {
  return Buffer.from(JSON.stringify(header), 'utf8');
}

/** undefined for an empty node (no document written yet). */
export function decodeHeader(data: Uint8Array | undefined | null, node: string): DocumentHeader | undefined {
  if (data === undefined || data === null || data.length === 0) return undefined;
  let h: Partial<DocumentHeader>;
  try {
    h = JSON.parse(Buffer.from(data).toString('utf8')) as Partial<DocumentHeader>;
  } catch {
    throw corrupt(node, 'its data is not a document header (JSON)');
  }
  const ok =
    h.format === 1 &&
    typeof h.generation === 'string' &&
    generationOf(chunkName(h.generation, 0)) === h.generation &&
    Number.isInteger(h.chunks) && h.chunks! >= 0 &&
    Number.isInteger(h.bytes) && h.bytes! >= 0 &&
    typeof h.sha256 === 'string' &&
    (h.encoding === 'gzip' || h.encoding === 'identity');
  if (!ok) throw corrupt(node, `its header ${JSON.stringify(h).slice(0, 200)} is not format 1`);
  return h as DocumentHeader;
}

/** Joins chunks and checks them against the header; throws CORRUPT_DOCUMENT on any mismatch. */
export function assemble(header: DocumentHeader, chunks: readonly Uint8Array[], node: string): Buffer {
  if (chunks.length !== header.chunks) throw corrupt(node, `${chunks.length} chunks found, header names ${header.chunks}`);
  const stored = Buffer.concat(chunks);
  if (stored.length !== header.bytes) throw corrupt(node, `chunks hold ${stored.length} bytes, header says ${header.bytes}`);
  if (sha256(stored) !== header.sha256) throw corrupt(node, 'the chunks do not match the header checksum');
  return stored;
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

function corrupt(node: string, why: string): ZooKeeperError {
  return new ZooKeeperError('CORRUPT_DOCUMENT', `ZooKeeper document ${node} is unreadable: ${why}; restore it from a backup or delete the node to start empty`);
}
