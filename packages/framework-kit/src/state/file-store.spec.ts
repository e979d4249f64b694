import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isKitError } from '../errors.js';
import { FileStateStore } from './file-store.js';
import { parseStorage } from './parse-storage.js';
import { MUST_NOT_EXIST, clearFrameworkId, loadFrameworkId, saveFrameworkId } from './state-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fk-file-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileStateStore', () => {
  it('stores JSON by key with versions, atomically, and reads it back after a restart', async () => {
    const file = path.join(dir, 'kafka-mesos.json');
    const store = await parseStorage(`file:${file}`);
    expect(store.description).toBe(`file:${file}`);
    expect(await store.get('brokers')).toBeUndefined();
    expect(await store.put('brokers', [{ id: 0 }])).toBe(0);
    expect(await store.put('brokers', [{ id: 0 }, { id: 1 }])).toBe(1);
    expect(await store.put('topics', { t0: 1 }, MUST_NOT_EXIST)).toBe(0);
    expect(await store.keys()).toEqual(['brokers', 'topics']);
    await store.close();

    const again = new FileStateStore(file);
    expect(await again.get('brokers')).toEqual({ value: [{ id: 0 }, { id: 1 }], version: 1 });
    // No temp files are left behind.
    expect(await readdir(dir)).toEqual(['kafka-mesos.json']);
    expect(JSON.parse(await readFile(file, 'utf8')).format).toBe(1);
  });

  it.each([
    ['put at a stale version', (s: FileStateStore) => s.put('k', 3, 0)],
    ['create over an existing key', (s: FileStateStore) => s.put('k', 3, MUST_NOT_EXIST)],
    ['put to a missing key at a version', (s: FileStateStore) => s.put('missing', 3, 0)],
    ['delete at a stale version', (s: FileStateStore) => s.delete('k', 0)],
  ])('refuses to %s (VERSION_CONFLICT)', async (_, op) => {
    const store = new FileStateStore(path.join(dir, 's.json'));
    await store.put('k', 1);
    await store.put('k', 2);
    await expect(op(store)).rejects.toSatisfy((e) => isKitError(e, 'VERSION_CONFLICT'));
    expect(await store.get('k')).toEqual({ value: 2, version: 1 });
  });

  it('deletes', async () => {
    const store = new FileStateStore(path.join(dir, 's.json'));
    await store.put('k', 1);
    expect(await store.delete('k', 0)).toBe(true);
    expect(await store.delete('k')).toBe(false);
    expect(await store.get('k')).toBeUndefined();
  });

  it('serialises concurrent writers in one process (no lost update)', async () => {
    const store = new FileStateStore(path.join(dir, 's.json'));
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.put(`k${i}`, i)));
    expect((await store.keys()).length).toBe(20);
    expect((await store.get('k7'))?.value).toBe(7);
  });

  it('leaves a corrupt file untouched and says so', async () => {
    const file = path.join(dir, 's.json');
    await writeFile(file, '{"format":1,"entries":');
    const store = new FileStateStore(file);
    await expect(store.put('k', 1)).rejects.toSatisfy((e) => isKitError(e, 'CORRUPT_STATE') && (e as Error).message.includes('not valid JSON'));
    expect(await readFile(file, 'utf8')).toBe('{"format":1,"entries":');
  });

  it.each(['', '../x', 'a/b', '.hidden', 'a b'])('rejects key %j', async (key) => {
    const store = new FileStateStore(path.join(dir, 's.json'));
    await expect(store.put(key, 1)).rejects.toSatisfy((e) => isKitError(e, 'INVALID_STORAGE'));
  });

  it('rejects values that are not JSON', async () => {
    const store = new FileStateStore(path.join(dir, 's.json'));
    await expect(store.put('k', undefined)).rejects.toSatisfy((e) => isKitError(e, 'INVALID_STORAGE'));
    await expect(store.put('k', { n: 1n })).rejects.toSatisfy((e) => isKitError(e, 'INVALID_STORAGE'));
  });

  it('reports an unwritable location', async () => {
    const store = new FileStateStore(path.join(dir, 'no-such-dir', 's.json'));
    await expect(store.put('k', 1)).rejects.toSatisfy((e) => isKitError(e, 'STORE_UNAVAILABLE'));
  });
});

describe('framework id persistence', () => {
  it('saves, loads and clears the framework id', async () => {
    const store = new FileStateStore(path.join(dir, 's.json'));
    expect(await loadFrameworkId(store)).toBeUndefined();
    await saveFrameworkId(store, 'fw-1');
    await saveFrameworkId(store, 'fw-1');
    expect(await store.get('framework-id')).toEqual({ value: { id: 'fw-1' }, version: 0 });
    expect(await loadFrameworkId(new FileStateStore(path.join(dir, 's.json')))).toBe('fw-1');
    await clearFrameworkId(store);
    expect(await loadFrameworkId(store)).toBeUndefined();
    await store.put('framework-id', 'oops');
    await expect(loadFrameworkId(store)).rejects.toSatisfy((e) => isKitError(e, 'CORRUPT_STATE'));
  });
});
