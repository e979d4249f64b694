#!/usr/bin/env node
// `npm test`: the whole suite. Installs the system packages tests need, runs the architecture-rule tests,
// assembles (or verifies the cached) real product distributions the e2e tests run (e2e/dists), then lint +
// test of every workspace package through nx, one task at a time (the daemon and e2e tests are timing-
// sensitive, and several suites at once oversubscribe a 2-core machine), and closes with one line that counts
// every test: "tests: N passed, N failed". Exit code: 0 only when every step passed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const totals = { passed: 0, failed: 0, skipped: 0 };
const ANSI = /\u001b\[[0-9;]*m/g;

/** Adds the counts in one line of vitest's or node --test's summary to the totals. */
function count(line) {
  const text = line.replace(ANSI, '');
  const vitest = /^\S*:?\s*Tests\s+(.*)$/.exec(text.replace(/^@[\w/-]+:\s*/, ''));
  if (vitest) {
    for (const [, n, what] of vitest[1].matchAll(/(\d+) (passed|failed|skipped)/g)) totals[what] += Number(n);
    return;
  }
  const node = /^# (pass|fail|skipped) (\d+)$/.exec(text);
  if (node) totals[{ pass: 'passed', fail: 'failed', skipped: 'skipped' }[node[1]]] += Number(node[2]);
}

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let pending = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(count);
    });
    child.on('close', (code, signal) => {
      if (pending) count(pending);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const steps = [
  [process.execPath, ['tools/ensure-test-deps.mjs']],
  [process.execPath, ['--test', 'tools/boundaries.test.mjs']],
  // Real distributions (Kafka from Maven Central, …) assembled once and cached; later runs verify the cache.
  ['node_modules/.bin/tsx', ['e2e/dists/cli.ts', 'ensure']],
  ['node_modules/.bin/nx', ['run-many', '-t', 'lint', 'test', '--outputStyle=stream', '--parallel=1']],
];
let status = 0;
for (const [command, args] of steps) {
  status = await run(command, args);
  if (status !== 0) break;
}
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(status !== 0 ? status : totals.failed > 0 ? 1 : 0);
