// The executor agents run, served by the scheduler as kafka-mesos serves its own jar: a .tgz of this
// package's built code and its runtime dependencies (the node_modules closure, found the way Node resolves
// packages), so an agent on another machine needs only Node on its PATH. The fetcher extracts it into the
// sandbox and the executor command is `node kafka-mesos/node_modules/@mesos-ts/kafka/dist/bin/kafka-mesos.js
// executor`. Nothing is copied: the scheduler's HTTP server streams `tar` over the listed paths on each fetch.
import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KafkaError } from '../domain/errors.js';

const SELF = '@mesos-ts/kafka';
/** Top directory of the bundle, and so of the extracted sandbox copy. */
const TOP = 'kafka-mesos';

export interface ExecutorBundle {
  /** The served file name (`/executor/<name>`). */
  name: string;
  /** Directory the member paths are relative to (the one holding `node_modules`). */
  root: string;
  /** Paths under `root`, e.g. `node_modules/kafkajs`, `node_modules/@mesos-ts/wire/dist`. */
  members: string[];
  /** The executor command, run by the agent in the sandbox. */
  command: string;
}

/** The bundle of the installation this module runs from (it must be built: dist/). */
export function executorBundle(packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')): ExecutorBundle {
  const real = realpathSync(packageDir);
  const self = lookup(real, SELF, undefined);
  if (self === undefined || realpathSync(self) !== real) {
    throw new KafkaError('UNAVAILABLE', `cannot bundle the executor: ${SELF} is not installed in a node_modules above ${real}; install the package (npm ci) or start the scheduler from an installed copy`);
  }
  const root = path.dirname(path.dirname(path.dirname(self)));
  const packages = new Map<string, string>([[self, SELF]]);
  const pending = [self];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      // Type packages are compile-time only.
      if (dep.startsWith('@types/')) continue;
      const found = lookup(dir, dep, root);
      if (found === undefined) throw new KafkaError('UNAVAILABLE', `cannot bundle the executor: ${dep} (needed by ${packages.get(dir)}) is not installed under ${root}; run npm ci`);
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
      if (!existsSync(path.join(dir, 'dist'))) throw new KafkaError('UNAVAILABLE', `cannot bundle the executor: ${packages.get(dir)} is not built (${dir}/dist missing); run npm run build`);
      members.push(path.join(rel, 'package.json'), path.join(rel, 'dist'));
    } else {
      members.push(rel);
    }
  }
  // A package nested in another's node_modules travels with it.
  const kept = members.sort().filter((m, i, all) => !all.slice(0, i).some((outer) => m.startsWith(`${outer}/`)));
  const bin = path.join(TOP, path.relative(root, self), 'dist', 'bin', 'kafka-mesos.js');
  return { name: `${TOP}.tgz`, root, members: kept, command: `node ${bin} executor` };
}

/** `tar` arguments that write the bundle as a .tgz to stdout. */
export function bundleTarArgs(bundle: ExecutorBundle): string[] {
  const excludes = ['*.d.ts', '*.d.mts', '*.d.cts', '*.map', '*.md'].map((p) => `--exclude=${p}`);
  return ['-C', bundle.root, ...excludes, `--transform=s,^,${TOP}/,`, '-czf', '-', ...bundle.members];
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
