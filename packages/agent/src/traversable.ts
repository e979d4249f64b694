// A task running as the framework's user must be able to reach its sandbox and its volumes: every directory
// the agent made between work_dir and them needs search (x) permission for that user. The agent's own umask
// may have left them 0700; upstream's are 0755.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

/**
 * Adds group and other search permission to every directory strictly below `base` down to and including
 * `target`'s parent. `base` itself (the operator's work_dir) is only checked: a warning says how to fix it.
 */
export async function ensureTraversable(base: string, target: string, log: Logger): Promise<void> {
  const rel = path.relative(base, path.dirname(target));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return;
  const baseMode = (await fs.stat(base)).mode;
  if ((baseMode & 0o001) === 0) log.warn({ work_dir: base, mode: (baseMode & 0o777).toString(8) }, 'work_dir is not searchable by other users: tasks switched to a framework user cannot reach their sandboxes; chmod o+x it');
  let dir = base;
  for (const part of rel === '' ? [] : rel.split(path.sep)) {
    dir = path.join(dir, part);
    const mode = (await fs.stat(dir)).mode & 0o7777;
    if ((mode & 0o011) !== 0o011) await fs.chmod(dir, mode | 0o011);
  }
}
