// The SDK's credential: every call carries HTTP Basic and FrameworkInfo.principal defaults to the principal;
// credentialFromEnv reads upstream's MESOS_PRINCIPAL / MESOS_SECRET / MESOS_SECRET_FILE.
import { afterEach, describe, expect, it } from 'vitest';
import { basicAuthorization } from '@mesos-ts/wire';
import { SchedulerClient, credentialFromEnv } from './scheduler-client.js';
import { FakeMaster } from './testing/fake-master.js';
import { nextEvent } from './testing/next-event.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('SchedulerClient credential', () => {
  it('authenticates SUBSCRIBE and later calls, and names the principal in FrameworkInfo', async () => {
    const m = await FakeMaster.start({ heartbeatIntervalSeconds: 0.05 });
    cleanups.push(() => m.close());
    const c = new SchedulerClient({ master: m.hostPort, framework: { user: 'nobody', name: 'spec' }, credential: { principal: 'fw', secret: 's3cret' }, backoff: { initialMs: 20, maxMs: 100 } });
    cleanups.push(() => c.stop());
    const subscribed = nextEvent(c, 'subscribed', undefined, 3_000);
    c.start();
    await subscribed;
    await c.revive();
    const want = basicAuthorization('fw', 's3cret');
    const sub = m.calls.find((x) => x.call.type === 'SUBSCRIBE');
    expect(sub?.authorization).toBe(want);
    expect(sub?.call.subscribe?.framework_info.principal).toBe('fw');
    expect(m.calls.find((x) => x.call.type === 'REVIVE')?.authorization).toBe(want);
  });

  it.each([
    [{}, undefined],
    [{ MESOS_PRINCIPAL: 'p', MESOS_SECRET: 's' }, { principal: 'p', secret: 's' }],
    [{ MESOS_PRINCIPAL: 'p', MESOS_SECRET_FILE: '/secret' }, { principal: 'p', secret: 'from-file' }],
  ])('credentialFromEnv(%j)', (env, want) => {
    expect(credentialFromEnv(env, () => 'from-file\n')).toEqual(want);
  });

  it('refuses a principal without a secret', () => {
    expect(() => credentialFromEnv({ MESOS_PRINCIPAL: 'p' })).toThrow(/without MESOS_SECRET/);
  });
});
