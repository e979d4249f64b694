// Docker for the e2e suite, with no registry reachable: starts dockerd when none answers and we are root
// (host networking only: --bridge=none --iptables=false, so nothing outside loopback is touched), builds the
// base image mesos-ts/base:bookworm once from Debian's mirror (debootstrap minbase + the host's node binary,
// then `docker import`), and removes the containers a test started. Nothing is ever pulled.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const DOCKER = process.env.DOCKER_CLI ?? 'docker';
export const BASE_IMAGE = 'mesos-ts/base:bookworm';
const DEBIAN_MIRROR = process.env.DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';

/** Runs the docker CLI; returns status and output (never throws). */
export function docker(args: readonly string[], timeoutMs = 120_000): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(DOCKER, args, { encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error?.message ?? '') };
}

export function dockerAnswers(): boolean {
  return docker(['version', '--format', '{{.Server.Version}}'], 15_000).status === 0;
}

let started: ChildProcess | undefined;

/**
 * Makes sure a docker daemon answers: starts /usr/sbin/dockerd when none does and we are root. Returns why it
 * cannot (the skip reason) or undefined when docker is usable. A daemon we started is stopped by
 * stopDockerdIfStarted() in the spec's afterAll (e2e files run one at a time; the image store persists).
 */
export async function ensureDocker(): Promise<string | undefined> {
  if (dockerAnswers()) return undefined;
  if (!existsSync('/usr/sbin/dockerd')) return 'dockerd is not installed (Debian package docker.io)';
  if (process.getuid?.() !== 0) return 'no docker daemon answers and we are not root to start one';
  started = spawn('/usr/sbin/dockerd', ['--bridge=none', '--iptables=false', '--ip6tables=false', '--ip-masq=false', '--log-level=warn'], {
    stdio: ['ignore', 'ignore', 'ignore'],
    detached: true,
  });
  started.unref();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (dockerAnswers()) return undefined;
    await new Promise((r) => setTimeout(r, 500));
  }
  return 'dockerd was started but did not answer within 60s';
}

/** Stops the dockerd this process started (none otherwise) and waits until it is gone. */
export async function stopDockerdIfStarted(): Promise<void> {
  const proc = started;
  started = undefined;
  if (!proc?.pid || proc.exitCode !== null) return;
  const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
  await gone;
  clearTimeout(timer);
}

export function imageExists(image: string): boolean {
  return docker(['image', 'inspect', image], 30_000).status === 0;
}

/**
 * Builds BASE_IMAGE when missing: `debootstrap --variant=minbase bookworm` from Debian's mirror, the host's
 * node binary copied in (same glibc generation as bookworm's), `docker import`. Returns the seconds it took
 * (0 when cached).
 */
export function ensureBaseImage(): number {
  if (imageExists(BASE_IMAGE)) return 0;
  const t0 = Date.now();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mesos-ts-rootfs-'));
  try {
    const boot = spawnSync('debootstrap', ['--variant=minbase', 'bookworm', dir, DEBIAN_MIRROR], { encoding: 'utf8', timeout: 900_000 });
    if (boot.status !== 0) throw new Error(`debootstrap failed (status ${boot.status}): ${(boot.stderr || boot.stdout || '').slice(-2000)}`);
    const cp = spawnSync('cp', [process.execPath, path.join(dir, 'usr/local/bin/node')]);
    if (cp.status !== 0) throw new Error(`cannot copy node into the rootfs: ${cp.stderr}`);
    rmSync(path.join(dir, 'var/cache/apt/archives'), { recursive: true, force: true });
    const imp = spawnSync('sh', ['-c', `tar -C "$1" -c . | ${DOCKER} import -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin' - "$2"`, 'import', dir, BASE_IMAGE], { encoding: 'utf8', timeout: 600_000 });
    if (imp.status !== 0) throw new Error(`docker import failed: ${imp.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return (Date.now() - t0) / 1000;
}

/** Force-removes every container whose name starts with `prefix` (what a test started, and nothing else). */
export function removeContainers(prefix: string): void {
  const ps = docker(['ps', '-aq', '--filter', `name=^${prefix}`], 30_000);
  const ids = ps.stdout.split('\n').filter((l) => l.trim() !== '');
  if (ids.length > 0) docker(['rm', '-f', ...ids], 60_000);
}

/** Names of containers (running or not) whose name starts with `prefix`. */
export function containerNames(prefix: string): string[] {
  const ps = docker(['ps', '-a', '--format', '{{.Names}}', '--filter', `name=^${prefix}`], 30_000);
  return ps.stdout.split('\n').filter((l) => l.trim() !== '');
}

/** Label the agent puts on its containers (packages/agent docker-run-args WORK_DIR_LABEL). */
export const WORK_DIR_LABEL = 'org.mesos-ts.agent.work_dir';

/** Names of containers an agent whose work_dir lies under `dir` started (by the agent's work_dir label). */
export function agentContainersUnder(dir: string): string[] {
  const ps = docker(['ps', '-a', '--filter', `label=${WORK_DIR_LABEL}`, '--format', `{{.Names}} {{.Label "${WORK_DIR_LABEL}"}}`], 30_000);
  return ps.stdout
    .split('\n')
    .map((l) => l.trim().split(' '))
    .filter(([name, wd]) => name && wd && (wd === dir || wd.startsWith(`${dir}/`)))
    .map(([name]) => name!);
}

/** Force-removes every container of agents under `dir` (a test's cluster directory). */
export async function removeAgentContainersUnder(dir: string): Promise<void> {
  // A `docker run` killed mid-create may leave its container a moment later: retry until none is left.
  for (let i = 0; i < 20; i++) {
    const names = agentContainersUnder(dir);
    if (names.length === 0) return;
    docker(['rm', '-f', ...names], 60_000);
    await new Promise((r) => setTimeout(r, 500));
  }
}
