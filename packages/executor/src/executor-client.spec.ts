import { afterEach, describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { APPLICATION_JSON, APPLICATION_PROTOBUF, type ContentType } from '@mesos-ts/wire';
import { executorEnvironment } from './environment.js';
import { isExecutorError } from './errors.js';
import { ExecutorClient, type ExecutorClientOptions, type ExecutorEvents } from './executor-client.js';
import { FakeAgent, type FakeAgentOptions } from './testing/fake-agent.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function agent(options: FakeAgentOptions = {}): Promise<FakeAgent> {
  const a = await FakeAgent.start(options);
  cleanups.push(() => a.close());
  return a;
}

function client(a: FakeAgent, env: Record<string, string> = {}, options: Partial<ExecutorClientOptions> = {}): ExecutorClient {
  const c = new ExecutorClient({ environment: executorEnvironment(a.environment({ MESOS_SUBSCRIPTION_BACKOFF_MAX: '50ms', ...env })), ...options });
  cleanups.push(() => c.stop());
  return c;
}

function next<K extends keyof ExecutorEvents>(c: ExecutorClient, event: K, timeoutMs = 3_000): Promise<ExecutorEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for '${String(event)}'`));
    }, timeoutMs);
    const off = c.on(event, (...args) => {
      clearTimeout(timer);
      off();
      resolve(args);
    });
  });
}

const task = (id: string): v1.TaskInfo => ({ name: id, task_id: { value: id }, agent_id: { value: 'fake-agent' }, command: { value: 'true' } });

describe.each<ContentType>([APPLICATION_JSON, APPLICATION_PROTOBUF])('ExecutorClient over %s', (contentType) => {
  it('subscribes, runs a launched task and sees its update acknowledged', async () => {
    const a = await agent();
    const c = client(a, {}, { contentType });
    c.on('launch', (t) => c.update({ task_id: t.task_id, state: 'TASK_RUNNING', message: 'started' }));
    const subscribed = next(c, 'subscribed');
    c.start();
    const [info] = await subscribed;
    expect(info).toMatchObject({ resubscribed: false, container_id: { value: 'fake-container' } });
    expect(a.calls[0]!.contentType).toBe(contentType);
    const acked = next(c, 'acknowledged');
    a.launch(task('t1'));
    const [status] = await acked;
    expect(status).toMatchObject({ state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', executor_id: { value: a.executorId }, message: 'started' });
    expect(status.uuid).toHaveLength(16);
    expect(a.updates).toHaveLength(1);
    expect(c.pendingUpdates).toBe(0);
  });
});

describe('ExecutorClient delivery', () => {
  it('resends an update until the agent acknowledges it', async () => {
    const a = await agent({ autoAcknowledge: false });
    const c = client(a, {}, { resendIntervalMs: 40 });
    const subscribed = next(c, 'subscribed');
    c.start();
    await subscribed;
    const uuid = await c.update({ task_id: { value: 't1' }, state: 'TASK_FINISHED' });
    await a.waitUntil(() => (a.updates.length >= 3 ? true : undefined), 'three deliveries');
    expect(a.updates.every((u) => Buffer.from(u.uuid!).equals(Buffer.from(uuid)))).toBe(true);
    const acked = next(c, 'acknowledged');
    a.acknowledgeAll();
    await acked;
    expect(c.pendingUpdates).toBe(0);
    const count = a.updates.length;
    await new Promise((r) => setTimeout(r, 120));
    expect(a.updates.length).toBe(count);
  });

  it('re-subscribes after an agent restart with its unacknowledged tasks and updates (checkpointing)', async () => {
    const a1 = await FakeAgent.start({ autoAcknowledge: false });
    const port = Number(a1.endpoint.split(':')[1]);
    const c = client(a1, { MESOS_CHECKPOINT: '1' });
    const launched = next(c, 'launch');
    const first = next(c, 'subscribed');
    c.start();
    await first;
    a1.launch(task('t1'));
    await launched;
    await c.update({ task_id: { value: 't1' }, state: 'TASK_RUNNING' });
    await a1.close();
    const a2 = await agent({ port });
    const again = next(c, 'subscribed');
    const acked = next(c, 'acknowledged');
    const [info] = await again;
    expect(info.resubscribed).toBe(true);
    const sub = a2.calls.find((x) => x.call.type === 'SUBSCRIBE')!.call.subscribe!;
    expect(sub.unacknowledged_tasks?.map((t) => t.task_id.value)).toEqual(['t1']);
    expect(sub.unacknowledged_updates?.map((u) => u.status.state)).toEqual(['TASK_RUNNING']);
    await acked;
    expect(c.pendingUpdates).toBe(0);
  });

  it('queues updates made before subscribing and lists them in SUBSCRIBE', async () => {
    const a = await agent();
    const c = client(a);
    await c.update({ task_id: { value: 'early' }, state: 'TASK_STARTING' });
    expect(c.pendingUpdates).toBe(1);
    const acked = next(c, 'acknowledged');
    c.start();
    expect((await acked)[0].task_id.value).toBe('early');
    expect(a.calls.find((x) => x.call.type === 'UPDATE')).toBeUndefined();
  });

  it('refuses TASK_STAGING and calls while not subscribed', async () => {
    const a = await agent();
    const c = client(a);
    await expect(c.update({ task_id: { value: 't' }, state: 'TASK_STAGING' })).rejects.toSatisfy((e) => isExecutorError(e, 'INVALID_UPDATE'));
    await expect(c.message(new Uint8Array([1]))).rejects.toSatisfy((e) => isExecutorError(e, 'NOT_SUBSCRIBED'));
  });

  it('exchanges messages, sends heartbeats and the authentication token', async () => {
    const a = await agent();
    const c = client(a, { MESOS_EXECUTOR_AUTHENTICATION_TOKEN: 'secret' }, { heartbeatIntervalMs: 30 });
    const subscribed = next(c, 'subscribed');
    c.start();
    await subscribed;
    const message = next(c, 'message');
    a.sendMessage(new TextEncoder().encode('ping'));
    expect(new TextDecoder().decode((await message)[0])).toBe('ping');
    await c.message(new TextEncoder().encode('pong'));
    await a.waitUntil(() => a.calls.find((x) => x.call.type === 'HEARTBEAT'), 'a HEARTBEAT call');
    const sent = a.calls.find((x) => x.call.type === 'MESSAGE')!;
    expect(new TextDecoder().decode(sent.call.message!.data)).toBe('pong');
    expect(a.calls.every((x) => x.headers.authorization === 'Bearer secret')).toBe(true);
  });
});

describe('ExecutorClient exit', () => {
  it('on SHUTDOWN kills its tasks, waits for the acknowledgements and finishes within the grace period', async () => {
    const a = await agent();
    const c = client(a, { MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD: '2secs' });
    const running = new Set<string>();
    c.on('launch', (t) => {
      running.add(t.task_id.value);
      return c.update({ task_id: t.task_id, state: 'TASK_RUNNING' });
    });
    c.on('shutdown', async () => {
      for (const id of running) await c.update({ task_id: { value: id }, state: 'TASK_KILLED' });
    });
    const subscribed = next(c, 'subscribed');
    c.start();
    await subscribed;
    a.launch(task('t1'));
    a.launch(task('t2'));
    await a.waitUntil(() => (a.updates.length === 2 ? true : undefined), 'two TASK_RUNNING');
    const started = Date.now();
    a.shutdown();
    expect(await c.finished).toEqual({ kind: 'shutdown' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(a.updates.filter((u) => u.state === 'TASK_KILLED').map((u) => u.task_id.value).sort()).toEqual(['t1', 't2']);
    expect(c.pendingUpdates).toBe(0);
  });

  it('finishes at the end of the grace period even if the shutdown handler hangs', async () => {
    const a = await agent();
    const c = client(a, { MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD: '200ms' });
    c.on('shutdown', () => new Promise(() => undefined));
    const subscribed = next(c, 'subscribed');
    c.start();
    await subscribed;
    const started = Date.now();
    a.shutdown();
    expect(await c.finished).toEqual({ kind: 'shutdown' });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('exits when the agent goes away and the framework does not checkpoint', async () => {
    const a = await agent();
    const c = client(a);
    const subscribed = next(c, 'subscribed');
    c.start();
    await subscribed;
    a.dropStreams();
    const reason = await c.finished;
    expect(reason.kind).toBe('agent-lost');
  });

  it('gives up after the recovery timeout when the agent does not come back (checkpointing)', async () => {
    const a = await FakeAgent.start();
    const c = client(a, { MESOS_CHECKPOINT: '1', MESOS_RECOVERY_TIMEOUT: '300ms', MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD: '100ms' });
    const subscribed = next(c, 'subscribed');
    c.start();
    await subscribed;
    const started = Date.now();
    await a.close();
    const reason = await c.finished;
    expect(reason.kind).toBe('recovery-timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
