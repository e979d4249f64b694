// /files/browse, /files/read and /files/download, restricted to sandboxes and persistent volumes: a path
// with a '..' segment is refused, and the real path (symlinks resolved) must lie under work_dir/slaves or
// work_dir/volumes, so neither a task's symlink nor an absolute path reaches anything else. The check is
// made again on the opened handle (O_NOFOLLOW, then /proc/self/fd/N's real path), so a task swapping a
// directory for a symlink between the check and the open still gets nothing. Anything outside is a 404,
// like a missing file: the answer never says what exists on the host.
import { constants, createReadStream, promises as fs, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
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
    if (requested.split('/').includes('..')) throw notFound(requested);
    let real: string;
    try {
      real = await fs.realpath(requested);
    } catch {
      throw notFound(requested);
    }
    if (await this.underRoots(real)) return real;
    throw notFound(requested);
  }

  private async underRoots(real: string): Promise<boolean> {
    for (const root of this.roots) {
      const realRoot = await fs.realpath(root).catch(() => null);
      if (realRoot !== null && (real === realRoot || real.startsWith(`${realRoot}/`))) return true;
    }
    return false;
  }

  /** Opens `requested` for reading, checked twice: before the open (resolve) and on the open handle itself. */
  async open(requested: string | null): Promise<{ handle: FileHandle; real: string; st: Stats }> {
    const real = await this.resolve(requested);
    let handle: FileHandle;
    try {
      handle = await fs.open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch {
      throw notFound(requested!);
    }
    try {
      const opened = await fs.readlink(`/proc/self/fd/${handle.fd}`).catch(() => real);
      if (!(await this.underRoots(opened))) throw notFound(requested!);
      const st = await handle.stat();
      if (!st.isFile() && !st.isDirectory()) throw notFound(requested!);
      return { handle, real: opened, st };
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  async browse(requested: string | null, res: ServerResponse): Promise<void> {
    const { handle, st } = await this.open(requested);
    try {
      if (!st.isDirectory()) throw new HttpError(400, `'${requested}' is not a directory; use /files/read or /files/download`);
      // Listed through the open handle, so the directory listed is the one checked.
      const dir = `/proc/self/fd/${handle.fd}`;
      const names = await fs.readdir(dir).catch(() => {
        throw notFound(requested!);
      });
      const out: unknown[] = [];
      for (const name of names.sort()) {
        try {
          out.push(fileInfo(path.join(requested!, name), await fs.lstat(path.join(dir, name))));
        } catch {
          // vanished while listing
        }
      }
      sendJson(res, 200, out);
    } finally {
      await handle.close();
    }
  }

  async read(requested: string | null, offsetText: string | null, lengthText: string | null, res: ServerResponse): Promise<void> {
    const { handle, st } = await this.open(requested);
    try {
      await this.readFrom(handle, st, requested!, offsetText, lengthText, res);
    } finally {
      await handle.close();
    }
  }

  private async readFrom(handle: FileHandle, st: Stats, requested: string, offsetText: string | null, lengthText: string | null, res: ServerResponse): Promise<void> {
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
    const { bytesRead } = await handle.read(buf, 0, want, offset);
    sendJson(res, 200, { data: buf.subarray(0, bytesRead).toString('utf8'), offset });
  }

  async download(requested: string | null, res: ServerResponse): Promise<void> {
    const { handle, real, st } = await this.open(requested);
    if (st.isDirectory()) {
      await handle.close();
      throw new HttpError(400, `'${requested}' is a directory; download files one at a time`);
    }
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': st.size,
      'Content-Disposition': `attachment; filename="${path.basename(real).replace(/"/g, '')}"`,
    });
    await new Promise<void>((resolve, reject) => {
      // The stream reads the checked handle and closes it when done.
      createReadStream('', { fd: handle, autoClose: true }).on('error', reject).on('end', resolve).pipe(res);
    });
  }
}

function notFound(requested: string): HttpError {
  return new HttpError(404, `No such file or directory: '${requested}'`);
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
