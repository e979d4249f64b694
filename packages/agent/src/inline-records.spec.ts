import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InlineRecordLog } from './inline-records.js';

describe('InlineRecordLog', () => {
  let dir: string;
  beforeEach(() => {
    dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'inline-records-')), 'inline');
  });
  afterEach(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

  it.each([
    { name: 'nothing recorded', adds: [], removes: [], live: [] },
    { name: 'one live', adds: ['a'], removes: [], live: ['a'] },
    { name: 'added then removed', adds: ['a', 'b'], removes: ['a'], live: ['b'] },
    { name: 'all removed', adds: ['a', 'b'], removes: ['b', 'a'], live: [] },
  ])('a new agent reads what the last one left live: $name', async ({ adds, removes, live }) => {
    const log = new InlineRecordLog(dir);
    await Promise.all(adds.map((id, i) => log.add(id, 100 + i, 5000 + i)));
    await Promise.all(removes.map((id) => log.remove(id)));
    const next = await new InlineRecordLog(dir).load();
    expect(next.map((r) => r.containerId).sort()).toEqual(live);
    for (const r of next) expect(r).toEqual({ containerId: r.containerId, pid: 100 + adds.indexOf(r.containerId), startTicks: 5000 + adds.indexOf(r.containerId) });
  });

  it('writes lines asked for together in one go, and keeps no file per task', async () => {
    const log = new InlineRecordLog(dir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.add(`c${i}`, i + 1, i + 1)));
    await Promise.all(Array.from({ length: 25 }, (_, i) => log.remove(`c${i}`)));
    expect(readdirSync(dir)).toEqual(['records.log']);
    expect(readFileSync(path.join(dir, 'records.log'), 'utf8').split('\n').filter(Boolean)).toHaveLength(75);
    expect(await new InlineRecordLog(dir).load()).toHaveLength(25);
  });

  it('rewrites a log of mostly dead records with only the live ones', async () => {
    const log = new InlineRecordLog(dir);
    await log.add('keep', 7, 7);
    for (let i = 0; i < 2100; i++) {
      await log.add(`t${i}`, 1, 1);
      await log.remove(`t${i}`);
    }
    const lines = readFileSync(path.join(dir, 'records.log'), 'utf8').split('\n').filter(Boolean);
    expect(lines.length).toBeLessThan(4096);
    expect(await new InlineRecordLog(dir).load()).toEqual([{ containerId: 'keep', pid: 7, startTicks: 7 }]);
  });

  it('skips a torn last line and reads (then deletes) records of the file-per-task format', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'records.log'), '+a 1 2\n+b 3');
    writeFileSync(path.join(dir, 'old'), JSON.stringify({ pid: 9, start_ticks: 10 }));
    writeFileSync(path.join(dir, 'torn'), '{"pid":');
    const log = new InlineRecordLog(dir);
    const records = await log.load();
    expect(records.sort((x, y) => x.containerId.localeCompare(y.containerId))).toEqual([
      { containerId: 'a', pid: 1, startTicks: 2 },
      { containerId: 'old', pid: 9, startTicks: 10 },
    ]);
    await log.remove('old');
    await log.remove('a');
    expect(readdirSync(dir).sort()).toEqual(['records.log', 'torn']);
    expect(await new InlineRecordLog(dir).load()).toEqual([]);
  });
});
