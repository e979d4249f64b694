// The compose cluster's roles (docker/compose.yaml) as testcontainers GenericContainers, one by one: masters and
// agents from the locally built image mesos-ts/runtime:dev (docker/runtime.Dockerfile on mesos-ts/base:bookworm),
// on host networking and loopback ports. The working tree is bind-mounted read-only at its own path and the
// bins run from source (as the other e2e daemons do), so a cached image never runs stale code. No Ryuk (it
// cannot be pulled here): every container is named <prefix>… and removed by removeContainers(prefix).
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { BASE_IMAGE, DOCKER, imageExists, removeContainers } from './docker.js';

process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
// dockerd runs with --bridge=none: without this, testcontainers looks for the bridge network's gateway.
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
const { GenericContainer, Wait } = await import('testcontainers');
type Started = Awaited<ReturnType<InstanceType<typeof GenericContainer>['start']>>;

export const RUNTIME_IMAGE = 'mesos-ts/runtime:dev';
export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const tsxLoader = path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs');

/** Builds RUNTIME_IMAGE from the working tree when missing; returns the seconds it took (0 when cached). */
export function ensureRuntimeImage(): number {
  if (imageExists(RUNTIME_IMAGE)) return 0;
  const t0 = Date.now();
  const r = spawnSync(DOCKER, ['build', '-q', '-f', path.join(repo, 'docker', 'runtime.Dockerfile'), '--build-arg', `BASE_IMAGE=${BASE_IMAGE}`, '-t', RUNTIME_IMAGE, repo], { encoding: 'utf8', timeout: 900_000 });
  if (r.status !== 0) throw new Error(`docker build of ${RUNTIME_IMAGE} failed: ${r.stderr}`);
  // Classic-builder leftovers we did not mean to keep (dangling intermediate images).
  spawnSync(DOCKER, ['image', 'prune', '-f', '--filter', 'dangling=true'], { timeout: 120_000 });
  return (Date.now() - t0) / 1000;
}

export interface RoleContainer {
  readonly name: string;
  readonly container: Started;
  /** docker stop -t 0 (SIGKILL): the role dies as after a crash. */
  kill(): Promise<void>;
}

export interface RoleOptions {
  /** More host paths to mount (at the same path unless `target` is given). */
  mounts?: Array<{ source: string; target?: string; mode: 'ro' | 'rw' }>;
  env?: Record<string, string>;
}

/** Starts one role (`pkg`'s `bin` with `flags`) in a container; resolves once `ready` appears in its log. */
export async function startRole(prefix: string, role: string, pkg: string, bin: string, flags: string[], ready: RegExp, options: RoleOptions = {}): Promise<RoleContainer> {
  const name = `${prefix}${role}`;
  const container = await new GenericContainer(RUNTIME_IMAGE)
    .withName(name)
    .withNetworkMode('host')
    .withBindMounts([{ source: repo, target: repo, mode: 'ro' }, ...(options.mounts ?? []).map((m) => ({ source: m.source, target: m.target ?? m.source, mode: m.mode }))])
    .withEnvironment(options.env ?? {})
    .withWorkingDir('/tmp')
    .withCommand(['node', '--conditions=@mesos-ts/source', '--import', tsxLoader, path.join(repo, pkg, 'src', 'bin', `${bin}.ts`), ...flags])
    .withWaitStrategy(Wait.forLogMessage(ready).withStartupTimeout(90_000))
    .start();
  return { name, container, kill: async () => void (await container.stop({ timeout: 0, remove: true })) };
}

export { removeContainers };
