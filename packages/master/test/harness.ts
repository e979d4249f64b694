// Shared setup of the HTTP tests: a master on 127.0.0.1:0 with an in-memory registry, fake agents and test
// schedulers that are all closed after each test.
import { afterEach } from 'vitest';
import type { ContentType } from '@mesos-ts/wire';
import { parseFlags, type MasterFlags } from '../src/flags.js';
import { startMaster, type RunningMaster } from '../src/runtime/start.js';
import type { RegistryStore } from '../src/registry/registry-store.js';
import type { Clock } from '@mesos-ts/common';
import { FakeAgent, type FakeAgentOptions } from '../src/testing/fake-agent.js';
import { TestScheduler } from '../src/testing/test-scheduler.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

export function testFlags(extra: string[] = []): MasterFlags {
  const r = parseFlags(['--ip=127.0.0.1', '--port=0', '--registry=in_memory', '--allocation_interval=50ms', ...extra]);
  if (r.help) throw new Error('unexpected --help');
  return r.flags;
}

export async function master(extra: string[] = [], store?: RegistryStore, clock?: Clock): Promise<RunningMaster> {
  const m = await startMaster(testFlags(extra), { ...(store ? { store } : {}), ...(clock ? { clock } : {}) });
  cleanups.push(() => m.stop());
  return m;
}

export async function agent(m: RunningMaster, options: Partial<FakeAgentOptions> = {}): Promise<FakeAgent> {
  const a = new FakeAgent({ master: m.url, ...options });
  cleanups.push(() => a.close());
  await a.connect();
  return a;
}

export function scheduler(m: RunningMaster, contentType?: ContentType): TestScheduler {
  const s = new TestScheduler(m.url, contentType);
  cleanups.push(() => s.close());
  return s;
}

export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}
