// Whether this host lets tests bind-mount (root and a working mount(8)): tests that need it skip with the reason.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Why bind mounts cannot be tested here, or undefined when they can (tries one). */
export function bindMountProblem(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bind-probe-'));
  try {
    mkdirSync(path.join(dir, 'a'));
    mkdirSync(path.join(dir, 'b'));
    execFileSync('mount', ['--bind', path.join(dir, 'a'), path.join(dir, 'b')], { stdio: 'pipe' });
    execFileSync('umount', [path.join(dir, 'b')], { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    return `mount --bind fails: ${(e as Error).message.split('\n')[0]}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
