// Pure parsing of CommandInfo.URI values and of where their result lands in the sandbox.
// Supported sources: http:// and https:// URLs, file:// URLs and plain absolute paths (as upstream's
// fetcher, minus Hadoop schemes). Every rejection is a FetchStepError saying what to send instead.
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FetchStepError } from './fetch-error.js';

export type FetchSource = { kind: 'http'; url: URL } | { kind: 'file'; path: string };

export function parseSource(value: string): FetchSource {
  if (value.startsWith('/')) return { kind: 'file', path: posix.normalize(value) };
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    throw new FetchStepError('not an absolute path or URL; use http://, https://, file:// or an absolute path');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new FetchStepError('malformed URL');
  }
  if (scheme === 'http' || scheme === 'https') return { kind: 'http', url };
  if (scheme === 'file') {
    if (url.host !== '' && url.host !== 'localhost') {
      throw new FetchStepError(`file:// URLs must name a local file (got host '${url.host}')`);
    }
    return { kind: 'file', path: fileURLToPath(url) };
  }
  throw new FetchStepError(`unsupported scheme '${scheme}:'; use http://, https://, file:// or an absolute path`);
}

/** The last path segment of the source: the default file name in the sandbox (as upstream). */
export function sourceBasename(source: FetchSource): string {
  const path = source.kind === 'http' ? decodeURIComponent(source.url.pathname) : source.path;
  const name = posix.basename(path);
  if (name === '' || name === '.' || name === '..' || name === '/') {
    throw new FetchStepError('the URI has no file name; set output_file to name the result');
  }
  return name;
}

/**
 * The sandbox-relative path of the fetched file: `output_file` when given, else the source's basename.
 * Must stay inside the sandbox: no absolute paths, no `..` segments.
 */
export function destinationName(source: FetchSource, outputFile: string | undefined): string {
  if (outputFile === undefined || outputFile === '') return sourceBasename(source);
  const problem = relativePathProblem(outputFile);
  if (problem !== undefined) throw new FetchStepError(`output_file '${outputFile}' ${problem}`);
  const normalized = posix.normalize(outputFile);
  if (normalized.endsWith('/') || normalized === '.') {
    throw new FetchStepError(`output_file '${outputFile}' names a directory; give a file name`);
  }
  return normalized;
}

/** Why `path` could land outside the directory it is relative to, or undefined when it cannot. */
export function relativePathProblem(path: string): string | undefined {
  if (path.startsWith('/')) return 'is absolute; give a path relative to the sandbox';
  if (path.includes('\0')) return 'contains a NUL byte';
  if (path.split('/').includes('..')) return "contains '..'; it must stay inside the sandbox";
  return undefined;
}
