// RecordIO framing as Mesos streams it: every record is `<decimal byte length>\n<bytes>`, the length counts
// bytes (not characters) and is never 0. Chunk boundaries are arbitrary, so the decoder is an incremental
// state machine over bytes: it never decodes text, which keeps multi-byte UTF-8 split across chunks intact.
import { WireError } from './errors.js';

/** Default cap on one record's payload: 64 MiB. Larger lengths are treated as a corrupt or hostile stream. */
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

const NEWLINE = 0x0a;
const ZERO = 0x30;
const NINE = 0x39;
const utf8 = new TextEncoder();

/** Frames one record. A string payload is encoded as UTF-8 first; the length is its byte count. */
export function encodeRecord(payload: Uint8Array | string): Uint8Array {
  const bytes = typeof payload === 'string' ? utf8.encode(payload) : payload;
  if (bytes.length === 0) {
    throw new WireError('MALFORMED_RECORDIO', 'cannot frame an empty record: RecordIO lengths are never 0');
  }
  const header = utf8.encode(`${bytes.length}\n`);
  const out = new Uint8Array(header.length + bytes.length);
  out.set(header, 0);
  out.set(bytes, header.length);
  return out;
}

export interface RecordIODecoderOptions {
  /** Largest accepted payload in bytes; a bigger announced length fails with MALFORMED_RECORDIO. */
  maxRecordBytes?: number;
}

/**
 * Incremental RecordIO decoder. Feed chunks with `push()`; it returns every record completed by that chunk.
 * Call `finish()` when the stream ends to detect a truncated last record.
 *
 * A record that lies wholly inside one chunk is returned as a view into that chunk (no copy); do not mutate
 * chunks after pushing them. After a framing error the decoder stays failed and rethrows on every call.
 */
export class RecordIODecoder {
  private readonly maxRecordBytes: number;
  // Header state: the length digits seen so far (as a number, bounded by maxRecordBytes) and their count.
  private length = 0;
  private digits = 0;
  // Payload state: the record being assembled across chunks, and how many of its bytes are filled.
  private record: Uint8Array | undefined;
  private filled = 0;
  private failure: WireError | undefined;

  constructor(options: RecordIODecoderOptions = {}) {
    this.maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  }

  /** True when the decoder sits between records (nothing buffered). */
  get idle(): boolean {
    return this.record === undefined && this.digits === 0;
  }

  push(chunk: Uint8Array): Uint8Array[] {
    if (this.failure) throw this.failure;
    const records: Uint8Array[] = [];
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.record !== undefined) {
        // Filling a record that started in an earlier chunk.
        const take = Math.min(this.record.length - this.filled, n - i);
        this.record.set(chunk.subarray(i, i + take), this.filled);
        this.filled += take;
        i += take;
        if (this.filled === this.record.length) {
          records.push(this.record);
          this.record = undefined;
        }
        continue;
      }
      const byte = chunk[i++]!;
      if (byte !== NEWLINE) {
        this.addDigit(byte);
        continue;
      }
      const length = this.endHeader();
      if (n - i >= length) {
        records.push(chunk.subarray(i, i + length));
        i += length;
      } else {
        this.record = new Uint8Array(length);
        this.filled = 0;
      }
    }
    return records;
  }

  /** Declares the end of the stream; throws MALFORMED_RECORDIO when it ends inside a record. */
  finish(): void {
    if (this.failure) throw this.failure;
    if (this.record !== undefined) {
      this.fail(`stream ended inside a record: got ${this.filled} of ${this.record.length} bytes`);
    }
    if (this.digits > 0) this.fail('stream ended inside a record length header');
  }

  private addDigit(byte: number): void {
    if (byte < ZERO || byte > NINE) {
      this.fail(`record length must be decimal digits followed by "\\n", found byte 0x${byte.toString(16).padStart(2, '0')}`);
    }
    this.length = this.length * 10 + (byte - ZERO);
    this.digits++;
    if (this.length > this.maxRecordBytes) {
      this.fail(`record length exceeds the limit of ${this.maxRecordBytes} bytes (maxRecordBytes)`);
    }
  }

  private endHeader(): number {
    if (this.digits === 0) this.fail('record length header is empty');
    if (this.length === 0) this.fail('record length is 0; RecordIO records are never empty');
    const length = this.length;
    this.length = 0;
    this.digits = 0;
    return length;
  }

  private fail(message: string): never {
    this.failure = new WireError('MALFORMED_RECORDIO', `malformed RecordIO stream: ${message}`);
    throw this.failure;
  }
}
