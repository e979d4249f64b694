import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileRegistryStore } from './file-registry-store.js';
import { Registry } from './registry.js';
import { InMemoryRegistryStore, type RegistryDocument } from './registry-store.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
const tempDir = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), 'master-registry-'));
  dirs.push(d);
  return d;
};

const doc: RegistryDocument = {
  agents: [{ info: { hostname: 'h1', id: { value: 'a1' }, port: 5051, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 2 } }] }, checkpointed: [] }],
  goneAgents: ['a0'],
  weights: [{ role: 'web', weight: 2 }],
  quotas: [{ role: 'web', guarantees: { cpus: { value: 1 } } }],
  frameworks: [{ user: 'u', name: 'fw', id: { value: 'f1' }, failover_timeout: 60, labels: { labels: [{ key: 'k', value: 'v' }] } }],
};

describe('FileRegistryStore', () => {
  it('starts empty, round-trips a document, and leaves no temp file', async () => {
    const dir = await tempDir();
    const store = new FileRegistryStore(dir);
    expect((await store.load()).agents).toEqual([]);
    await store.save(doc);
    expect(await new FileRegistryStore(dir).load()).toEqual(doc);
    expect(await readdir(dir)).toEqual(['registry.json']);
  });

  it('reports a corrupt file with a typed error saying what to do', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'registry.json'), '{"version":1,"agents":[');
    await expect(new FileRegistryStore(dir).load()).rejects.toMatchObject({ code: 'REGISTRY_FAILED', message: expect.stringContaining('corrupt') });
  });
});

describe('Registry group commit', () => {
  it('batches changes made while a save is in flight', async () => {
    const store = new InMemoryRegistryStore();
    const registry = new Registry(store);
    await registry.recover();
    const all = Array.from({ length: 50 }, (_, i) => registry.mutate((d) => d.goneAgents.push(`a${i}`)));
    await Promise.all(all);
    expect(registry.saves).toBeLessThanOrEqual(2);
    expect((await store.load()).goneAgents).toHaveLength(50);
    await registry.mutate((d) => d.goneAgents.push('last'));
    expect((await store.load()).goneAgents).toContain('last');
  });
});

describe('Registry failures', () => {
  it('turns a store failure into a retriable REGISTRY_FAILED error and recovers on the next save', async () => {
    const store = new InMemoryRegistryStore();
    let fail = true;
    const save = store.save.bind(store);
    store.save = (d) => (fail ? Promise.reject(new Error('disk full')) : save(d));
    const registry = new Registry(store);
    await registry.recover();
    await expect(registry.mutate((d) => d.goneAgents.push('a'))).rejects.toMatchObject({ code: 'REGISTRY_FAILED', retriable: true, status: 503 });
    fail = false;
    await registry.mutate((d) => d.goneAgents.push('b'));
    expect((await store.load()).goneAgents).toEqual(['a', 'b']);
  });
});
