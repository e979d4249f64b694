// Moves bytes from a source to a local file: HTTP(S) GET with redirects, or a local copy.
// The caller passes a temporary path and renames it into place, so nobody sees a partial file.
import { createWriteStream } from 'node:fs';
import { copyFile, stat } from 'node:fs/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { defaultClientTls, type TlsConfig } from '@mesos-ts/wire';
import { FetchStepError } from './fetch-error.js';
import type { FetchSource } from './uri.js';

/** Redirects followed before giving up (curl's default in upstream's fetcher is unbounded; loops must end). */
export const MAX_REDIRECTS = 10;
/** A download that receives nothing for this long fails instead of holding the task forever. */
export const IDLE_TIMEOUT_MS = 60_000;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Writes the source's bytes to `dest` and returns how many were written. */
export async function download(source: FetchSource, dest: string, signal?: AbortSignal): Promise<number> {
  if (source.kind === 'file') return copyLocal(source.path, dest, signal);
  return httpDownload(source.url, dest, signal);
}

async function copyLocal(path: string, dest: string, signal?: AbortSignal): Promise<number> {
  signal?.throwIfAborted();
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new FetchStepError(describeFsError(err, path));
  }
  if (!info.isFile()) throw new FetchStepError(`'${path}' is not a regular file`);
  try {
    await copyFile(path, dest);
  } catch (err) {
    throw new FetchStepError(describeFsError(err, path));
  }
  return info.size;
}

async function httpDownload(start: URL, dest: string, signal?: AbortSignal): Promise<number> {
  let url = start;
  for (let redirects = 0; ; redirects++) {
    const res = await get(url, signal);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (REDIRECT_STATUSES.has(status) && location !== undefined) {
      res.resume();
      if (redirects >= MAX_REDIRECTS) throw new FetchStepError(`more than ${MAX_REDIRECTS} redirects`);
      url = new URL(location, url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new FetchStepError(`redirected to unsupported URL '${url.href}'`);
      }
      continue;
    }
    if (status < 200 || status > 299) {
      res.resume();
      const where = url.href === start.href ? '' : ` (after redirect to ${url.href})`;
      throw new FetchStepError(`HTTP ${status} ${res.statusMessage ?? ''}`.trimEnd() + where);
    }
    return saveBody(res, dest, signal);
  }
}

function get(url: URL, signal?: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const req = (secure ? https : http).get(url, { signal, headers: { 'user-agent': 'mesos-ts-fetcher' }, ...(secure ? trusted(defaultClientTls()) : {}) }, resolve);
    req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy(new Error(`no data for ${IDLE_TIMEOUT_MS / 1000} s`)));
    req.on('error', (err) => reject(new FetchStepError(signal?.aborted ? 'aborted' : err.message)));
  });
}

let trust: { tls: TlsConfig; ca: Array<string | Buffer> } | undefined;

/**
 * HTTPS downloads trust the system's CAs plus LIBPROCESS_SSL_CA_FILE when TLS is on: a framework API serving its
 * executor with a certificate of the cluster's own CA is fetched as well as a public mirror (Maven Central).
 * Certificates are always verified.
 */
function trusted(tls: TlsConfig | undefined): { ca?: Array<string | Buffer> } {
  if (tls?.ca === undefined) return {};
  if (trust?.tls !== tls) trust = { tls, ca: [...rootCertificates, tls.ca] };
  return { ca: trust.ca };
}

async function saveBody(res: IncomingMessage, dest: string, signal?: AbortSignal): Promise<number> {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(res, counter, createWriteStream(dest), { signal });
  } catch (err) {
    throw new FetchStepError(signal?.aborted ? 'aborted' : `download broke off: ${(err as Error).message}`);
  }
  const expected = res.headers['content-length'];
  if (expected !== undefined && Number(expected) !== bytes) {
    throw new FetchStepError(`download broke off after ${bytes} of ${expected} bytes`);
  }
  return bytes;
}

function describeFsError(err: unknown, path: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `no such file '${path}'`;
  if (code === 'EACCES') return `permission denied reading '${path}'`;
  return (err as Error).message;
}
