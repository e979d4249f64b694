// Bind mounts of persistent volumes into sandboxes (when the agent is root and mount(8) works) and their
// removal. Which paths are mount points comes from /proc/self/mountinfo; a recursive delete must never run
// through a mount point (it would delete the volume's data), so GC and cleanup unmount first and skip
// anything still mounted.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { unescapeMountPath } from './cgroups/layout.js';

const run = promisify(execFile);

/** Pure: mount points at or below `dir` in mountinfo text, deepest first (the order to unmount them in). */
export function mountPointsUnder(mountinfoText: string, dir: string): string[] {
  const base = path.resolve(dir);
  const out = new Set<string>();
  for (const line of mountinfoText.split('\n')) {
    const field = line.split(' ')[4];
    if (field === undefined) continue;
    const mp = unescapeMountPath(field);
    if (mp === base || mp.startsWith(`${base}/`)) out.add(mp);
  }
  return [...out].sort((a, b) => b.length - a.length);
}

export function mountPoints(dir: string): string[] {
  try {
    return mountPointsUnder(readFileSync('/proc/self/mountinfo', 'utf8'), dir);
  } catch {
    return [];
  }
}

export function isMountPoint(dir: string): boolean {
  return mountPoints(dir).includes(path.resolve(dir));
}

/** `mount --bind source target`; rejects with mount's own message. */
export async function bindMount(source: string, target: string): Promise<void> {
  try {
    await run('mount', ['--bind', source, target], { timeout: 10_000 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`mount --bind ${source} ${target} failed: ${(err.stderr ?? '').trim() || err.message}`);
  }
}

/**
 * Unmounts every mount point at or below `dir` (a busy one lazily: it disappears from the tree at once);
 * resolves with those still mounted afterwards (empty when all went).
 */
export async function unmountAllUnder(dir: string): Promise<string[]> {
  for (const mp of mountPoints(dir)) {
    try {
      await run('umount', [mp], { timeout: 10_000 });
    } catch {
      await run('umount', ['-l', mp], { timeout: 10_000 }).catch(() => undefined);
    }
  }
  return mountPoints(dir);
}
