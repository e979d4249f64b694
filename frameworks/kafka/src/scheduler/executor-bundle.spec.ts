// kafka-mesos' executor bundle (framework-kit's, which has its own spec) over a small installed tree written
// here: a workspace-style @mesos-ts/kafka (a symlink to its sources, only package.json + dist shipped), a
// hoisted dependency with its own nested dependency, another workspace package; the tar it makes extracts to a
// tree Node resolves from, and failures are KafkaErrors.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isKafkaError } from '../domain/errors.js';
import { bundleTarArgs, executorBundle } from './executor-bundle.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function pkg(dir: string, name: string, dependencies: Record<string, string>, files: Record<string, string> = {}): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, type: 'module', dependencies }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
}

/** root/frameworks/kafka (linked as node_modules/@mesos-ts/kafka) → a, @mesos-ts/w (linked) ; a → b (nested in a). */
function tree(built = true): { root: string; kafka: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'km-bundle-'));
  dirs.push(root);
  const kafka = path.join(root, 'frameworks', 'kafka');
  pkg(kafka, '@mesos-ts/kafka', { a: '1', '@mesos-ts/w': '0', '@types/node': '1' }, { 'dist/bin/kafka-mesos.js': "import 'a';\nimport '@mesos-ts/w';\nconsole.log('executor ok');\n", 'src/x.ts': '', 'dist/x.d.ts': '' });
  pkg(path.join(root, 'packages', 'w'), '@mesos-ts/w', {}, built ? { 'dist/index.js': '' } : {});
  writeFileSync(path.join(root, 'packages', 'w', 'package.json'), JSON.stringify({ name: '@mesos-ts/w', exports: { '.': './dist/index.js' } }));
  pkg(path.join(root, 'node_modules', 'a'), 'a', { b: '1' }, { 'index.js': "import 'b';\n", 'README.md': 'x' });
  writeFileSync(path.join(root, 'node_modules', 'a', 'package.json'), JSON.stringify({ name: 'a', main: 'index.js', type: 'module', dependencies: { b: '1' } }));
  pkg(path.join(root, 'node_modules', 'a', 'node_modules', 'b'), 'b', {}, { 'index.js': '' });
  mkdirSync(path.join(root, 'node_modules', '@mesos-ts'), { recursive: true });
  symlinkSync(kafka, path.join(root, 'node_modules', '@mesos-ts', 'kafka'));
  symlinkSync(path.join(root, 'packages', 'w'), path.join(root, 'node_modules', '@mesos-ts', 'w'));
  return { root, kafka };
}

describe('executorBundle', () => {
  it('lists the runtime closure and tars a tree that runs outside the install', () => {
    const { root, kafka } = tree();
    const bundle = executorBundle(kafka);
    expect(bundle.name).toMatch(/^kafka-mesos-[0-9a-f]{12}\.tgz$/);
    expect(bundle).toEqual({
      name: bundle.name,
      root,
      top: 'kafka-mesos',
      members: ['node_modules/@mesos-ts/kafka/dist', 'node_modules/@mesos-ts/kafka/package.json', 'node_modules/@mesos-ts/w/dist', 'node_modules/@mesos-ts/w/package.json', 'node_modules/a'],
      command: 'node kafka-mesos/node_modules/@mesos-ts/kafka/dist/bin/kafka-mesos.js executor',
    });
    const sandbox = mkdtempSync(path.join(os.tmpdir(), 'km-sandbox-'));
    dirs.push(sandbox);
    writeFileSync(path.join(sandbox, bundle.name), execFileSync('tar', bundleTarArgs(bundle)));
    execFileSync('tar', ['-xzf', bundle.name], { cwd: sandbox });
    expect(existsSync(path.join(sandbox, 'kafka-mesos/node_modules/a/node_modules/b/index.js'))).toBe(true);
    expect(existsSync(path.join(sandbox, 'kafka-mesos/node_modules/a/README.md'))).toBe(false);
    expect(existsSync(path.join(sandbox, 'kafka-mesos/node_modules/@mesos-ts/kafka/src'))).toBe(false);
    expect(existsSync(path.join(sandbox, 'kafka-mesos/node_modules/@mesos-ts/kafka/dist/x.d.ts'))).toBe(false);
    expect(execFileSync('sh', ['-c', bundle.command.replace(' executor', '')], { cwd: sandbox }).toString()).toBe('executor ok\n');
  });

  it.each<[string, (t: { root: string; kafka: string }) => void, string]>([
    ['a missing dependency', (t) => rmSync(path.join(t.root, 'node_modules', 'a', 'node_modules', 'b'), { recursive: true }), 'b (needed by a) is not installed'],
    ['an unbuilt workspace package', (t) => rmSync(path.join(t.root, 'packages', 'w', 'dist'), { recursive: true }), '@mesos-ts/w is not built'],
    ['a package not installed in a node_modules', (t) => rmSync(path.join(t.root, 'node_modules', '@mesos-ts', 'kafka')), 'is not installed in a node_modules above'],
  ])('refuses %s with a clear error', (_, breakIt, message) => {
    const t = tree();
    breakIt(t);
    expect(() => executorBundle(t.kafka)).toThrow(message);
    try {
      executorBundle(t.kafka);
    } catch (e) {
      expect(isKafkaError(e, 'UNAVAILABLE')).toBe(true);
    }
  });
});
