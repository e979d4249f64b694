// The registry as one JSON file under --work_dir, replaced atomically (write temp, fsync, rename, fsync dir),
// so a kill -9 at any point leaves either the old or the new document. Protobuf messages inside are stored in
// Mesos' JSON mapping (registry-json.ts, shared with the ZooKeeper registry).
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { MasterError } from '../core/errors.js';
import { decodeRegistry, encodeRegistry } from './registry-json.js';
import { emptyRegistry, type RegistryDocument, type RegistryStore } from './registry-store.js';

const FILE = 'registry.json';

export class FileRegistryStore implements RegistryStore {
  private readonly path: string;
  constructor(private readonly dir: string) {
    this.path = join(dir, FILE);
  }

  async load(): Promise<RegistryDocument> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyRegistry();
      throw new MasterError('REGISTRY_FAILED', `cannot read the registry ${this.path}: ${(e as Error).message}`, { cause: e });
    }
    try {
      return decodeRegistry(text);
    } catch (e) {
      throw new MasterError('REGISTRY_FAILED', `the registry ${this.path} is corrupt (${(e as Error).message}); restore it from a backup or move it away to start empty`, { cause: e });
    }
  }

  save(doc: RegistryDocument): Promise<void> {
    // Serialized now, before any await: the caller keeps mutating `doc`.
    return this.write(encodeRegistry(doc));
  }

  private async write(text: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.path}.tmp`;
    const file = await open(tmp, 'w');
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, this.path);
    const dir = await open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
