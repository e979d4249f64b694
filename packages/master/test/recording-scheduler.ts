// A TestScheduler that records which scheduler Call types got a 2xx answer and which Event types arrived, per
// content type, so a spec can assert that every enum value was exercised in both encodings.
import type { scheduler, v1 } from '@mesos-ts/proto';
import { messageType } from '@mesos-ts/proto';
import type { ContentType } from '@mesos-ts/wire';
import type { RunningMaster } from '../src/runtime/start.js';
import { TestScheduler, type CallOutcome } from '../src/testing/test-scheduler.js';
import { onCleanup } from './harness.js';

export class Coverage {
  readonly calls = new Map<ContentType, Set<string>>();
  readonly events = new Map<ContentType, Set<string>>();

  add(kind: 'calls' | 'events', ct: ContentType, type: string | undefined): void {
    if (type === undefined) return;
    const sets = this[kind];
    const set = sets.get(ct) ?? new Set<string>();
    sets.set(ct, set);
    set.add(type);
  }

  /** Enum values of `kind` not exercised in `ct`, sorted. */
  missing(kind: 'calls' | 'events', ct: ContentType, all: readonly string[]): string[] {
    const seen = this[kind].get(ct) ?? new Set<string>();
    return all.filter((t) => !seen.has(t)).sort();
  }
}

/** Every value name of a message's nested `Type` enum, read from the proto reflection. */
export function typeEnumValues(name: 'mesos.v1.scheduler.Call' | 'mesos.v1.scheduler.Event'): string[] {
  const e = messageType(name).get('Type');
  if (!e || !('values' in e)) throw new Error(`${name} has no nested Type enum`);
  return Object.keys(e.values as Record<string, number>);
}

export class RecordingScheduler extends TestScheduler {
  constructor(
    master: string,
    contentType: ContentType,
    private readonly coverage: Coverage,
  ) {
    super(master, contentType);
  }

  override async subscribe(info: Partial<v1.FrameworkInfo> = {}, frameworkId?: string): Promise<scheduler.Event> {
    this.flush(); // super.subscribe() forgets the events of the previous stream
    const first = await super.subscribe(info, frameworkId);
    this.coverage.add('calls', this.contentType, 'SUBSCRIBE');
    return first;
  }

  override async call(call: Omit<scheduler.Call, 'framework_id'>, headers?: Record<string, string>): Promise<CallOutcome> {
    const outcome = await super.call(call, headers);
    if (outcome.status >= 200 && outcome.status < 300) this.coverage.add('calls', this.contentType, call.type);
    return outcome;
  }

  override close(): void {
    this.flush();
    super.close();
  }

  private flush(): void {
    for (const e of this.events) this.coverage.add('events', this.contentType, e.type);
  }
}

/** A recording scheduler closed after the test, like harness.scheduler(). */
export function recordingScheduler(m: RunningMaster, ct: ContentType, coverage: Coverage): RecordingScheduler {
  const s = new RecordingScheduler(m.url, ct, coverage);
  onCleanup(() => s.close());
  return s;
}
