// /files/browse, /files/read and /files/download, restricted to sandboxes and persistent volumes: a path
// with a '..' segment is refused, and the real path (symlinks resolved) must lie under work_dir/slaves or
// work_dir/volumes, so neither a task's symlink nor an absolute path reaches anything else.
import { createReadStream, promises as fs, type Stats } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { HttpError, sendJson } from './http-util.js';

/** The largest /files/read chunk, in bytes (upstream's pagesize-based default is similar). */
export const MAX_READ_BYTES = 4 * 1024 * 1024;

export class FileAccess {
  constructor(private readonly roots: readonly string[]) {}

  /** The real path of `requested`, or an HttpError (400 bad, 404 missing, 403 outside the roots). */
  async resolve(requested: string | null): Promise<string> {
    if (requested === null || requested === '') throw new HttpError(400, "Missing 'path' query parameter (e.g. ?path=<sandbox directory from /state>)");
    if (requested.includes('\0')) throw new HttpError(400, "'path' must not contain NUL bytes");
    if (!path.isAbsolute(requested)) throw new HttpError(400, `'path' must be absolute (a sandbox 'directory' from /state), got '${requested}'`);
    if (requested.split('/').includes('..')) throw new HttpError(403, `'path' must not contain '..' segments: '${requested}'`);
    let real: string;
    try {
      real = await fs.realpath(requested);
    } catch {
      throw new HttpError(404, `No such file or directory: '${requested}'`);
    }
    for (const root of this.roots) {
      let realRoot: string;
      try {
        realRoot = await fs.realpath(root);
      } catch {
        continue;
      }
      if (real === realRoot || real.startsWith(`${realRoot}/`)) return real;
    }
    throw new HttpError(403, `'${requested}' is outside the sandboxes and persistent volumes this agent serves`);
  }

  async browse(requested: string | null, res: ServerResponse): Promise<void> {
    const real = await this.resolve(requested);
    const st = await fs.stat(real);
    if (!st.isDirectory()) throw new HttpError(400, `'${requested}' is not a directory; use /files/read or /files/download`);
    const out: unknown[] = [];
    for (const name of (await fs.readdir(real)).sort()) {
      const entry = path.join(requested!, name);
      try {
        out.push(fileInfo(entry, await fs.lstat(path.join(real, name))));
      } catch {
        // vanished while listing
      }
    }
    sendJson(res, 200, out);
  }

  async read(requested: string | null, offsetText: string | null, lengthText: string | null, res: ServerResponse): Promise<void> {
    const real = await this.resolve(requested);
    const st = await fs.stat(real);
    if (st.isDirectory()) throw new HttpError(400, `'${requested}' is a directory; use /files/browse`);
    const offset = offsetText === null ? -1 : Number(offsetText);
    const length = lengthText === null ? MAX_READ_BYTES : Number(lengthText);
    if (!Number.isInteger(offset) || offset < -1) throw new HttpError(400, `'offset' must be an integer >= -1, got '${offsetText}'`);
    if (!Number.isInteger(length) || length < 0) throw new HttpError(400, `'length' must be a non-negative integer, got '${lengthText}'`);
    // offset -1 asks for the file's size only (how `mesos tail` starts).
    if (offset === -1) {
      sendJson(res, 200, { data: '', offset: st.size });
      return;
    }
    const want = Math.min(length, MAX_READ_BYTES, Math.max(0, st.size - offset));
    const buf = Buffer.alloc(want);
    const handle = await fs.open(real, 'r');
    try {
      const { bytesRead } = await handle.read(buf, 0, want, offset);
      sendJson(res, 200, { data: buf.subarray(0, bytesRead).toString('utf8'), offset });
    } finally {
      await handle.close();
    }
  }

  async download(requested: string | null, res: ServerResponse): Promise<void> {
    const real = await this.resolve(requested);
    const st = await fs.stat(real);
    if (st.isDirectory()) throw new HttpError(400, `'${requested}' is a directory; download files one at a time`);
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': st.size,
      'Content-Disposition': `attachment; filename="${path.basename(real).replace(/"/g, '')}"`,
    });
    await new Promise<void>((resolve, reject) => {
      createReadStream(real).on('error', reject).on('end', resolve).pipe(res);
    });
  }
}

function fileInfo(p: string, st: Stats): Record<string, unknown> {
  return { path: p, nlink: st.nlink, size: st.size, mtime: Math.floor(st.mtimeMs / 1000), mode: modeString(st), uid: String(st.uid), gid: String(st.gid) };
}

/** `ls -l` style mode, as upstream's /files/browse reports it. */
export function modeString(st: Pick<Stats, 'mode' | 'isDirectory' | 'isSymbolicLink'>): string {
  const type = st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : '-';
  const bits = 'rwxrwxrwx';
  let out = type;
  for (let i = 0; i < 9; i++) out += st.mode & (1 << (8 - i)) ? bits[i] : '-';
  return out;
}
