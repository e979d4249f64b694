// Checkpoints of frameworks, executors, container runs and tasks under work_dir/meta (layout in paths.ts),
// written atomically, and read back whole on recovery. Records are Mesos JSON, so they stay readable.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { v1 } from '@mesos-ts/proto';
import { decodeJson, encodeJson } from '@mesos-ts/wire';
import { readTextIfExists, writeFileAtomic } from './atomic-file.js';
import type { ExecutorKind } from './model.js';
import type { WorkDir } from './paths.js';

export interface RunRecord {
  container_id: string;
  pid: number;
  start_ticks: number;
  sandbox: string;
}

export interface RecoveredTask {
  info: v1.TaskInfo;
  /** The task's status update log, when any. */
  updatesFile: string;
  updatesText: string | undefined;
}

export interface RecoveredRun {
  run: RunRecord;
  tasks: RecoveredTask[];
}

export interface RecoveredExecutor {
  info: v1.ExecutorInfo;
  kind: ExecutorKind;
  inline: boolean;
  runs: RecoveredRun[];
}

export interface RecoveredFramework {
  info: v1.FrameworkInfo;
  executors: RecoveredExecutor[];
}

/** What removeRun must keep although it looks empty on disk: a framework or executor that is live again. */
export interface KeepLive {
  framework(): boolean;
  executor(): boolean;
}

const KEEP_NOTHING: KeepLive = { framework: () => false, executor: () => false };

export class Checkpointer {
  /**
   * Every write and removal under one framework's meta dir runs in order on its chain: a removal of an empty
   * framework dir must never interleave with a write that (re)creates files in it (torn renames, lost records).
   */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly dirs: WorkDir,
    private readonly agentId: () => string,
  ) {}

  framework(info: v1.FrameworkInfo): Promise<void> {
    const fw = info.id!.value;
    return this.serial(fw, () => writeFileAtomic(path.join(this.dirs.frameworkMeta(this.agentId(), fw), 'framework.json'), encodeJson('mesos.v1.FrameworkInfo', info)));
  }

  executor(fw: string, info: v1.ExecutorInfo, kind: ExecutorKind, inline: boolean): Promise<void> {
    const text = JSON.stringify({ kind, inline, info: JSON.parse(encodeJson('mesos.v1.ExecutorInfo', info)) });
    return this.serial(fw, () => writeFileAtomic(path.join(this.dirs.executorMeta(this.agentId(), fw, info.executor_id.value), 'executor.json'), text));
  }

  run(fw: string, ex: string, run: RunRecord): Promise<void> {
    return this.serial(fw, () => writeFileAtomic(path.join(this.dirs.runMeta(this.agentId(), fw, ex, run.container_id), 'run.json'), JSON.stringify(run)));
  }

  task(fw: string, ex: string, container: string, info: v1.TaskInfo): Promise<void> {
    return this.serial(fw, () => writeFileAtomic(path.join(this.dirs.taskMeta(this.agentId(), fw, ex, container, info.task_id.value), 'task.json'), encodeJson('mesos.v1.TaskInfo', info)));
  }

  /** Runs `work` after every earlier write/removal of framework `fw` has settled. */
  private serial<T>(fw: string, work: () => Promise<T>): Promise<T> {
    const result = (this.chains.get(fw) ?? Promise.resolve()).then(work);
    const chain = result.then(
      () => undefined,
      () => undefined,
    );
    this.chains.set(fw, chain);
    void chain.then(() => {
      if (this.chains.get(fw) === chain) this.chains.delete(fw);
    });
    return result;
  }

  updatesFile(fw: string, ex: string, container: string, task: string): string {
    return path.join(this.dirs.taskMeta(this.agentId(), fw, ex, container, task), 'updates');
  }

  /**
   * Inline command tasks of frameworks that do not checkpoint are still recorded (without fsync), so that the
   * next agent can kill them: without checkpointing, tasks must not outlive their agent.
   */
  inlineRecord(containerId: string, pid: number, startTicks: number): Promise<void> {
    return fs.mkdir(this.inlineDir(), { recursive: true }).then(() => fs.writeFile(path.join(this.inlineDir(), containerId), JSON.stringify({ pid, start_ticks: startTicks })));
  }

  removeInlineRecord(containerId: string): Promise<void> {
    return fs.rm(path.join(this.inlineDir(), containerId), { force: true });
  }

  /** Every recorded non-checkpointed inline task: [container id, pid, start ticks]. */
  async inlineRecords(): Promise<Array<{ containerId: string; pid: number; startTicks: number }>> {
    const out: Array<{ containerId: string; pid: number; startTicks: number }> = [];
    for (const name of await list(this.inlineDir())) {
      try {
        const r = JSON.parse(await fs.readFile(path.join(this.inlineDir(), name), 'utf8')) as { pid: number; start_ticks: number };
        out.push({ containerId: name, pid: r.pid, startTicks: r.start_ticks });
      } catch {
        // torn record: the task was just being launched; nothing to kill by it
      }
    }
    return out;
  }

  private inlineDir(): string {
    return path.join(this.dirs.metaDir, 'inline');
  }

  /**
   * Forgets a finished run (its updates are all acknowledged), and the executor/framework when empty on disk
   * and not live again (`keep` is asked in turn, after earlier writes: a new launch may have revived them).
   */
  removeRun(fw: string, ex: string, container: string, keep: KeepLive = KEEP_NOTHING): Promise<void> {
    return this.serial(fw, async () => {
      const agent = this.agentId();
      await fs.rm(this.dirs.runMeta(agent, fw, ex, container), { recursive: true, force: true });
      if (!keep.executor()) await removeIfNoChildren(path.join(this.dirs.executorMeta(agent, fw, ex), 'runs'), this.dirs.executorMeta(agent, fw, ex));
      if (!keep.framework()) await removeIfNoChildren(path.join(this.dirs.frameworkMeta(agent, fw), 'executors'), this.dirs.frameworkMeta(agent, fw));
    });
  }

  /** Everything checkpointed for `agent`; unreadable records are skipped (and reported through `onBad`). */
  async load(agent: string, onBad: (file: string, why: string) => void): Promise<RecoveredFramework[]> {
    const out: RecoveredFramework[] = [];
    const fwRoot = path.join(this.dirs.agentMeta(agent), 'frameworks');
    for (const fw of await list(fwRoot)) {
      const fwDir = path.join(fwRoot, fw);
      const fwText = await readTextIfExists(path.join(fwDir, 'framework.json'));
      if (fwText === undefined) continue;
      const framework: RecoveredFramework = { info: decodeJson('mesos.v1.FrameworkInfo', fwText), executors: [] };
      for (const ex of await list(path.join(fwDir, 'executors'))) {
        const exDir = path.join(fwDir, 'executors', ex);
        const exFile = path.join(exDir, 'executor.json');
        try {
          const exText = await readTextIfExists(exFile);
          if (exText === undefined) continue;
          const parsed = JSON.parse(exText) as { kind: ExecutorKind; inline?: boolean; info: unknown };
          const executor: RecoveredExecutor = { kind: parsed.kind, inline: parsed.inline === true, info: decodeJson('mesos.v1.ExecutorInfo', JSON.stringify(parsed.info)), runs: [] };
          for (const cid of await list(path.join(exDir, 'runs'))) {
            const runDir = path.join(exDir, 'runs', cid);
            const runText = await readTextIfExists(path.join(runDir, 'run.json'));
            if (runText === undefined) continue;
            const run: RecoveredRun = { run: JSON.parse(runText) as RunRecord, tasks: [] };
            for (const task of await list(path.join(runDir, 'tasks'))) {
              const taskDir = path.join(runDir, 'tasks', task);
              const infoText = await readTextIfExists(path.join(taskDir, 'task.json'));
              if (infoText === undefined) continue;
              const updatesFile = path.join(taskDir, 'updates');
              run.tasks.push({ info: decodeJson('mesos.v1.TaskInfo', infoText), updatesFile, updatesText: await readTextIfExists(updatesFile) });
            }
            executor.runs.push(run);
          }
          framework.executors.push(executor);
        } catch (e) {
          onBad(exFile, (e as Error).message);
        }
      }
      out.push(framework);
    }
    return out;
  }
}

async function list(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).filter((n) => !n.includes('.tmp-'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

async function removeIfNoChildren(listDir: string, removeDir: string): Promise<void> {
  if ((await list(listDir)).length === 0) await fs.rm(removeDir, { recursive: true, force: true });
}
