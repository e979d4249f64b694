import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_STATUS_FILE, inlineArgv, inlineOutcome, outcomeOf } from './inline-command.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('inline command tasks', () => {
  it.each([
    [0, false, 'TASK_FINISHED', 'Command exited with status 0'],
    [3, false, 'TASK_FAILED', 'Command exited with status 3'],
    [137, false, 'TASK_FAILED', 'Command terminated with signal Killed'],
    [143, true, 'TASK_KILLED', 'Command terminated with signal Terminated'],
  ])('exit code %d (killed %s) -> %s', (code, killed, state, message) => {
    expect(outcomeOf(code, killed)).toEqual({ state, message });
  });

  it.each([
    [{ value: 'echo "$0 $1" >/dev/null; exit 4' }, 4],
    [{ shell: false, value: '/bin/sh', arguments: ['sh', '-c', 'exit 5'] }, 5],
  ])('the wrapper records the exit status of %j and exits with it', async (command, code) => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'inline-'));
    const [file, ...args] = inlineArgv(command, dir, true);
    const r = spawnSync(file!, args, { cwd: dir });
    expect(r.status).toBe(code);
    expect(readFileSync(path.join(dir, EXIT_STATUS_FILE), 'utf8').trim()).toBe(String(code));
    // A restarted agent (no wait status) reads the file.
    expect(await inlineOutcome(dir, { status: undefined, message: '' }, false)).toEqual(outcomeOf(code, false));
  });

  it('runs the command directly when nothing needs the status file', () => {
    expect(inlineArgv({ value: 'true' }, '/sb', false)).toEqual(['/bin/sh', '-c', 'true']);
    expect(inlineArgv({ shell: false, value: '/bin/echo', arguments: ['echo', 'a'] }, '/sb', false)).toEqual(['/bin/echo', 'a']);
  });
});
