// ensureDistribution(): a real product distribution assembled from package registries, cached. The first call
// assembles it into a temporary directory, packs the upstream-style tarball, smoke-starts it, writes a manifest
// of every file's sha256 and renames the whole directory into place (so a cache entry is complete or absent).
// Later calls verify the manifest (seconds) and return at once. One assembler at a time per entry (a lock file).
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Recipe } from './recipe.js';
import { mavenResolve, missingPrerequisites, pipDownload, run } from './registries.js';
import { RECIPES } from './products/index.js';

export type { Recipe } from './recipe.js';
export { RECIPES } from './products/index.js';

export interface Distribution {
  product: string;
  version: string;
  /** The unpacked distribution (bin/, lib/ or libs/, conf/ or config/). */
  dir: string;
  /** The same packed as upstream packs it: <topDir>.tgz with <topDir>/ inside. */
  tarball: string;
}

export interface EnsureOptions {
  /** Re-run the smoke start on a cached distribution too. */
  smoke?: boolean;
  log?: (message: string) => void;
}

interface Manifest {
  product: string;
  version: string;
  revision: number;
  assembledAt: string;
  assembleSeconds: number;
  files: Record<string, string>;
}

export function cacheRoot(): string {
  return process.env.MESOS_TS_DIST_CACHE ?? path.join(os.homedir(), '.cache', 'mesos-ts', 'dists');
}

export function recipeFor(product: string): Recipe {
  const recipe = RECIPES[product];
  if (!recipe) throw new Error(`unknown product '${product}'; known: ${Object.keys(RECIPES).join(', ')}`);
  return recipe;
}

export async function ensureDistribution(product: string, version?: string, options: EnsureOptions = {}): Promise<Distribution> {
  const recipe = recipeFor(product);
  const v = version ?? recipe.defaultVersion;
  if (!recipe.versions.includes(v)) throw new Error(`${product} ${v} is not a version the tool assembles; known: ${recipe.versions.join(', ')}`);
  const log = options.log ?? (() => undefined);
  const entry = path.join(cacheRoot(), `${product}-${v}`);
  const dist: Distribution = { product, version: v, dir: path.join(entry, recipe.topDir(v)), tarball: path.join(entry, `${recipe.topDir(v)}.tgz`) };
  mkdirSync(cacheRoot(), { recursive: true });
  const unlock = await lock(`${entry}.lock`, log);
  try {
    if (existsSync(entry)) {
      const problem = await verify(entry, recipe.revision);
      if (problem === undefined) {
        if (options.smoke) await recipe.smoke(dist.dir, { log });
        return dist;
      }
      log(`${product} ${v}: cached copy is damaged (${problem}); assembling again`);
      rmSync(entry, { recursive: true, force: true });
    }
    await assemble(recipe, v, entry, log);
    return dist;
  } finally {
    await unlock();
  }
}

/** Checks a cache entry against its manifest and the recipe's revision; the first problem, or undefined when it is intact. */
export async function verify(entry: string, revision: number): Promise<string | undefined> {
  const manifestFile = path.join(entry, 'manifest.json');
  if (!existsSync(manifestFile)) return 'no manifest.json';
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  if (manifest.revision !== revision) return `assembled by recipe revision ${manifest.revision}, the recipe is now at ${revision}`;
  const actual = listFiles(entry).filter((f) => f !== 'manifest.json');
  const expected = Object.keys(manifest.files);
  if (actual.length !== expected.length) return `${actual.length} files, the manifest lists ${expected.length}`;
  for (const file of expected) {
    if (!existsSync(path.join(entry, file))) return `${file} is missing`;
    if ((await sha256(path.join(entry, file))) !== manifest.files[file]) return `${file} differs from its recorded sha256`;
  }
  return undefined;
}

/** Cache entries present: product, version and the manifest's assembly time. */
export function listCached(): Array<{ product: string; version: string; assembleSeconds: number; sizeMiB: number }> {
  if (!existsSync(cacheRoot())) return [];
  return readdirSync(cacheRoot())
    .filter((d) => existsSync(path.join(cacheRoot(), d, 'manifest.json')))
    .map((d) => {
      const m = JSON.parse(readFileSync(path.join(cacheRoot(), d, 'manifest.json'), 'utf8')) as Manifest;
      const bytes = listFiles(path.join(cacheRoot(), d)).reduce((s, f) => s + statSync(path.join(cacheRoot(), d, f)).size, 0);
      return { product: m.product, version: m.version, assembleSeconds: m.assembleSeconds, sizeMiB: bytes / 2 ** 20 };
    });
}

async function assemble(recipe: Recipe, version: string, entry: string, log: (m: string) => void): Promise<void> {
  const missing = missingPrerequisites();
  if (missing.length > 0) throw new Error(`cannot assemble ${recipe.product} ${version}: missing ${missing.join(', ')}`);
  const started = Date.now();
  const building = `${entry}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const topDir = recipe.topDir(version);
  const outDir = path.join(building, topDir);
  const workDir = path.join(building, '.work');
  mkdirSync(outDir, { recursive: true });
  mkdirSync(workDir, { recursive: true });
  try {
    log(`${recipe.product} ${version}: assembling from the registries into ${outDir}`);
    await recipe.assemble({
      version,
      outDir,
      workDir,
      maven: (coords, opts) => {
        log(`${recipe.product} ${version}: resolving ${coords.join(' ')} from Maven Central`);
        return mavenResolve(coords, path.join(workDir, `jars-${Date.now()}`), workDir, opts?.excludes);
      },
      pip: (spec) => {
        log(`${recipe.product} ${version}: downloading ${spec} from PyPI`);
        return pipDownload(spec, workDir);
      },
      log,
    });
    rmSync(workDir, { recursive: true, force: true });
    log(`${recipe.product} ${version}: smoke start`);
    await recipe.smoke(outDir, { log });
    // The smoke run may leave logs and data inside the distribution; recipes point them elsewhere, this is the net.
    rmSync(path.join(outDir, 'logs'), { recursive: true, force: true });
    mkdirSync(path.join(outDir, 'logs'));
    await run('tar', ['-C', building, '-czf', path.join(building, `${topDir}.tgz`), topDir]);
    const files: Record<string, string> = {};
    for (const f of listFiles(building)) files[f] = await sha256(path.join(building, f));
    const manifest: Manifest = { product: recipe.product, version, revision: recipe.revision, assembledAt: new Date().toISOString(), assembleSeconds: (Date.now() - started) / 1000, files };
    writeFileSync(path.join(building, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
    renameSync(building, entry);
    log(`${recipe.product} ${version}: ready in ${manifest.assembleSeconds.toFixed(0)} s (${Object.keys(files).length} files)`);
  } catch (e) {
    rmSync(building, { recursive: true, force: true });
    throw e;
  }
}

/** Relative paths of the regular files under `root` (symlinks are recorded as files they point to). */
function listFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) out.push(...listFiles(root, r));
    else out.push(r);
  }
  return out.sort();
}

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (d) => hash.update(d))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** An exclusive lock file holding our pid; a lock whose holder is gone is taken over. */
async function lock(file: string, log: (m: string) => void): Promise<() => Promise<void>> {
  let told = false;
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (!Number.isInteger(holder) || holder <= 0 || !alive(holder)) {
        rmSync(file, { force: true });
        continue;
      }
      if (!told) log(`waiting for process ${holder}, which is assembling the same distribution`);
      told = true;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
