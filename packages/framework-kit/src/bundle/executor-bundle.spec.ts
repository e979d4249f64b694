// The executor bundle over a small installed tree written here: a workspace-style @mesos-ts/fw (a symlink to its
// sources, only package.json + dist shipped), a hoisted dependency with its own nested dependency, another
// workspace package, and the tar it makes extracts to a tree Node resolves from.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleTarArgs, executorBundle } from './executor-bundle.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function pkg(dir: string, manifest: object, files: Record<string, string> = {}): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
}

/** root/frameworks/fw (linked as node_modules/@mesos-ts/fw) → a, @mesos-ts/w (linked); a → b (nested in a). */
function tree(): { root: string; fw: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'fk-bundle-'));
  dirs.push(root);
  const fw = path.join(root, 'frameworks', 'fw');
  pkg(fw, { name: '@mesos-ts/fw', type: 'module', dependencies: { a: '1', '@mesos-ts/w': '0', '@types/node': '1' } }, { 'dist/bin/fw.js': "import 'a';\nimport '@mesos-ts/w';\nconsole.log('executor ok', process.argv[2]);\n", 'src/x.ts': '', 'dist/x.d.ts': '' });
  pkg(path.join(root, 'packages', 'w'), { name: '@mesos-ts/w', exports: { '.': './dist/index.js' } }, { 'dist/index.js': '' });
  pkg(path.join(root, 'node_modules', 'a'), { name: 'a', main: 'index.js', type: 'module', dependencies: { b: '1' } }, { 'index.js': "import 'b';\n", 'README.md': 'x' });
  pkg(path.join(root, 'node_modules', 'a', 'node_modules', 'b'), { name: 'b', main: 'index.js' }, { 'index.js': '' });
  mkdirSync(path.join(root, 'node_modules', '@mesos-ts'), { recursive: true });
  symlinkSync(fw, path.join(root, 'node_modules', '@mesos-ts', 'fw'));
  symlinkSync(path.join(root, 'packages', 'w'), path.join(root, 'node_modules', '@mesos-ts', 'w'));
  return { root, fw };
}

const spec = (fw: string) => ({ packageName: '@mesos-ts/fw', packageDir: fw, top: 'fw-mesos', bin: 'dist/bin/fw.js' });

describe('executorBundle', () => {
  it('lists the runtime closure and tars a tree that runs outside the install', () => {
    const { root, fw } = tree();
    const bundle = executorBundle(spec(fw));
    expect(bundle).toMatchObject({
      name: expect.stringMatching(/^fw-mesos-[0-9a-f]{12}\.tgz$/),
      root,
      members: ['node_modules/@mesos-ts/fw/dist', 'node_modules/@mesos-ts/fw/package.json', 'node_modules/@mesos-ts/w/dist', 'node_modules/@mesos-ts/w/package.json', 'node_modules/a'],
      command: 'node fw-mesos/node_modules/@mesos-ts/fw/dist/bin/fw.js executor',
    });
    expect(executorBundle(spec(fw)).name).toBe(bundle.name);
    const sandbox = mkdtempSync(path.join(os.tmpdir(), 'fk-sandbox-'));
    dirs.push(sandbox);
    writeFileSync(path.join(sandbox, bundle.name), execFileSync('tar', bundleTarArgs(bundle)));
    execFileSync('tar', ['-xzf', bundle.name], { cwd: sandbox });
    expect(existsSync(path.join(sandbox, 'fw-mesos/node_modules/a/node_modules/b/index.js'))).toBe(true);
    expect(existsSync(path.join(sandbox, 'fw-mesos/node_modules/a/README.md'))).toBe(false);
    expect(existsSync(path.join(sandbox, 'fw-mesos/node_modules/@mesos-ts/fw/src'))).toBe(false);
    expect(existsSync(path.join(sandbox, 'fw-mesos/node_modules/@mesos-ts/fw/dist/x.d.ts'))).toBe(false);
    expect(execFileSync('sh', ['-c', bundle.command], { cwd: sandbox }).toString()).toBe('executor ok executor\n');
  });

  it.each<[string, (t: { root: string; fw: string }) => void, string]>([
    ['a missing dependency', (t) => rmSync(path.join(t.root, 'node_modules', 'a', 'node_modules', 'b'), { recursive: true }), 'b (needed by a) is not installed'],
    ['an unbuilt workspace package', (t) => rmSync(path.join(t.root, 'packages', 'w', 'dist'), { recursive: true }), '@mesos-ts/w is not built'],
    ['a missing entry point', (t) => rmSync(path.join(t.fw, 'dist', 'bin'), { recursive: true }), 'fw.js is missing; run npm run build'],
    ['a package not installed in a node_modules', (t) => rmSync(path.join(t.root, 'node_modules', '@mesos-ts', 'fw')), 'is not installed in a node_modules above'],
  ])('refuses %s with a clear error', (_, breakIt, message) => {
    const t = tree();
    breakIt(t);
    expect(() => executorBundle(spec(t.fw))).toThrow(message);
  });
});
