import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { Checkpointer } from './checkpoint.js';
import { WorkDir } from './paths.js';

const fwInfo: v1.FrameworkInfo = { id: { value: 'fw' }, user: 'u', name: 'f', checkpoint: true };
const exInfo = (id: string): v1.ExecutorInfo => ({ executor_id: { value: id }, command: { value: 'x' } });

describe('Checkpointer.removeRun', () => {
  let root: string;
  let dirs: WorkDir;
  let cp: Checkpointer;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'checkpoint-spec-'));
    dirs = new WorkDir(root);
    cp = new Checkpointer(dirs, () => 'agent');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    { keepFramework: false, keepExecutor: false, framework: false, executor: false },
    { keepFramework: true, keepExecutor: false, framework: true, executor: false },
    { keepFramework: true, keepExecutor: true, framework: true, executor: true },
  ])('keep framework=$keepFramework executor=$keepExecutor', async ({ keepFramework, keepExecutor, framework, executor }) => {
    await cp.framework(fwInfo);
    await cp.executor('fw', exInfo('e1'), 'command', false);
    await cp.run('fw', 'e1', { container_id: 'c1', pid: 1, start_ticks: 1, sandbox: '/s' });
    await cp.removeRun('fw', 'e1', 'c1', { framework: () => keepFramework, executor: () => keepExecutor });
    expect(existsSync(path.join(dirs.frameworkMeta('agent', 'fw'), 'framework.json'))).toBe(framework);
    expect(existsSync(path.join(dirs.executorMeta('agent', 'fw', 'e1'), 'executor.json'))).toBe(executor);
    expect(existsSync(dirs.runMeta('agent', 'fw', 'e1', 'c1'))).toBe(false);
  });

  it('runs writes and removals of one framework in call order, never torn', async () => {
    // Each round: the last executor's run (and so the framework dir) is removed while the next launch writes
    // its records; the writes were asked after the removal, so they must all be there afterwards.
    for (let i = 0; i < 30; i++) {
      await cp.run('fw', `e${i}`, { container_id: `c${i}`, pid: 1, start_ticks: 1, sandbox: '/s' });
      await Promise.all([cp.removeRun('fw', `e${i}`, `c${i}`), cp.framework(fwInfo), cp.executor('fw', exInfo(`e${i + 1}`), 'command', false)]);
      expect(existsSync(path.join(dirs.frameworkMeta('agent', 'fw'), 'framework.json'))).toBe(true);
      expect(existsSync(path.join(dirs.executorMeta('agent', 'fw', `e${i + 1}`), 'executor.json'))).toBe(true);
    }
  });
});
