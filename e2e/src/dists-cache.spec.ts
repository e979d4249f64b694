// The dists tool's cache check (e2e/dists verify()): an entry is trusted only when every file matches the
// sha256 its manifest recorded and the recipe revision is the current one; anything else names the problem,
// so ensureDistribution() assembles the entry again. Then the real cached Kafka entry verifies in seconds.
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheRoot, ensureDistribution, recipeFor, verify } from '../dists/index.js';

const scratch: string[] = [];
afterEach(() => scratch.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A cache entry of two files with a manifest of revision 3, as assemble() writes it. */
function entry(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dists-entry-'));
  scratch.push(dir);
  const files: Record<string, string> = {};
  for (const [rel, body] of [['top/libs/a.jar', 'jar bytes'], ['top.tgz', 'tarball bytes']] as const) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), body);
    files[rel] = createHash('sha256').update(body).digest('hex');
  }
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ product: 'x', version: '1', revision: 3, assembledAt: '', assembleSeconds: 1, files }));
  return dir;
}

describe('dists cache verification', () => {
  it.each([
    { damage: 'none', act: (_d: string) => undefined, revision: 3, problem: undefined },
    { damage: 'a jar changed', act: (d: string) => appendFileSync(path.join(d, 'top/libs/a.jar'), 'x'), revision: 3, problem: 'top/libs/a.jar differs from its recorded sha256' },
    { damage: 'a jar removed', act: (d: string) => unlinkSync(path.join(d, 'top/libs/a.jar')), revision: 3, problem: '1 files, the manifest lists 2' },
    { damage: 'a file added', act: (d: string) => writeFileSync(path.join(d, 'top/libs/b.jar'), 'b'), revision: 3, problem: '3 files, the manifest lists 2' },
    { damage: 'manifest removed', act: (d: string) => unlinkSync(path.join(d, 'manifest.json')), revision: 3, problem: 'no manifest.json' },
    { damage: 'none, newer recipe', act: (_d: string) => undefined, revision: 4, problem: 'assembled by recipe revision 3, the recipe is now at 4' },
  ])('$damage -> $problem', async ({ act, revision, problem }) => {
    const dir = entry();
    act(dir);
    expect(await verify(dir, revision)).toBe(problem);
  });

  it('the cached Kafka 4 entry verifies against its manifest and is laid out like the upstream tarball', async () => {
    const dist = await ensureDistribution('kafka', '4.1.1');
    const started = Date.now();
    expect(await verify(path.join(cacheRoot(), 'kafka-4.1.1'), recipeFor('kafka').revision)).toBeUndefined();
    const seconds = (Date.now() - started) / 1000;
    expect(path.basename(dist.tarball)).toBe('kafka_2.13-4.1.1.tgz');
    expect(readFileSync(path.join(dist.dir, 'bin', 'kafka-server-start.sh'), 'utf8')).toMatch(/kafka\.Kafka/);
    console.log(`dists: kafka 4.1.1 cache verified in ${seconds.toFixed(1)} s`);
  }, 600_000);
});
