// The registry as one JSON file under --work_dir, replaced atomically (write temp, fsync, rename, fsync dir),
// so a kill -9 at any point leaves either the old or the new document. Protobuf messages inside are stored in
// Mesos' JSON mapping (the same codec as the wire), so bytes and 64-bit values survive.
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeJson, encodeJson } from '@mesos-ts/wire';
import { MasterError } from '../core/errors.js';
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
      return fromJson(JSON.parse(text) as StoredDocument);
    } catch (e) {
      throw new MasterError('REGISTRY_FAILED', `the registry ${this.path} is corrupt (${(e as Error).message}); restore it from a backup or move it away to start empty`, { cause: e });
    }
  }

  save(doc: RegistryDocument): Promise<void> {
    // Serialized now, before any await: the caller keeps mutating `doc`.
    return this.write(JSON.stringify(toJson(doc)));
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

interface StoredDocument {
  version: 1;
  agents: { info: unknown; checkpointed: unknown[] }[];
  goneAgents: string[];
  weights: unknown[];
  quotas: unknown[];
  frameworks: unknown[];
}

const enc = (name: Parameters<typeof encodeJson>[0], msg: unknown): unknown => JSON.parse(encodeJson(name, msg as never));

function toJson(doc: RegistryDocument): StoredDocument {
  return {
    version: 1,
    agents: doc.agents.map((a) => ({ info: enc('mesos.v1.AgentInfo', a.info), checkpointed: a.checkpointed.map((r) => enc('mesos.v1.Resource', r)) })),
    goneAgents: doc.goneAgents,
    weights: doc.weights.map((w) => enc('mesos.v1.WeightInfo', w)),
    quotas: doc.quotas.map((q) => enc('mesos.v1.quota.QuotaConfig', q)),
    frameworks: doc.frameworks.map((f) => enc('mesos.v1.FrameworkInfo', f)),
  };
}

function fromJson(s: StoredDocument): RegistryDocument {
  if (s.version !== 1) throw new Error(`unknown registry version ${String(s.version)}`);
  const dec = <N extends Parameters<typeof decodeJson>[0]>(name: N, v: unknown) => decodeJson(name, JSON.stringify(v));
  return {
    agents: s.agents.map((a) => ({ info: dec('mesos.v1.AgentInfo', a.info), checkpointed: a.checkpointed.map((r) => dec('mesos.v1.Resource', r)) })),
    goneAgents: s.goneAgents,
    weights: s.weights.map((w) => dec('mesos.v1.WeightInfo', w)),
    quotas: s.quotas.map((q) => dec('mesos.v1.quota.QuotaConfig', q)),
    frameworks: s.frameworks.map((f) => dec('mesos.v1.FrameworkInfo', f)),
  };
}
