// A framework's executor as a .tgz the scheduler serves, as kafka-mesos and cassandra-mesos serve their own
// executors: the framework package's built code and its runtime dependencies (the node_modules closure, found
// the way Node resolves packages), so an agent on another machine needs only Node on its PATH. The fetcher
// extracts it into the sandbox and the executor command is `node <top>/node_modules/<package>/<bin> executor`.
// Nothing is copied: `tar` streams the listed paths (bundleTarArgs) on each fetch.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

export interface ExecutorBundleSpec {
  /** The framework package, e.g. `@mesos-ts/cassandra`. */
  packageName: string;
  /** Its installed directory (the one holding package.json; a workspace symlink target is fine). */
  packageDir: string;
  /** Top directory inside the archive, and so in the sandbox, e.g. `cassandra-mesos`. */
  top: string;
  /** The executor's entry point relative to the package, e.g. `dist/bin/cassandra-mesos.js`. */
  bin: string;
  /** Arguments after the entry point. Default `executor`. */
  args?: string;
}

export interface ExecutorBundle {
  /** The served file name: `<top>-<hash of the members and the entry point's mtime>.tgz` (safe to cache by URI). */
  name: string;
  /** Directory the member paths are relative to (the one holding `node_modules`). */
  root: string;
  /** Paths under `root`, e.g. `node_modules/cassandra-driver`, `node_modules/@mesos-ts/wire/dist`. */
  members: string[];
  top: string;
  /** The executor command, run by the agent in the sandbox. */
  command: string;
}

/** The bundle of an installed, built framework package; throws saying what to install or build. */
export function executorBundle(spec: ExecutorBundleSpec): ExecutorBundle {
  const real = realpathSync(spec.packageDir);
  const self = lookup(real, spec.packageName, undefined);
  if (self === undefined || realpathSync(self) !== real) {
    throw new Error(`cannot bundle the executor: ${spec.packageName} is not installed in a node_modules above ${real}; install the package (npm ci) or start the scheduler from an installed copy`);
  }
  const entry = path.join(self, spec.bin);
  if (!existsSync(entry)) throw new Error(`cannot bundle the executor: ${entry} is missing; run npm run build`);
  const root = path.dirname(path.dirname(spec.packageName.startsWith('@') ? path.dirname(self) : self));
  const packages = new Map<string, string>([[self, spec.packageName]]);
  const pending = [self];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      // Type packages are compile-time only.
      if (dep.startsWith('@types/')) continue;
      const found = lookup(dir, dep, root);
      if (found === undefined) throw new Error(`cannot bundle the executor: ${dep} (needed by ${packages.get(dir)}) is not installed under ${root}; run npm ci`);
      if (packages.has(found)) continue;
      packages.set(found, dep);
      pending.push(found);
    }
  }
  const members: string[] = [];
  for (const dir of packages.keys()) {
    const rel = path.relative(root, dir);
    // Workspace packages are symlinks to their sources: only their manifest and built code are shipped.
    if (lstatSync(dir).isSymbolicLink()) {
      if (!existsSync(path.join(dir, 'dist'))) throw new Error(`cannot bundle the executor: ${packages.get(dir)} is not built (${dir}/dist missing); run npm run build`);
      members.push(path.join(rel, 'package.json'), path.join(rel, 'dist'));
    } else {
      members.push(rel);
    }
  }
  // A package nested in another's node_modules travels with it.
  const kept = members.sort().filter((m, i, all) => !all.slice(0, i).some((outer) => m.startsWith(`${outer}/`)));
  const hash = createHash('sha256').update(kept.join('\n')).update(String(statSync(entry).mtimeMs)).digest('hex').slice(0, 12);
  const bin = path.join(spec.top, path.relative(root, self), spec.bin);
  return { name: `${spec.top}-${hash}.tgz`, root, members: kept, top: spec.top, command: `node ${bin} ${spec.args ?? 'executor'}` };
}

/** `tar` arguments that write the bundle as a .tgz to stdout. */
export function bundleTarArgs(bundle: ExecutorBundle): string[] {
  const excludes = ['*.d.ts', '*.d.mts', '*.d.cts', '*.map', '*.md'].map((p) => `--exclude=${p}`);
  return ['-C', bundle.root, ...excludes, `--transform=s,^,${bundle.top}/,`, '-czf', '-', ...bundle.members];
}

/**
 * Node's package lookup: `<dir>/node_modules/<name>`, then in each parent directory, without going above
 * `stop` (the bundle root). Paths keep their symlinked form, as they will be laid out in the bundle.
 */
function lookup(from: string, name: string, stop: string | undefined): string | undefined {
  let dir = from;
  for (;;) {
    if (path.basename(dir) !== 'node_modules') {
      const candidate = path.join(dir, 'node_modules', name);
      if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    }
    if (stop !== undefined && dir === stop) return undefined;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
