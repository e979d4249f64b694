// `file:path.json`: every key in one JSON file `{"format":1,"entries":{key:{version,value}}}`, rewritten
// atomically (temp file, fsync, rename, fsync of the directory) so a crash leaves the old or the new file,
// never a torn one. Operations of one process are serialised; one process should own the file.
import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { KitError } from '../errors.js';
import { MUST_NOT_EXIST, conflict, validateKey, type StateStore, type Versioned } from './state-store.js';

interface FileState {
  format: 1;
  entries: Record<string, { version: number; value: unknown }>;
}

export class FileStateStore implements StateStore {
  readonly description: string;
  private readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    this.file = path.resolve(file);
    this.description = `file:${this.file}`;
  }

  async get<T = unknown>(key: string): Promise<Versioned<T> | undefined> {
    validateKey(key);
    return this.serial(async () => {
      const entry = (await this.read()).entries[key];
      return entry === undefined ? undefined : { value: entry.value as T, version: entry.version };
    });
  }

  async put(key: string, value: unknown, expectedVersion?: number): Promise<number> {
    validateKey(key);
    const json = serialise(this.description, key, value);
    return this.serial(async () => {
      const state = await this.read();
      const current = state.entries[key];
      if (expectedVersion !== undefined && (current?.version ?? MUST_NOT_EXIST) !== expectedVersion) {
        throw conflict(this.description, key, expectedVersion, current?.version);
      }
      const version = current === undefined ? 0 : current.version + 1;
      state.entries[key] = { version, value: JSON.parse(json) };
      await this.write(state);
      return version;
    });
  }

  async delete(key: string, expectedVersion?: number): Promise<boolean> {
    validateKey(key);
    return this.serial(async () => {
      const state = await this.read();
      const current = state.entries[key];
      if (expectedVersion !== undefined && current?.version !== expectedVersion) throw conflict(this.description, key, expectedVersion, current?.version);
      if (current === undefined) return false;
      delete state.entries[key];
      await this.write(state);
      return true;
    });
  }

  keys(): Promise<string[]> {
    return this.serial(async () => Object.keys((await this.read()).entries).sort());
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async read(): Promise<FileState> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { format: 1, entries: {} };
      throw new KitError('STORE_UNAVAILABLE', `${this.description}: cannot read: ${(e as Error).message}`, { cause: e });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw corrupt(this.description, `not valid JSON (${(e as Error).message})`);
    }
    const entries = (parsed as FileState | null)?.entries;
    if ((parsed as FileState | null)?.format !== 1 || typeof entries !== 'object' || entries === null) {
      throw corrupt(this.description, 'expected {"format":1,"entries":{…}}');
    }
    return { format: 1, entries: { ...entries } };
  }

  private async write(state: FileState): Promise<void> {
    const dir = path.dirname(this.file);
    const temp = path.join(dir, `.${path.basename(this.file)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'w', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
      const dirHandle = await open(dir, 'r');
      try {
        await dirHandle.sync();
      } finally {
        await dirHandle.close();
      }
    } catch (e) {
      await rm(temp, { force: true });
      throw new KitError('STORE_UNAVAILABLE', `${this.description}: cannot write: ${(e as Error).message}`, { cause: e });
    }
  }
}

/** JSON text of a value, or INVALID_STORAGE when it cannot be stored as JSON (undefined, cycles, bigint). */
export function serialise(store: string, key: string, value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (e) {
    throw new KitError('INVALID_STORAGE', `${store}: value for '${key}' is not JSON-serialisable: ${(e as Error).message}`);
  }
  if (json === undefined) throw new KitError('INVALID_STORAGE', `${store}: value for '${key}' is not JSON-serialisable (undefined or a function)`);
  return json;
}

function corrupt(description: string, why: string): KitError {
  return new KitError('CORRUPT_STATE', `${description}: ${why}; fix or move the file away (it is left untouched)`);
}
