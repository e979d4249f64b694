// Tests for the architecture lint rules (run by `npm test` through `node --test tools/`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkWorkspace, findCycles, importsOf } from './boundaries.mjs';

const pkg = (files, dependencies = []) => ({ files: new Map(Object.entries(files)), dependencies });
const messages = (packages) => checkWorkspace(new Map(Object.entries(packages))).map((v) => `${v.pkg}${v.file ? `/${v.file}` : ''}: ${v.message}`);

test('importsOf finds static, re-export, side-effect and dynamic imports with lines', () => {
  const text = "import a from 'x';\nexport { b } from \"y\";\nimport 'z';\nconst c = await import('w');\nimport type {\n  D,\n} from 'v';";
  assert.deepEqual(importsOf(text).map((i) => [i.spec, i.line]).sort(), [['v', 5], ['w', 4], ['x', 1], ['y', 2], ['z', 3]]);
});

test('allowed imports pass', () => {
  assert.deepEqual(messages({
    proto: pkg({ 'src/index.ts': "import protobuf from 'protobufjs';" }),
    wire: pkg({ 'src/index.ts': "import { root } from '@mesos-ts/proto';" }, ['proto']),
    e2e: pkg({ 'src/a.spec.ts': "import '@mesos-ts/wire';" }, ['wire']),
  }), []);
});

test('a forbidden import is reported with the allowed list', () => {
  const out = messages({
    proto: pkg({}),
    wire: pkg({}, ['proto']),
    resources: pkg({ 'src/x.ts': "\n\nimport { x } from '@mesos-ts/wire';" }, ['proto', 'wire']),
  });
  assert.equal(out.length, 1);
  assert.match(out[0], /^resources\/src\/x\.ts: 'resources' may not import 'wire' \(allowed: proto, common\)/);
});

test('frameworks may not import the master or each other', () => {
  const out = messages({
    master: pkg({}),
    'frameworks/kafka': pkg({ 'src/a.ts': "import '@mesos-ts/master';" }, ['master']),
  });
  assert.ok(out.some((m) => m.includes("'frameworks/kafka' may not import 'master'")), out.join('\n'));
});

test('only mesos-local may start master and agent in-process from cli', () => {
  const ws = (file) => messages({ master: pkg({}), cli: pkg({ [file]: "import '@mesos-ts/master';" }, ['master']) });
  assert.deepEqual(ws('src/mesos-local/main.ts'), []);
  assert.equal(ws('src/mesos-execute/main.ts').length, 1);
});

test('deep imports, undeclared dependencies and cross-package relative imports are reported', () => {
  const out = messages({
    proto: pkg({}),
    wire: pkg({ 'src/a.ts': "import { x } from '@mesos-ts/proto/src/generated/v1.js';\nimport '../../proto/src/index.js';\nimport '../../../packages/proto/src/index.js';" }),
  });
  assert.ok(out.some((m) => m.includes('deep import')), out.join('\n'));
  assert.ok(out.some((m) => m.includes('does not list it in dependencies')), out.join('\n'));
  assert.ok(out.some((m) => m.includes('reaches into another package')), out.join('\n'));
});

test('pure packages may not use clocks, timers, randomness or I/O modules; specs and benches may', () => {
  const out = messages({
    proto: pkg({}),
    resources: pkg({
      'src/a.ts': "import { readFileSync } from 'node:fs';\nexport const t = Date.now();\n// Math.random() in a comment is fine",
      'src/a.spec.ts': "import { readFileSync } from 'node:fs';\nconst t = Date.now();",
      'bench/b.ts': 'setTimeout(() => {}, 1);',
    }, ['proto']),
    'frameworks/kafka': pkg({ 'src/domain/plan.ts': 'const r = Math.random();', 'src/scheduler/run.ts': 'setTimeout(() => {}, 1);' }),
  });
  assert.deepEqual(out.sort(), [
    "frameworks/kafka/src/domain/plan.ts: pure code may not call Math.random(): take time and randomness as parameters",
    "resources/src/a.ts: pure code may not call Date.now(): take time and randomness as parameters",
    "resources/src/a.ts: pure code may not import 'node:fs' (no sockets, files, timers or clocks: pass them in)",
  ]);
});

test('package cycles and file cycles are reported', () => {
  const out = messages({
    proto: pkg({}, ['wire']),
    wire: pkg({ 'src/a.ts': "import { b } from './b.js';", 'src/b.ts': "import { a } from './a.js';", 'src/c.ts': "import './a.js';" }, ['proto']),
  });
  assert.ok(out.includes('proto: package dependency cycle: proto -> wire -> proto'), out.join('\n'));
  assert.ok(out.includes('wire/src/a.ts: import cycle between files: src/a.ts -> src/b.ts -> src/a.ts'), out.join('\n'));
  assert.ok(out.some((m) => m.includes("'proto' may not import") || m.includes('cycle')));
});

test('unknown packages must be added to the table', () => {
  assert.match(messages({ mystery: pkg({}) })[0], /not in DESIGN\.md's import table/);
});

test('findCycles reports each cycle once, from its smallest member', () => {
  const edges = new Map([['b', new Set(['c'])], ['c', new Set(['a'])], ['a', new Set(['b'])], ['d', new Set(['d'])]]);
  assert.deepEqual(findCycles(edges), [['a', 'b', 'c', 'a'], ['d', 'd']]);
});
