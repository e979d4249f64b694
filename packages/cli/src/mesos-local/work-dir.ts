// mesos-local's --work_dir, created one component at a time before anything starts. Node's recursive mkdir
// spins at full CPU on some special filesystems (e.g. /proc/forbidden), so we never hand it a path we have not
// checked: each missing component is made with a plain mkdir, and the first failure becomes a usage error.
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { usage } from '../errors.js';

export function prepareWorkDir(dir: string): void {
  const absolute = path.resolve(dir);
  const parts = absolute.split(path.sep).filter((p) => p !== '');
  let current: string = path.sep;
  for (const part of parts) {
    current = path.join(current, part);
    let isDir: boolean;
    try {
      isDir = statSync(current).isDirectory();
    } catch {
      try {
        mkdirSync(current);
        continue;
      } catch (e) {
        throw problem(dir, `cannot create ${current} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      }
    }
    if (!isDir) throw problem(dir, `${current} is not a directory`);
  }
  try {
    accessSync(absolute, constants.W_OK);
  } catch {
    throw problem(dir, `${absolute} is not writable`);
  }
}

const problem = (dir: string, why: string): Error =>
  usage(`--work_dir=${dir}: ${why}; pick a directory you can write, e.g. --work_dir=./.mesos-ts`);
