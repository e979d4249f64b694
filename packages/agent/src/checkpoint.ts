// Checkpoints of frameworks, executors, container runs and tasks under work_dir/meta (layout in paths.ts),
// written atomically, and read back whole on recovery. Records are Mesos JSON, so they stay readable.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { v1 } from '@mesos-ts/proto';
import { decodeJson, encodeJson } from '@mesos-ts/wire';
import { readTextIfExists, writeFileAtomic } from './atomic-file.js';
import { InlineRecordLog, type InlineRecord } from './inline-records.js';
import type { ExecutorKind } from './model.js';
import type { WorkDir } from './paths.js';

export interface RunRecord {
  container_id: string;
  pid: number;
  start_ticks: number;
  sandbox: string;
  /** GPU device indices assigned to the container (absent: none). */
  gpus?: number[];
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
   * Writes and removals under one framework's meta dir run in call order on its queue, except that jobs on
   * unrelated paths asked while earlier ones run go together (group commit): a removal of an empty dir never
   * interleaves with a write that (re)creates files in it, and one file's writes never race (torn renames).
   */
  private readonly queues = new Map<string, MetaQueue>();
  private readonly inline: InlineRecordLog;

  constructor(
    private readonly dirs: WorkDir,
    private readonly agentId: () => string,
  ) {
    this.inline = new InlineRecordLog(path.join(dirs.metaDir, 'inline'));
  }

  framework(info: v1.FrameworkInfo): Promise<void> {
    const fw = info.id!.value;
    const file = path.join(this.dirs.frameworkMeta(this.agentId(), fw), 'framework.json');
    return this.queue(fw).job([file], () => writeFileAtomic(file, encodeJson('mesos.v1.FrameworkInfo', info)));
  }

  executor(fw: string, info: v1.ExecutorInfo, kind: ExecutorKind, inline: boolean): Promise<void> {
    const text = JSON.stringify({ kind, inline, info: JSON.parse(encodeJson('mesos.v1.ExecutorInfo', info)) });
    const file = path.join(this.dirs.executorMeta(this.agentId(), fw, info.executor_id.value), 'executor.json');
    return this.queue(fw).job([file], () => writeFileAtomic(file, text));
  }

  run(fw: string, ex: string, run: RunRecord): Promise<void> {
    const file = path.join(this.dirs.runMeta(this.agentId(), fw, ex, run.container_id), 'run.json');
    return this.queue(fw).job([file], () => writeFileAtomic(file, JSON.stringify(run)));
  }

  task(fw: string, ex: string, container: string, info: v1.TaskInfo): Promise<void> {
    const file = path.join(this.dirs.taskMeta(this.agentId(), fw, ex, container, info.task_id.value), 'task.json');
    return this.queue(fw).job([file], () => writeFileAtomic(file, encodeJson('mesos.v1.TaskInfo', info)));
  }

  private queue(fw: string): MetaQueue {
    let q = this.queues.get(fw);
    if (!q) {
      const created = new MetaQueue(() => {
        if (this.queues.get(fw) === created) this.queues.delete(fw);
      });
      this.queues.set(fw, created);
      q = created;
    }
    return q;
  }

  updatesFile(fw: string, ex: string, container: string, task: string): string {
    return path.join(this.dirs.taskMeta(this.agentId(), fw, ex, container, task), 'updates');
  }

  /**
   * Inline command tasks of frameworks that do not checkpoint are still recorded (without fsync), so that the
   * next agent can kill them: without checkpointing, tasks must not outlive their agent.
   */
  inlineRecord(containerId: string, pid: number, startTicks: number): Promise<void> {
    return this.inline.add(containerId, pid, startTicks);
  }

  removeInlineRecord(containerId: string): Promise<void> {
    return this.inline.remove(containerId);
  }

  /** Every recorded non-checkpointed inline task (read once, at recovery). */
  inlineRecords(): Promise<InlineRecord[]> {
    return this.inline.load();
  }

  /**
   * Forgets a finished run (its updates are all acknowledged), and the executor/framework when empty on disk
   * and not live again (`keep` is asked in turn, after earlier writes: a new launch may have revived them).
   */
  removeRun(fw: string, ex: string, container: string, keep: KeepLive = KEEP_NOTHING): Promise<void> {
    const agent = this.agentId();
    const exDir = this.dirs.executorMeta(agent, fw, ex);
    const fwDir = this.dirs.frameworkMeta(agent, fw);
    const q = this.queue(fw);
    const run = q.job([exDir], async () => {
      await fs.rm(this.dirs.runMeta(agent, fw, ex, container), { recursive: true, force: true });
      if (!keep.executor()) await removeIfNoChildren(path.join(exDir, 'runs'), exDir);
    });
    // The framework dir is everybody's parent: its clean-up waits for every earlier job and blocks later ones.
    const sweep = q.sweep(keep, () => removeIfNoChildren(path.join(fwDir, 'executors'), fwDir));
    return Promise.all([run, sweep]).then(() => undefined);
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

/**
 * One framework's checkpoint jobs, in stages run one after another. A stage is either a batch of jobs on
 * unrelated paths, run concurrently, or a sweep (the framework dir's clean-up), which is alone in its stage.
 * A job joins the last stage when that is a batch not started yet and none of its paths is, contains or is
 * inside one of the job's; otherwise it starts a new stage. Sweeps asked back to back share one stage.
 */
class MetaQueue {
  private tail: Promise<void> = Promise.resolve();
  private open: { kind: 'batch'; paths: string[]; jobs: Array<() => Promise<void>> } | { kind: 'sweep'; keeps: KeepLive[]; done: Promise<void> } | undefined;
  private stages = 0;

  constructor(private readonly onIdle: () => void) {}

  /** Runs `work`, which touches only `paths` (files or dirs), after every earlier job it could conflict with. */
  job(paths: string[], work: () => Promise<void>): Promise<void> {
    let open = this.open;
    if (open?.kind !== 'batch' || open.paths.some((p) => paths.some((q) => overlaps(p, q)))) {
      const batch = { kind: 'batch' as const, paths: [] as string[], jobs: [] as Array<() => Promise<void>> };
      this.stage(batch, () => Promise.all(batch.jobs.map((j) => j())).then(() => undefined));
      open = batch;
    }
    open.paths.push(...paths);
    const jobs = open.jobs;
    return new Promise<void>((resolve, reject) => {
      jobs.push(() => Promise.resolve().then(work).then(resolve, reject));
    });
  }

  /** Runs `sweep` after every earlier job and before every later one, unless every `keep` says the framework is live. */
  sweep(keep: KeepLive, sweep: () => Promise<void>): Promise<void> {
    if (this.open?.kind === 'sweep') {
      this.open.keeps.push(keep);
      return this.open.done;
    }
    const keeps = [keep];
    const stage = { kind: 'sweep' as const, keeps, done: Promise.resolve() };
    stage.done = this.stage(stage, () => (keeps.every((k) => k.framework()) ? Promise.resolve() : sweep()));
    return stage.done;
  }

  private stage(open: NonNullable<MetaQueue['open']>, run: () => Promise<void>): Promise<void> {
    this.open = open;
    this.stages++;
    const result = this.tail.then(() => {
      // Started: later jobs go to a new stage.
      if (this.open === open) this.open = undefined;
      return run();
    });
    this.tail = result.then(
      () => this.settled(),
      () => this.settled(),
    );
    return result;
  }

  private settled(): void {
    if (--this.stages === 0) this.onIdle();
  }
}

/** Whether one path is the other or inside it. */
function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}
