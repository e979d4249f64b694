import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileAccess } from './files.js';
import { HttpError } from './http-util.js';

let root = '';
let access: FileAccess;
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'files-'));
  mkdirSync(path.join(root, 'slaves', 'sb'), { recursive: true });
  mkdirSync(path.join(root, 'volumes', 'v'), { recursive: true });
  writeFileSync(path.join(root, 'slaves', 'sb', 'stdout'), 'x');
  writeFileSync(path.join(root, 'secret'), 'no');
  symlinkSync(path.join(root, 'volumes', 'v'), path.join(root, 'slaves', 'sb', 'vol'));
  symlinkSync(path.join(root, 'secret'), path.join(root, 'slaves', 'sb', 'leak'));
  access = new FileAccess([path.join(root, 'slaves'), path.join(root, 'volumes')]);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function status(p: string): Promise<number> {
  try {
    await access.resolve(p);
    return 200;
  } catch (e) {
    return (e as HttpError).status;
  }
}

describe('FileAccess', () => {
  it.each([
    ['slaves/sb/stdout', 200],
    ['slaves/sb/vol', 200],
    ['slaves/sb/leak', 404],
    ['secret', 404],
    ['slaves/sb/../../secret', 404],
    ['slaves/sb/nope', 404],
  ])('%s -> %d', async (rel, code) => {
    expect(await status(path.join(root, rel))).toBe(code);
  });

  it('opens through the checked handle, and a path outside is a 404 that names no host path', async () => {
    const inside = await access.open(path.join(root, 'slaves', 'sb', 'vol'));
    expect(inside.st.isDirectory()).toBe(true);
    expect(inside.real).toBe(path.join(root, 'volumes', 'v'));
    await inside.handle.close();
    const err = await access.open(path.join(root, 'slaves', 'sb', 'leak')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(404);
    expect((err as HttpError).message).not.toContain(path.join(root, 'secret'));
  });

  it('never resolves anything outside the served roots, whatever the path', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('..', '.', 'slaves', 'sb', 'vol', 'leak', 'secret', 'volumes', 'v', '', '/'), { maxLength: 8 }), async (parts) => {
        try {
          const real = await access.resolve(`${root}/${parts.join('/')}`);
          expect(real.startsWith(path.join(root, 'slaves')) || real.startsWith(path.join(root, 'volumes'))).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(HttpError);
        }
      }),
      { numRuns: 200 },
    );
  });
});
