import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError } from '../errors.js';
import { prepareWorkDir } from './work-dir.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'work-dir-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('prepareWorkDir', () => {
  it('creates missing components and accepts an existing directory', () => {
    const dir = path.join(tmp, 'a', 'b', 'c');
    prepareWorkDir(dir);
    expect(existsSync(dir)).toBe(true);
    prepareWorkDir(dir);
  });

  it.each([
    ['/proc/forbidden', /--work_dir=\/proc\/forbidden: cannot create \/proc\/forbidden \(E[A-Z]+\); pick a directory you can write/],
    ['FILE/sub', /is not a directory; pick a directory you can write/],
  ])('refuses %s with a usage error instead of hanging', (dir, message) => {
    writeFileSync(path.join(tmp, 'FILE'), 'x');
    const target = dir.startsWith('FILE') ? path.join(tmp, dir) : dir;
    const attempt = (): void => prepareWorkDir(target);
    expect(attempt).toThrow(CliError);
    expect(attempt).toThrow(message);
  });
});
