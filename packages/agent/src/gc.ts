// Garbage collection of sandboxes: a terminated executor's run directory is removed `gc_delay` after it
// ended, or sooner under disk pressure: every disk_watch_interval the allowed age becomes
// gc_delay * max(0, 1 - headroom - disk usage), as upstream computes it, and older directories go at once.
// A sandbox still holding a mount point (a bind-mounted persistent volume) is unmounted first and skipped if
// that fails: a recursive delete through a mount would delete the volume's data.
import { promises as fs, statfsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Clock, Timer } from '@mesos-ts/common';
import { unmountAllUnder } from './mounts.js';

interface Entry {
  path: string;
  scheduledAt: number;
  timer: Timer;
}

/** Pure: how old a sandbox may get at `diskUsage` (0..1). */
export function allowedAgeMs(gcDelayMs: number, headroom: number, diskUsage: number): number {
  return gcDelayMs * Math.max(0, 1 - headroom - diskUsage);
}

export class GarbageCollector {
  private readonly entries = new Map<string, Entry>();
  private watch: Timer | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly delayMs: number,
  ) {}

  /** Removes `path` after the GC delay counted from `since` (default now). */
  schedule(path: string, since = this.clock.now()): void {
    this.unschedule(path);
    const delay = Math.max(0, since + this.delayMs - this.clock.now());
    const timer = this.clock.setTimer(delay, () => void this.remove(path));
    this.entries.set(path, { path, scheduledAt: since, timer });
  }

  unschedule(path: string): void {
    const e = this.entries.get(path);
    if (e) e.timer.cancel();
    this.entries.delete(path);
  }

  scheduled(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * Schedules every sandbox run directory under `sandboxesRoot` that is not in `live` (runs that ended before
   * an agent restart), counting the delay from the directory's last modification.
   */
  async adopt(sandboxesRoot: string, live: ReadonlySet<string>): Promise<void> {
    const runs = await globDirs(sandboxesRoot, ['*', 'frameworks', '*', 'executors', '*', 'runs', '*']);
    for (const run of runs) {
      if (live.has(run) || path.basename(run) === 'latest') continue;
      try {
        this.schedule(run, (await fs.stat(run)).mtimeMs);
      } catch {
        // removed meanwhile
      }
    }
  }

  /** Starts watching the disk of `dir`. */
  start(dir: string, intervalMs: number, headroom: number): void {
    const tick = (): void => {
      try {
        const s = statfsSync(dir);
        this.prune(allowedAgeMs(this.delayMs, headroom, 1 - s.bavail / s.blocks));
      } catch (e) {
        this.log.warn({ err: (e as Error).message }, 'cannot check disk usage for GC');
      }
      this.watch = this.clock.setTimer(intervalMs, tick);
    };
    this.watch = this.clock.setTimer(intervalMs, tick);
  }

  stop(): void {
    if (this.watch) this.watch.cancel();
    for (const e of this.entries.values()) e.timer.cancel();
    this.entries.clear();
  }

  /** Removes every scheduled directory older than `maxAgeMs` now. */
  prune(maxAgeMs: number): void {
    const now = this.clock.now();
    for (const e of [...this.entries.values()]) if (now - e.scheduledAt >= maxAgeMs) void this.remove(e.path);
  }

  private async remove(path: string): Promise<void> {
    this.unschedule(path);
    try {
      const mounted = await unmountAllUnder(path);
      if (mounted.length > 0) {
        this.log.error({ path, mounts: mounted }, 'not garbage collecting a sandbox that still holds mount points');
        return;
      }
      await fs.rm(path, { recursive: true, force: true });
      this.log.info({ path }, 'garbage collected sandbox');
    } catch (e) {
      this.log.warn({ path, err: (e as Error).message }, 'failed to garbage collect a sandbox');
    }
  }
}

/** Directories matching `pattern` segments ('*' = any entry) under `root`. */
async function globDirs(root: string, pattern: readonly string[]): Promise<string[]> {
  let level = [root];
  for (const part of pattern) {
    const next: string[] = [];
    for (const dir of level) {
      if (part !== '*') {
        next.push(path.join(dir, part));
        continue;
      }
      try {
        for (const e of await fs.readdir(dir, { withFileTypes: true })) if (e.isDirectory()) next.push(path.join(dir, e.name));
      } catch {
        // missing level: nothing below
      }
    }
    level = next;
  }
  return level;
}
