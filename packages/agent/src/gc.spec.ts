import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@mesos-ts/common';
import { GarbageCollector, allowedAgeMs } from './gc.js';

const WEEK = 7 * 86_400_000;
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Waits (bounded) for the asynchronous removal a fired timer started. */
async function gone(p: string): Promise<boolean> {
  const end = Date.now() + 5000;
  while (existsSync(p) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return !existsSync(p);
}

describe('GarbageCollector', () => {
  it.each([
    [0.5, 0.1, WEEK * 0.4],
    [0.95, 0.1, 0],
    [0, 0.1, WEEK * 0.9],
  ])('allows sandboxes to age gc_delay * (1 - headroom - usage): usage %d', (usage, headroom, age) => {
    expect(allowedAgeMs(WEEK, headroom, usage)).toBeCloseTo(age);
  });

  it('removes a sandbox after the delay, and sooner when pruned under disk pressure', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gc-'));
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    mkdirSync(a);
    mkdirSync(b);
    const clock = new ManualClock();
    const gc = new GarbageCollector(clock, pino({ level: 'silent' }), WEEK);
    gc.schedule(a);
    clock.advance(WEEK / 2);
    gc.schedule(b);
    clock.advance(WEEK / 2 - 1);
    expect(gc.scheduled().sort()).toEqual([a, b].sort()); // nothing fired yet
    clock.advance(1);
    expect(await gone(a)).toBe(true);
    expect(gc.scheduled()).toEqual([b]);
    gc.prune(WEEK / 4);
    expect(await gone(b)).toBe(true);
    gc.stop();
  });

  it('adopts sandboxes left by an earlier agent run, except live ones', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gc-'));
    const run = (ex: string, c: string) => path.join(dir, 'a1', 'frameworks', 'f', 'executors', ex, 'runs', c);
    mkdirSync(run('e1', 'c1'), { recursive: true });
    mkdirSync(run('e2', 'c2'), { recursive: true });
    const gc = new GarbageCollector(new ManualClock(), pino({ level: 'silent' }), WEEK);
    await gc.adopt(dir, new Set([run('e2', 'c2')]));
    expect(gc.scheduled()).toEqual([run('e1', 'c1')]);
    gc.stop();
  });
});
