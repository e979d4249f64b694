// A tiny scheduler client for tests, built on @mesos-ts/wire's subscribe/post: SUBSCRIBE, collect events,
// send calls with the stream id, and wait for events.
import http from 'node:http';
import type { scheduler, v1 } from '@mesos-ts/proto';
import { APPLICATION_JSON, isWireError, post, subscribe, type ContentType, type EventStream } from '@mesos-ts/wire';

export interface CallOutcome {
  status: number;
  message: string;
}

export class TestScheduler {
  frameworkId: string | undefined;
  streamId: string | undefined;
  readonly events: scheduler.Event[] = [];
  private stream: EventStream<'mesos.v1.scheduler.Event'> | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  ended = false;
  /** Index after the last OFFERS event nextOffers() returned. */
  private offersConsumed = 0;

  constructor(
    readonly master: string,
    readonly contentType: ContentType = APPLICATION_JSON,
  ) {}

  /** SUBSCRIBE (with `frameworkId` to fail over); resolves with the SUBSCRIBED or ERROR event. */
  async subscribe(info: Partial<v1.FrameworkInfo> = {}, frameworkId?: string): Promise<scheduler.Event> {
    const framework_info: v1.FrameworkInfo = { user: 'test', name: 'test-framework', ...info };
    if (frameworkId) framework_info.id = { value: frameworkId };
    const call: scheduler.Call = { type: 'SUBSCRIBE', subscribe: { framework_info } };
    if (frameworkId) call.framework_id = { value: frameworkId };
    const answer = await subscribe({
      url: `${this.master}/api/v1/scheduler`,
      callType: 'mesos.v1.scheduler.Call',
      eventType: 'mesos.v1.scheduler.Event',
      call,
      contentType: this.contentType,
    });
    if (answer.kind !== 'stream') throw new Error(`redirected to ${answer.location}`);
    this.stream = answer;
    this.streamId = answer.streamId;
    this.ended = false;
    this.events.length = 0;
    this.offersConsumed = 0;
    void this.pump(answer);
    const first = await this.waitFor((e) => e.type === 'SUBSCRIBED' || e.type === 'ERROR');
    if (first.type === 'SUBSCRIBED') this.frameworkId = first.subscribed?.framework_id.value;
    return first;
  }

  private async pump(stream: EventStream<'mesos.v1.scheduler.Event'>): Promise<void> {
    try {
      for await (const e of stream.events) {
        this.events.push(e);
        for (const w of [...this.waiters]) w();
      }
    } catch {
      // broken stream: `ended` tells the test
    } finally {
      if (this.stream === stream) this.ended = true;
      for (const w of [...this.waiters]) w();
    }
  }

  /** Sends a call for this framework; resolves with the status (and error text for non-2xx). */
  async call(call: Omit<scheduler.Call, 'framework_id'>, headers?: Record<string, string>): Promise<CallOutcome> {
    try {
      const r = await post({
        url: `${this.master}/api/v1/scheduler`,
        callType: 'mesos.v1.scheduler.Call',
        call: { ...call, framework_id: { value: this.frameworkId as string } } as scheduler.Call,
        contentType: this.contentType,
        headers: headers ?? { 'Mesos-Stream-Id': this.streamId ?? '' },
        agent: this.httpAgent,
      });
      return { status: r.status, message: '' };
    } catch (e) {
      if (isWireError(e) && e.status !== undefined) return { status: e.status, message: e.message };
      throw e;
    }
  }

  waitFor(pred: (e: scheduler.Event) => boolean, timeoutMs = 5000, from = 0): Promise<scheduler.Event> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const hit = this.events.slice(from).find(pred);
        if (hit) {
          done();
          resolve(hit);
        } else if (this.ended) {
          done();
          reject(new Error(`scheduler stream ended before a matching event (got ${this.events.map((e) => e.type).join(',')})`));
        }
      };
      const done = (): void => {
        this.waiters.delete(check);
        clearTimeout(timer);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching scheduler event within ${timeoutMs} ms (got ${this.events.map((e) => e.type).join(',')})`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Waits for the next OFFERS event not yet returned by an earlier nextOffers() call. */
  async nextOffers(timeoutMs = 5000): Promise<v1.Offer[]> {
    const e = await this.waitFor((x) => x.type === 'OFFERS', timeoutMs, this.offersConsumed);
    this.offersConsumed = this.events.indexOf(e, this.offersConsumed) + 1;
    return e.offers?.offers ?? [];
  }

  /** Waits for an UPDATE of a task in a given state. */
  async update(taskId: string, state: v1.TaskState, timeoutMs = 5000): Promise<v1.TaskStatus> {
    const e = await this.waitFor((x) => x.type === 'UPDATE' && x.update?.status.task_id.value === taskId && x.update.status.state === state, timeoutMs);
    return e.update?.status as v1.TaskStatus;
  }

  close(): void {
    this.stream?.close();
    this.stream = undefined;
    this.httpAgent.destroy();
  }
}
