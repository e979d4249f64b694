// Upstream's persistent-volume checks for CREATE (src/master/validation.cpp validatePersistentVolume), pure.
// The persistence id becomes a directory under the agent's work_dir (volumes/roles/<role>/<id>) and the
// container_path a mount point inside a sandbox, so both are refused early rather than trusted to the agent.
import type { v1 } from '@mesos-ts/proto';
import { LONE_SURROGATE, excerpt } from './limits.js';
import { idProblem } from './validation.js';

/** Longest container_path accepted (Linux PATH_MAX). */
export const MAX_CONTAINER_PATH_BYTES = 4096;

const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why `volume` cannot be created as a persistent volume, or null. */
export function persistentVolumeProblem(volume: v1.Resource): string | null {
  const disk = volume.disk;
  if (volume.name !== 'disk' || disk?.persistence === undefined) return `Resource ${volume.name ?? '(unnamed)'} is not a persistent volume (needs disk.persistence)`;
  const id = disk.persistence.id;
  if (typeof id !== 'string') return "Persistent volume needs a string 'disk.persistence.id'";
  const idBad = idProblem('Persistence', id);
  if (idBad !== null) return idBad;
  const v = disk.volume;
  if (v === undefined) return `Expecting 'volume' to be set for persistent volume ${excerpt(id)}`;
  if (v.host_path !== undefined) return `Expecting 'host_path' to be unset for persistent volume ${excerpt(id)}`;
  return containerPathProblem(v.container_path);
}

/** Why a persistent volume's container_path is unsafe (absolute, '..', control characters, too long), or null. */
export function containerPathProblem(path: unknown): string | null {
  if (typeof path !== 'string' || path === '') return "Persistent volume needs a non-empty 'container_path'";
  if (Buffer.byteLength(path) > MAX_CONTAINER_PATH_BYTES) return `'container_path' is longer than ${MAX_CONTAINER_PATH_BYTES} bytes`;
  if (CONTROL.test(path) || LONE_SURROGATE.test(path)) return `'container_path' '${excerpt(path)}' contains control characters or invalid Unicode`;
  if (path.startsWith('/')) return `'container_path' '${excerpt(path)}' is absolute; a persistent volume's path is relative to the sandbox`;
  if (path.split('/').includes('..')) return `'container_path' '${excerpt(path)}' must not contain '..'`;
  return null;
}

/** The first problem among CREATE's volumes, or null. */
export function createVolumesProblem(volumes: readonly v1.Resource[] | undefined): string | null {
  if (!volumes || volumes.length === 0) return 'CREATE needs at least one volume';
  for (const v of volumes) {
    const p = persistentVolumeProblem(v);
    if (p !== null) return p;
  }
  return null;
}
