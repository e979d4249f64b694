// Durable files: every checkpoint is written to a temp file, fsynced, then renamed over the old one, so a
// kill -9 at any point leaves either the old or the new content, never a torn file.
import { promises as fs, openSync, writeSync, fsyncSync, closeSync, renameSync, mkdirSync } from 'node:fs';
import path from 'node:path';

let tmpSeq = 0;

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${++tmpSeq}`;
  const handle = await openCreatingDir(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, file);
}

/** Synchronous twin for the few places (process exit paths) that cannot await. */
export function writeFileAtomicSync(file: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${++tmpSeq}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** The file's text, or undefined when it does not exist. */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * An append-only log of lines (a status update stream). The descriptor stays open between appends, as long as
 * the owner keeps appending (opening, and making sure of the directory, cost more than the write itself), and is
 * closed by close(); the next append reopens it. A torn last line from a crash mid-append is the reader's to skip;
 * the first append after each open starts with a newline, so a record can never be glued onto a torn one (readers
 * skip blank lines). Callers serialize append() and close().
 */
export class AppendLog {
  private handle: fs.FileHandle | undefined;

  constructor(readonly file: string) {}

  /** Appends `line`; with `sync`, it is on disk (fsync) when the promise resolves. */
  async append(line: string, sync: boolean): Promise<void> {
    let lead = '';
    if (!this.handle) {
      this.handle = await openCreatingDir(this.file, 'a');
      lead = '\n';
    }
    await this.handle.write(`${lead}${line}\n`);
    if (sync) await this.handle.sync();
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }
}

/** Opens `file`, creating its directory first only when it is missing (the usual case is that it exists). */
async function openCreatingDir(file: string, flags: 'a' | 'w'): Promise<fs.FileHandle> {
  try {
    return await fs.open(file, flags);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    await fs.mkdir(path.dirname(file), { recursive: true });
    return fs.open(file, flags);
  }
}
