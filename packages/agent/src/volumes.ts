// Checkpointed resources (dynamic reservations and persistent volumes) and the volumes' directories under
// work_dir/volumes/roles/<role>/<persistence id>. A task or executor that holds a volume sees it inside its
// sandbox at the volume's container_path: with --isolation=filesystem/linux (upstream's name) and root, a bind
// mount (unmounted when the container ends; a symlink when mount(8) fails), else a symlink (filesystem/posix).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { v1 } from '@mesos-ts/proto';
import { isPersistentVolume, reservationRole } from '@mesos-ts/resources';
import { decodeJson, encodeJson } from '@mesos-ts/wire';
import { readTextIfExists, writeFileAtomic } from './atomic-file.js';
import type { WorkDir } from './paths.js';
import { ensureTraversable } from './traversable.js';
import { bindMount, isMountPoint, unmountAllUnder } from './mounts.js';

export class VolumeError extends Error {
  override readonly name = 'VolumeError';
  readonly code = 'INVALID_VOLUME' as const;
}

export interface VolumeRef {
  role: string;
  id: string;
  hostPath: string;
  containerPath: string | undefined;
  /** A shared volume (Resource.shared) may be used by several containers at once: never chowned. */
  shared: boolean;
}

export class VolumeManager {
  private current: v1.Resource[] = [];
  /** Destroyed volumes whose container was still running (in memory: see `apply`). */
  private readonly destroyedInUse = new Set<string>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly dirs: WorkDir,
    private readonly log: Logger,
    /** Whether a container that has not ended holds this volume directory (its data must stay). */
    private readonly inUse: (hostPath: string) => boolean,
    /** Try bind mounts (filesystem/linux as root); symlinks otherwise or when a mount fails. */
    private readonly bindMounts = false,
  ) {}

  get resources(): readonly v1.Resource[] {
    return this.current;
  }

  /** Reads the checkpoint (empty when none) and makes sure every volume directory exists. */
  async load(): Promise<v1.Resource[]> {
    const text = await readTextIfExists(this.dirs.resourcesFile());
    this.current = text === undefined ? [] : (JSON.parse(text) as unknown[]).map((r) => decodeJson('mesos.v1.Resource', JSON.stringify(r)));
    for (const v of this.volumes(this.current)) await fs.mkdir(v.hostPath, { recursive: true });
    return this.current;
  }

  /**
   * Makes `resources` the agent's checkpointed resources: checkpoint first (so a crash re-applies), then create
   * new volume directories and delete those of destroyed volumes. A volume a container still uses is deleted
   * when that container ends (`deleteDestroyed`), never under it: a DESTROY may follow a task's terminal update
   * before its executor process has exited.
   */
  apply(resources: readonly v1.Resource[]): Promise<void> {
    return this.serially(() => this.applyNow(resources));
  }

  private async applyNow(resources: readonly v1.Resource[]): Promise<void> {
    const before = this.volumes(this.current);
    const after = this.volumes(resources);
    const json = `[${resources.map((r) => encodeJson('mesos.v1.Resource', r)).join(',')}]`;
    await writeFileAtomic(this.dirs.resourcesFile(), json);
    this.current = [...resources];
    for (const v of after) await fs.mkdir(v.hostPath, { recursive: true });
    const keep = new Set(after.map((v) => v.hostPath));
    for (const p of keep) this.destroyedInUse.delete(p);
    for (const v of before) {
      if (keep.has(v.hostPath)) continue;
      if (this.inUse(v.hostPath)) {
        this.destroyedInUse.add(v.hostPath);
        this.log.warn({ volume: v.hostPath }, 'master destroyed a persistent volume that a container still uses; deleting it when the container ends');
        continue;
      }
      await this.delete(v.hostPath);
    }
  }

  /** Deletes destroyed volumes that no container uses any more (called when a container ends). */
  deleteDestroyed(): Promise<void> {
    return this.serially(async () => {
      for (const hostPath of [...this.destroyedInUse]) {
        if (this.inUse(hostPath)) continue;
        this.destroyedInUse.delete(hostPath);
        await this.delete(hostPath);
      }
    });
  }

  /**
   * One change at a time: the master sends a CHECKPOINT_RESOURCES per operation (RESERVE, CREATE, ... in one
   * ACCEPT), and two overlapping applies could finish out of order, leaving the older set checkpointed.
   */
  private serially(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async delete(hostPath: string): Promise<void> {
    await fs.rm(hostPath, { recursive: true, force: true });
    this.log.info({ volume: hostPath }, 'deleted destroyed persistent volume');
  }

  /** Persistent volumes among `resources`, with their host directories. */
  volumes(resources: readonly v1.Resource[]): VolumeRef[] {
    const out: VolumeRef[] = [];
    for (const r of resources) {
      if (!isPersistentVolume(r)) continue;
      const id = r.disk!.persistence!.id;
      const role = reservationRole(r);
      out.push({ role, id, hostPath: this.dirs.volume(role, id), containerPath: r.disk?.volume?.container_path, shared: r.shared !== undefined });
    }
    return out;
  }

  /**
   * Mounts (or symlinks) every volume of `resources` into `sandbox` at its container_path. As upstream's posix
   * filesystem isolator, a volume that is not shared and that no other container uses (`usedElsewhere`)
   * is handed to the sandbox's owner (non-recursively; not when that owner is root), so a task running as
   * the framework's user can write to it.
   */
  async linkInto(sandbox: string, resources: readonly v1.Resource[], usedElsewhere: (hostPath: string) => boolean = () => false): Promise<void> {
    for (const v of this.volumes(resources)) {
      if (v.containerPath === undefined) continue;
      const target = containerPathIn(sandbox, v.containerPath);
      await fs.mkdir(v.hostPath, { recursive: true });
      if (!v.shared && !usedElsewhere(v.hostPath)) await chownToOwnerOf(sandbox, v.hostPath, this.dirs.root, this.log);
      await fs.mkdir(path.dirname(target), { recursive: true });
      if (this.bindMounts && (await this.mountInto(v.hostPath, target))) continue;
      await fs.rm(target, { force: true });
      await fs.symlink(v.hostPath, target);
    }
  }

  /** Bind-mounts `hostPath` at `target` (creating the mount point); false (logged) when mount fails. */
  private async mountInto(hostPath: string, target: string): Promise<boolean> {
    if (isMountPoint(target)) return true; // another task of the same executor holds it already
    const st = await fs.lstat(target).catch(() => undefined);
    if (st && !st.isDirectory()) await fs.rm(target, { force: true });
    const created = !st || !st.isDirectory();
    if (created) await fs.mkdir(target);
    try {
      await bindMount(hostPath, target);
      this.log.info({ volume: hostPath, target }, 'bind-mounted a persistent volume into a sandbox');
      return true;
    } catch (e) {
      this.log.warn({ volume: hostPath, target, err: (e as Error).message }, 'cannot bind-mount a persistent volume; symlinking it instead');
      if (created) await fs.rmdir(target).catch(() => undefined);
      return false;
    }
  }

  /** Unmounts every volume mounted in `sandbox` (the container ended); logs any that stay mounted. */
  async unmountFrom(sandbox: string): Promise<void> {
    const left = await unmountAllUnder(sandbox);
    if (left.length > 0) this.log.error({ sandbox, mounts: left }, 'cannot unmount volumes from a sandbox; GC will leave it alone');
  }
}

/** Gives `dir` the uid/gid of `sandbox` when that owner is not root (only root may chown; others skip). */
async function chownToOwnerOf(sandbox: string, dir: string, workDir: string, log: Logger): Promise<void> {
  const owner = await fs.stat(sandbox);
  if (owner.uid === 0 || process.getuid?.() !== 0) return;
  const current = await fs.stat(dir);
  if (current.uid === owner.uid && current.gid === owner.gid) return;
  await fs.chown(dir, owner.uid, owner.gid);
  await ensureTraversable(workDir, dir, log);
  log.info({ volume: dir, uid: owner.uid, gid: owner.gid }, "handed a persistent volume to its sandbox's owner");
}

/** Where a volume's relative container_path lands in a sandbox; refuses absolute paths and '..'. */
export function containerPathIn(sandbox: string, containerPath: string): string {
  if (path.isAbsolute(containerPath) || containerPath.split('/').includes('..') || containerPath.trim() === '') {
    throw new VolumeError(`volume container_path '${containerPath}' must be a relative path inside the sandbox without '..'`);
  }
  return path.join(sandbox, containerPath);
}
