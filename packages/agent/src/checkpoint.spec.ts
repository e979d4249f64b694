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

  it.each([
    { name: 'a removal asked right after its run was written waits for the write', calls: ['run e1 c1', 'remove e1 c1'], exists: { run: false, executor: false, framework: false } },
    { name: 'writes asked after a removal land after it', calls: ['run e1 c1', 'remove e1 c1', 'framework', 'executor e1'], exists: { run: false, executor: true, framework: true } },
    { name: "another executor's write beside a removal survives it", calls: ['framework', 'run e1 c1', 'executor e2', 'remove e1 c1'], exists: { run: false, executor: true, framework: true } },
    { name: 'a removal before the run is written again leaves the new run', calls: ['run e1 c1', 'remove e1 c1', 'run e1 c1'], exists: { run: true, executor: false, framework: false } },
  ])('calls not awaited one by one keep their order where paths overlap: $name', async ({ calls, exists }) => {
    const pending = calls.map((c) => {
      const [what, ex, run] = c.split(' ');
      if (what === 'framework') return cp.framework(fwInfo);
      if (what === 'executor') return cp.executor('fw', exInfo(ex!), 'command', false);
      if (what === 'run') return cp.run('fw', ex!, { container_id: run!, pid: 1, start_ticks: 1, sandbox: '/s' });
      return cp.removeRun('fw', ex!, run!);
    });
    await Promise.all(pending);
    expect(existsSync(path.join(dirs.runMeta('agent', 'fw', 'e1', 'c1'), 'run.json'))).toBe(exists.run);
    expect(existsSync(path.join(dirs.executorMeta('agent', 'fw', exists.executor && calls.includes('executor e2') ? 'e2' : 'e1'), 'executor.json'))).toBe(exists.executor);
    expect(existsSync(path.join(dirs.frameworkMeta('agent', 'fw'), 'framework.json'))).toBe(exists.framework);
  });
});
