// The README's "A five-minute tour", run as written: its first code block is parsed from README.md and every line
// runs through `sh -c` in the repository (so `npx` finds the built bins) against a fresh `npm start`-style cluster
// (packages/cli/dist/bin/mesos-local.js). The only change to a line: the cluster listens on an ephemeral port, so
// `127.0.0.1:5050` becomes its address (and MESOS_MASTER names it for lines that rely on the default). Each line
// must exit as its comment says (`# exit N`, else 0), and what it prints is checked where the README says what.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from './harness/daemons.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const localBin = path.join(repo, 'packages', 'cli', 'dist', 'bin', 'mesos-local.js');

/** The command lines of the first ```sh block under "## A five-minute tour". */
export function tourCommands(readme: string): string[] {
  const section = readme.split(/^## /m).find((s) => s.startsWith('A five-minute tour'));
  if (!section) throw new Error("README.md has no '## A five-minute tour' section");
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('the tour has no ```sh code block');
  return block.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}

/** `# exit N` in a line's comment, else 0. */
const expectedExit = (line: string): number => Number(/#\s*exit\s+(\d+)/.exec(line)?.[1] ?? 0);

/** What a line's output must show, by the command it runs (the README's comments say the same in words). */
const OUTPUT_CHECKS: [RegExp, (out: string) => void][] = [
  [/mesos ps --all/, (out) => expect(out).toMatch(/echo-test\s+(TASK_)?FINISHED/)],
  [/mesos cat echo-test/, (out) => expect(out).toContain('Hello, World')],
  [/mesos agents/, (out) => expect(out).toMatch(/agent-0|hostname:agent-0/)],
  [/mesos state completed_frameworks\.0\.name/, (out) => expect(out.trim()).toBe('mesos-execute instance')],
  [/metrics\/snapshot/, (out) => expect(Object.keys(JSON.parse(out) as object)).toContain('master/tasks_finished')],
];

let dir: string;
let local: ChildProcess | undefined;
let master = '';

beforeAll(async () => {
  if (!existsSync(localBin)) execFileSync('npx', ['nx', 'run', '@mesos-ts/cli:build', '--outputStyle=static'], { cwd: repo, stdio: 'ignore', timeout: 300_000 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'readme-tour-'));
  local = spawn(process.execPath, [localBin, '--port=0', `--work_dir=${path.join(dir, 'state')}`, '--allocation_interval=100ms'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  local.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  local.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  await waitUntil(() => /master {2}http:\/\/(\S+)/.test(out) || local!.exitCode !== null, 60_000, 'the ready banner of mesos-local');
  const m = /master {2}http:\/\/(\S+)/.exec(out);
  if (!m) throw new Error(`mesos-local did not start:\n${out}`);
  master = m[1]!;
}, 400_000);

afterAll(async () => {
  if (local && local.exitCode === null) {
    const exited = new Promise((r) => local!.once('exit', r));
    local.kill('SIGINT');
    const timer = setTimeout(() => local!.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function run(line: string): Promise<{ code: number | null; out: string; err: string }> {
  const command = line.replaceAll('127.0.0.1:5050', master);
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd: repo, env: { ...process.env, MESOS_MASTER: master }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

describe('README tour', () => {
  it('every line of the tour runs as written and exits as its comment says', async () => {
    const lines = tourCommands(readFileSync(path.join(repo, 'README.md'), 'utf8'));
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      const r = await run(line);
      expect(r.code, `${line}\nstdout:\n${r.out}\nstderr:\n${r.err}`).toBe(expectedExit(line));
      for (const [pattern, check] of OUTPUT_CHECKS) if (pattern.test(line)) check(r.out);
    }
    // Every check met its line: a README edit that drops a line makes this fail instead of silently passing.
    for (const [pattern] of OUTPUT_CHECKS) expect(lines.some((l) => pattern.test(l)), `a tour line matching ${String(pattern)}`).toBe(true);
  }, 300_000);
});
