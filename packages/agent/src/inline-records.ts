// Records of inline command tasks of frameworks that do not checkpoint, so that the next agent on this work_dir
// can kill them (without checkpointing, tasks must not outlive their agent). They live in one append-only log,
// work_dir/meta/inline/records.log, of lines `+<container id> <pid> <start ticks>` and `-<container id>`,
// rather than a file per task: creating and deleting an inode per task made inode allocation scan every
// recently deleted inode on ext4 without a journal (a quarter of the agent's CPU at 300 tasks/s). Lines
// asked for while a write is in progress go out together in the next write (one open, write, close). The log is rewritten with only
// the live records once it holds mostly dead ones. Not fsynced: it must survive the agent (kill -9), which the
// page cache does; after a reboot no task of the previous agent runs anyway.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';

export interface InlineRecord {
  containerId: string;
  pid: number;
  startTicks: number;
}

const LOG = 'records.log';
/** Rewrite the log once it has this many lines and four times as many as live records. */
const COMPACT_LINES = 4096;

export class InlineRecordLog {
  private queued: Array<{ line: string; done: (e?: unknown) => void }> = [];
  private chain: Promise<void> = Promise.resolve();
  private flushing = false;
  /** Live records by container id, as their log lines (a rewrite keeps exactly these). */
  private readonly live = new Map<string, string>();
  private lines = 0;
  /** The log ends in a line torn by a crash: the next write starts on a new line. */
  private torn = false;
  /** Records found as one file each (written by agents before the log): removed by deleting the file. */
  private readonly legacy = new Set<string>();

  constructor(private readonly dir: string) {}

  add(containerId: string, pid: number, startTicks: number): Promise<void> {
    const line = `+${containerId} ${pid} ${startTicks}`;
    this.live.set(containerId, line);
    return this.append(line);
  }

  async remove(containerId: string): Promise<void> {
    if (this.legacy.delete(containerId)) await fs.rm(path.join(this.dir, containerId), { force: true });
    if (!this.live.delete(containerId)) return;
    await this.append(`-${containerId}`);
  }

  /** Every live record on disk (call once, before add/remove): the log's and any legacy files'. */
  async load(): Promise<InlineRecord[]> {
    const text = await fs.readFile(path.join(this.dir, LOG), 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return '';
      throw e;
    });
    this.torn = text.length > 0 && !text.endsWith('\n');
    for (const line of text.split('\n')) {
      const m = /^([+-])(\S+)(?: (\d+) (\d+))?$/.exec(line);
      if (!m) continue; // empty, or torn by a crash mid-append
      this.lines++;
      if (m[1] === '-') this.live.delete(m[2]!);
      else if (m[3] !== undefined) this.live.set(m[2]!, line);
    }
    const out: InlineRecord[] = [...this.live.values()].map((line) => {
      const [id, pid, ticks] = line.slice(1).split(' ');
      return { containerId: id!, pid: Number(pid), startTicks: Number(ticks) };
    });
    for (const name of await fs.readdir(this.dir).catch(() => [] as string[])) {
      if (name === LOG || name.includes('.tmp-')) continue;
      try {
        const r = JSON.parse(await fs.readFile(path.join(this.dir, name), 'utf8')) as { pid: number; start_ticks: number };
        this.legacy.add(name);
        out.push({ containerId: name, pid: r.pid, startTicks: r.start_ticks });
      } catch {
        // torn record: the task was just being launched; nothing to kill by it
      }
    }
    return out;
  }

  private append(line: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ line, done: (e) => (e === undefined ? resolve() : reject(e)) });
      if (this.flushing) return;
      this.flushing = true;
      this.chain = this.chain.then(() => this.flush());
    });
  }

  /** Writes every line queued so far in one write, then rewrites the log if it is mostly dead records. */
  private async flush(): Promise<void> {
    this.flushing = false;
    const batch = this.queued;
    this.queued = [];
    try {
      const text = `${this.torn ? '\n' : ''}${batch.map((b) => b.line).join('\n')}\n`;
      await fs.appendFile(path.join(this.dir, LOG), text).catch(async (e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
        await fs.mkdir(this.dir, { recursive: true });
        await fs.appendFile(path.join(this.dir, LOG), text);
      });
      this.torn = false;
      this.lines += batch.length;
      for (const b of batch) b.done();
    } catch (e) {
      for (const b of batch) b.done(e);
      return;
    }
    if (this.lines >= COMPACT_LINES && this.lines >= 4 * this.live.size) await this.compact().catch(() => undefined);
  }

  private async compact(): Promise<void> {
    const lines = [...this.live.values()];
    await writeFileAtomic(path.join(this.dir, LOG), lines.length > 0 ? `${lines.join('\n')}\n` : '');
    this.lines = lines.length;
  }
}
