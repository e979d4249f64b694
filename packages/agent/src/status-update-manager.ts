// Reliable status updates. One stream per task: updates are kept in arrival order, the oldest unacknowledged
// one is forwarded to the master and re-sent with backoff (10 s doubling to 10 min) until an ACKNOWLEDGE names
// its uuid; then the next one goes. Streams of checkpointing frameworks are logged (JSON lines) so a restarted
// agent resumes them: an update is fsynced before it is queued (so before it is ever sent). An acknowledgement
// is written but not fsynced: it survives a kill -9 of the agent (the page cache does), is made durable by the
// stream's next fsync, and a power loss before that only makes the next agent send an acknowledged update
// once more (at-least-once, as upstream, which fsyncs neither). Each log keeps its descriptor open while
// updates are pending, so a task's few updates cost one open, not one per line.
// Updates without a uuid are never queued here (nobody acknowledges them).
import type { Logger } from 'pino';
import type { v1 } from '@mesos-ts/proto';
import { decodeJson, encodeJson } from '@mesos-ts/wire';
import { AppendLog } from './atomic-file.js';
import type { Clock, Timer } from '@mesos-ts/common';

export const INITIAL_RETRY_MS = 10_000;
export const MAX_RETRY_MS = 600_000;

export interface StatusUpdateManagerOptions {
  clock: Clock;
  log: Logger;
  /** Sends one update to the master (fire and forget; failures are covered by the retry timer). */
  forward: (frameworkId: string, status: v1.TaskStatus) => void;
}

interface Stream {
  frameworkId: string;
  taskId: string;
  /** Log when the framework checkpoints. */
  log: AppendLog | undefined;
  pending: v1.TaskStatus[];
  /** uuids (base64) ever seen on this stream: executors resend unacknowledged updates after reconnecting. */
  seen: Set<string>;
  acked: Set<string>;
  timer: Timer | undefined;
  backoffMs: number;
  /** Serializes log writes so the log order is the arrival order. */
  chain: Promise<void>;
}

export type UpdateResult = 'queued' | 'duplicate' | 'acknowledged-already';

const key = (fw: string, task: string): string => `${fw}\0${task}`;
export const uuidKey = (uuid: Uint8Array): string => Buffer.from(uuid).toString('base64');

export class StatusUpdateManager {
  private readonly streams = new Map<string, Stream>();
  private active = false;

  constructor(private readonly opts: StatusUpdateManagerOptions) {}

  /** Queues an update (it must carry a uuid); `logFile` set when the framework checkpoints. */
  update(frameworkId: string, status: v1.TaskStatus, logFile: string | undefined): Promise<UpdateResult> {
    if (!status.uuid || status.uuid.length === 0) throw new Error('status updates handled by the status update manager must carry a uuid');
    const stream = this.stream(frameworkId, status.task_id.value, logFile);
    const id = uuidKey(status.uuid);
    if (stream.acked.has(id)) return Promise.resolve('acknowledged-already');
    if (stream.seen.has(id)) return Promise.resolve('duplicate');
    stream.seen.add(id);
    const write = stream.chain.then(async () => {
      if (stream.log !== undefined) await stream.log.append(`{"u":${encodeJson('mesos.v1.TaskStatus', status)}}`, true);
      stream.pending.push(status);
      if (stream.pending.length === 1) this.send(stream, true);
    });
    stream.chain = write.catch(() => undefined);
    return write.then(() => 'queued' as const);
  }

  /** The master acknowledged `uuid`; returns the acknowledged update, or undefined when it was not the head. */
  async acknowledge(frameworkId: string, taskId: string, uuid: Uint8Array): Promise<v1.TaskStatus | undefined> {
    const stream = this.streams.get(key(frameworkId, taskId));
    const head = stream?.pending[0];
    if (!stream || !head?.uuid || uuidKey(head.uuid) !== uuidKey(uuid)) {
      this.opts.log.debug({ framework_id: frameworkId, task_id: taskId }, 'ignoring acknowledgement of an update that is not pending');
      return undefined;
    }
    const log = stream.log;
    const write = stream.chain.then(() => log?.append(JSON.stringify({ a: uuidKey(uuid) }), false));
    stream.chain = write.catch(() => undefined);
    await write;
    stream.acked.add(uuidKey(uuid));
    stream.pending.shift();
    if (stream.timer) stream.timer.cancel();
    stream.timer = undefined;
    stream.backoffMs = INITIAL_RETRY_MS;
    if (stream.pending.length > 0) this.send(stream, true);
    else this.closeLogWhenIdle(stream);
    return head;
  }

  /** Unacknowledged updates of a task, oldest first. */
  pending(frameworkId: string, taskId: string): readonly v1.TaskStatus[] {
    return this.streams.get(key(frameworkId, taskId))?.pending ?? [];
  }

  /** What this task's stream knows of `uuid`: acknowledged, seen (pending or logged), or nothing. */
  known(frameworkId: string, taskId: string, uuid: Uint8Array): 'acknowledged' | 'seen' | undefined {
    const s = this.streams.get(key(frameworkId, taskId));
    const id = uuidKey(uuid);
    return s?.acked.has(id) ? 'acknowledged' : s?.seen.has(id) ? 'seen' : undefined;
  }

  /** Whether `uuid` was acknowledged on this task's stream. */
  isAcknowledged(frameworkId: string, taskId: string, uuid: Uint8Array): boolean {
    return this.streams.get(key(frameworkId, taskId))?.acked.has(uuidKey(uuid)) ?? false;
  }

  /** Forgets a task's stream (its executor is gone and nothing is pending). */
  remove(frameworkId: string, taskId: string): void {
    const stream = this.streams.get(key(frameworkId, taskId));
    if (stream?.timer) stream.timer.cancel();
    if (stream) this.closeLogWhenIdle(stream);
    this.streams.delete(key(frameworkId, taskId));
  }

  /** Connected to a master: (re)send every stream's head now. */
  resume(): void {
    this.active = true;
    for (const s of this.streams.values()) if (s.pending.length > 0) this.send(s, true);
  }

  /** Disconnected: stop retrying until resume(). */
  pause(): void {
    this.active = false;
    for (const s of this.streams.values()) {
      if (s.timer) s.timer.cancel();
      s.timer = undefined;
      s.backoffMs = INITIAL_RETRY_MS;
    }
  }

  stop(): void {
    this.pause();
    for (const s of this.streams.values()) this.closeLogWhenIdle(s, true);
  }

  /** Rebuilds a stream from its log after a restart; returns every update in the log (acknowledged or not). */
  recover(frameworkId: string, taskId: string, logFile: string, text: string): v1.TaskStatus[] {
    const stream = this.stream(frameworkId, taskId, logFile);
    const all: v1.TaskStatus[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      let record: { u?: unknown; a?: string };
      try {
        record = JSON.parse(line) as { u?: unknown; a?: string };
      } catch {
        continue; // a torn last line from a crash mid-append
      }
      if (record.u !== undefined) {
        const status = decodeJson('mesos.v1.TaskStatus', JSON.stringify(record.u));
        all.push(status);
        if (status.uuid) stream.seen.add(uuidKey(status.uuid));
        stream.pending.push(status);
      } else if (record.a !== undefined) {
        stream.acked.add(record.a);
        stream.pending = stream.pending.filter((s) => !s.uuid || uuidKey(s.uuid) !== record.a);
      }
    }
    return all;
  }

  private stream(frameworkId: string, taskId: string, logFile: string | undefined): Stream {
    const k = key(frameworkId, taskId);
    let s = this.streams.get(k);
    if (!s) {
      s = { frameworkId, taskId, log: logFile === undefined ? undefined : new AppendLog(logFile), pending: [], seen: new Set(), acked: new Set(), timer: undefined, backoffMs: INITIAL_RETRY_MS, chain: Promise.resolve() };
      this.streams.set(k, s);
    }
    return s;
  }

  /**
   * Closes the stream's log descriptor after the writes queued so far, unless (without `always`) the stream is
   * still known and has updates pending by then (they will be acknowledged, and so logged, soon).
   */
  private closeLogWhenIdle(stream: Stream, always = false): void {
    const log = stream.log;
    if (!log) return;
    const idle = (): boolean => always || stream.pending.length === 0 || this.streams.get(key(stream.frameworkId, stream.taskId)) !== stream;
    stream.chain = stream.chain.then(() => (idle() ? log.close() : undefined)).catch(() => undefined);
  }

  private send(stream: Stream, fresh: boolean): void {
    if (!this.active) return;
    const head = stream.pending[0];
    if (!head) return;
    if (stream.timer) stream.timer.cancel();
    if (fresh) stream.backoffMs = INITIAL_RETRY_MS;
    this.opts.forward(stream.frameworkId, head);
    stream.timer = this.opts.clock.setTimer(stream.backoffMs, () => {
      stream.timer = undefined;
      stream.backoffMs = Math.min(MAX_RETRY_MS, stream.backoffMs * 2);
      this.send(stream, false);
    });
  }
}
