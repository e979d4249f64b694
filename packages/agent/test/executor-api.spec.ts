// The v1 executor API, driven by the test acting as a custom executor.
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { executor, v1 } from '@mesos-ts/proto';
import { post, subscribe, type EventStream } from '@mesos-ts/wire';
import { tokensFor } from '../src/executor-token.js';
import { commandTask, framework, startHarness, waitFor, type Harness } from './harness.js';

let h: Harness | undefined;
let stream: EventStream<'mesos.v1.executor.Event'> | undefined;
afterEach(async () => {
  stream?.close();
  stream = undefined;
  await h?.cleanup();
  h = undefined;
});

const ids = { framework_id: { value: 'fwa' }, executor_id: { value: 'exa' } };

/** What the agent gives executor `ex` in MESOS_EXECUTOR_AUTHENTICATION_TOKEN, as a header. */
function bearer(h: Harness, fw = 'fwa', ex = 'exa'): Record<string, string> {
  return { Authorization: `Bearer ${tokensFor(h.agent.dirs.metaDir).token(fw, ex)}` };
}

async function launchCustom(h: Harness, autoAck: boolean): Promise<EventStream<'mesos.v1.executor.Event'>> {
  h.master.autoAck = autoAck;
  const executor: v1.ExecutorInfo = { executor_id: ids.executor_id, command: { value: 'sleep 100' } };
  h.master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fwa', { capabilities: [{ type: 'TASK_KILLING_STATE' }] }), task: { ...commandTask('ta', ''), command: undefined, executor } } });
  await waitFor(() => h.agent.frameworks.get('fwa')?.executors.get('exa')?.state === 'registering', 5000, 'executor to start');
  const s = await subscribe({ url: `http://${h.agent.address}/api/v1/executor`, callType: 'mesos.v1.executor.Call', eventType: 'mesos.v1.executor.Event', call: { type: 'SUBSCRIBE', ...ids, subscribe: {} }, peer: 'agent', headers: bearer(h) });
  if (s.kind !== 'stream') throw new Error('redirected');
  return s;
}

async function next(s: EventStream<'mesos.v1.executor.Event'>, skipHeartbeats = true): Promise<executor.Event> {
  for (;;) {
    const r = await s.events.next();
    if (r.done) throw new Error('stream ended');
    if (!skipHeartbeats || r.value.type !== 'HEARTBEAT') return r.value;
  }
}

function call(h: Harness, c: Omit<executor.Call, 'framework_id' | 'executor_id'>) {
  return post({ url: `http://${h.agent.address}/api/v1/executor`, callType: 'mesos.v1.executor.Call', call: { ...ids, ...c }, peer: 'agent', headers: bearer(h) });
}

function uuid(n: number): Uint8Array {
  return Uint8Array.from({ length: 16 }, (_, i) => (i === 0 ? n : i));
}

describe('executor API', () => {
  it('subscribes, launches, relays updates and acknowledgements, messages and kills', async () => {
    h = await startHarness();
    stream = await launchCustom(h, false);
    const subscribed = await next(stream);
    expect(subscribed.type).toBe('SUBSCRIBED');
    expect(subscribed.subscribed?.framework_info.id?.value).toBe('fwa');
    expect(subscribed.subscribed?.agent_info.id?.value).toBe('fake-agent-1');
    expect(subscribed.subscribed?.container_id?.value).toBe(h.agent.frameworks.get('fwa')!.executors.get('exa')!.containerId);
    const launch = await next(stream);
    expect(launch.type).toBe('LAUNCH');
    expect(launch.launch?.task.task_id.value).toBe('ta');

    const res = await call(h, { type: 'UPDATE', update: { status: { task_id: { value: 'ta' }, state: 'TASK_RUNNING', uuid: uuid(1) } } });
    expect(res.kind === 'response' && res.status).toBe(202);
    const forwarded = await h.master.waitForUpdate('ta', 'TASK_RUNNING');
    expect(forwarded.status_update?.status.agent_id?.value).toBe('fake-agent-1');
    expect(forwarded.status_update?.status.executor_id?.value).toBe('exa');
    expect(forwarded.status_update?.latest_state).toBe('TASK_RUNNING');
    h.master.acknowledge(forwarded);
    const acked = await next(stream);
    expect(acked.type).toBe('ACKNOWLEDGED');
    expect(Buffer.from(acked.acknowledged!.uuid)).toEqual(Buffer.from(uuid(1)));

    await call(h, { type: 'MESSAGE', message: { data: Buffer.from('to-scheduler') } });
    const msg = await h.master.waitForCall((c) => c.type === 'EXECUTOR_TO_FRAMEWORK');
    expect(Buffer.from(msg.executor_to_framework!.data).toString()).toBe('to-scheduler');
    h.master.send({ type: 'FRAMEWORK_TO_EXECUTOR', framework_to_executor: { ...ids, data: Buffer.from('to-executor') } });
    const message = await next(stream);
    expect(message.type).toBe('MESSAGE');
    expect(Buffer.from(message.message!.data).toString()).toBe('to-executor');

    h.master.send({ type: 'KILL_TASK', kill_task: { framework_id: ids.framework_id, task_id: { value: 'ta' }, kill_policy: { grace_period: { nanoseconds: 1_000_000n } } } });
    const kill = await next(stream);
    expect(kill.type).toBe('KILL');
    expect(kill.kill?.kill_policy?.grace_period?.nanoseconds).toBe(1_000_000n);

    const res2 = await call(h, { type: 'HEARTBEAT' });
    expect(res2.kind === 'response' && res2.status).toBe(202);
  });

  it('resends an unacknowledged update to the master after the master connection comes back', async () => {
    h = await startHarness();
    stream = await launchCustom(h, false);
    await next(stream);
    await next(stream);
    await call(h, { type: 'UPDATE', update: { status: { task_id: { value: 'ta' }, state: 'TASK_RUNNING', uuid: uuid(2) } } });
    await h.master.waitForUpdate('ta', 'TASK_RUNNING');
    const before = h.master.calls.length;
    h.master.dropStreams(); // a master failover: the update was never acknowledged
    await h.master.waitForCall((c) => c.type === 'REREGISTER', 10_000, before);
    const again = await h.master.waitForCall((c) => c.type === 'STATUS_UPDATE', 10_000, before);
    expect(Buffer.from(again.status_update!.status.uuid!)).toEqual(Buffer.from(uuid(2)));
    const rereg = h.master.calls.slice(before).find((c) => c.type === 'REREGISTER')!;
    expect(rereg.reregister?.tasks?.[0]).toMatchObject({ task_id: { value: 'ta' }, state: 'TASK_RUNNING', status_update_state: 'TASK_RUNNING' });
  });

  const json = { 'Content-Type': 'application/json' };
  const update = JSON.stringify({ type: 'UPDATE', ...ids, update: { status: { task_id: { value: 'ta' }, state: 'TASK_FAILED', uuid: Buffer.from(uuid(9)).toString('base64') } } });
  it.each<{ name: string; headers: (h: Harness) => Record<string, string>; body: string; status: number }>([
    { name: 'a forged update without a token', headers: () => json, body: update, status: 401 },
    { name: 'a forged update with another executor token', headers: (h) => ({ ...json, ...bearer(h, 'fwa', 'other') }), body: update, status: 401 },
    { name: 'a forged update with a made-up token', headers: () => ({ ...json, Authorization: 'Bearer AAAA' }), body: update, status: 401 },
    { name: 'a subscribe without a token', headers: () => json, body: JSON.stringify({ type: 'SUBSCRIBE', ...ids, subscribe: {} }), status: 401 },
  ])('refuses $name with $status and the task stays running', async ({ headers, body, status }) => {
    h = await startHarness();
    stream = await launchCustom(h, true);
    const got = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(`http://${h!.agent.address}/api/v1/executor`, { method: 'POST', headers: headers(h!) }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(got.status, got.text).toBe(status);
    expect(h.agent.frameworks.get('fwa')?.executors.get('exa')?.tasks.get('ta')?.state).not.toBe('TASK_FAILED');
  });

  it.each([
    { name: 'missing Content-Type', headers: {}, body: '{}', status: 400 },
    { name: 'charset suffix', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: '{}', status: 415 },
    { name: 'unacceptable Accept', headers: { 'Content-Type': 'application/json', Accept: 'text/html' }, body: '{}', status: 406 },
    { name: 'malformed JSON', headers: { 'Content-Type': 'application/json' }, body: '{', status: 400 },
    { name: 'unknown executor', headers: { 'Content-Type': 'application/json', tokenFor: 'nope' }, body: JSON.stringify({ type: 'SUBSCRIBE', framework_id: { value: 'nope' }, executor_id: { value: 'nope' }, subscribe: {} }), status: 400 },
    { name: 'update without uuid', headers: { 'Content-Type': 'application/json', tokenFor: 'exa' }, body: JSON.stringify({ type: 'UPDATE', ...ids, update: { status: { task_id: { value: 'ta' }, state: 'TASK_RUNNING' } } }), status: 400 },
  ])('answers $status for $name', async ({ headers, body, status }) => {
    h = await startHarness();
    stream = await launchCustom(h, true);
    const got = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const { tokenFor, ...plain } = headers as Record<string, string>;
      const auth = tokenFor === undefined ? {} : tokenFor === 'nope' ? bearer(h!, 'nope', 'nope') : bearer(h!);
      const req = http.request(`http://${h!.agent.address}/api/v1/executor`, { method: 'POST', headers: { ...plain, ...auth } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(got.status).toBe(status);
    expect(got.text.length).toBeGreaterThan(0);
  });
});
