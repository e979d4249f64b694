import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { v1 } from '@mesos-ts/proto';
import { APPLICATION_JSON, APPLICATION_PROTOBUF, type ContentType } from '@mesos-ts/wire';
import { isSchedulerError } from './errors.js';
import type { MasterDetector } from './master-detector.js';
import { SchedulerClient, type SchedulerClientOptions } from './scheduler-client.js';
import type { SchedulerEvents } from './scheduler-events.js';
import { FakeMaster, type FakeMasterOptions } from './testing/fake-master.js';
import { nextEvent } from './testing/next-event.js';

const framework: v1.FrameworkInfo = { user: 'nobody', name: 'spec', failover_timeout: 3600, roles: ['web'], capabilities: [{ type: 'MULTI_ROLE' }] };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function master(options: FakeMasterOptions = {}): Promise<FakeMaster> {
  const m = await FakeMaster.start({ heartbeatIntervalSeconds: 0.05, ...options });
  cleanups.push(() => m.close());
  return m;
}

function client(options: Partial<SchedulerClientOptions> & { master: SchedulerClientOptions['master'] }): SchedulerClient {
  const c = new SchedulerClient({ framework, backoff: { initialMs: 20, maxMs: 100 }, reconcileIntervalMs: 50, ...options });
  cleanups.push(() => c.stop());
  return c;
}

/** The next `event` of `c`, within 3 s. */
const next = <K extends keyof SchedulerEvents>(c: SchedulerClient, event: K, timeoutMs = 3_000): Promise<SchedulerEvents[K]> => nextEvent(c, event, undefined, timeoutMs);

const offer = (id: string, frameworkId: string): v1.Offer => ({
  id: { value: id },
  framework_id: { value: frameworkId },
  agent_id: { value: 'agent-1' },
  hostname: 'host-1',
  resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 2 } }],
});
const task = (id: string): v1.TaskInfo => ({ name: id, task_id: { value: id }, agent_id: { value: 'agent-1' }, command: { value: 'sleep 100' } });

/** A leader election in memory: `elect()` changes the leader and tells subscribers, as ZooKeeper's detector does. */
class FakeElection implements MasterDetector {
  readonly listeners = new Set<(leader: unknown) => void>();
  private leaderNow: string | undefined;
  private waiting: Array<() => void> = [];
  elect(hostPort: string | undefined): void {
    this.leaderNow = hostPort;
    for (const l of [...this.listeners]) l(hostPort);
    for (const w of this.waiting.splice(0)) w();
  }
  async next(signal?: AbortSignal): Promise<string> {
    while (this.leaderNow === undefined) {
      if (signal?.aborted) throw new Error('aborted');
      await new Promise<void>((r) => {
        this.waiting.push(r);
        signal?.addEventListener('abort', () => r(), { once: true });
      });
    }
    return this.leaderNow;
  }
  subscribe(listener: (leader: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe.each<ContentType>([APPLICATION_JSON, APPLICATION_PROTOBUF])('SchedulerClient over %s', (contentType) => {
  it('subscribes, reconciles implicitly, launches from an offer and auto-acknowledges the update', async () => {
    const m = await master();
    const c = client({ master: m.hostPort, contentType });
    const subscribed = next(c, 'subscribed');
    c.start();
    const [info] = await subscribed;
    expect(info).toMatchObject({ master: m.hostPort, resubscribed: false, heartbeatIntervalSeconds: 0.05 });
    expect(c.frameworkId).toBe(info.frameworkId);
    const sub = m.calls[0]!;
    expect(sub.contentType).toBe(contentType);
    expect(sub.call.framework_id).toBeUndefined();
    expect(sub.call.subscribe?.framework_info.name).toBe('spec');
    await m.waitForCall((x) => x.call.type === 'RECONCILE' && (x.call.reconcile?.tasks ?? []).length === 0);

    const offers = next(c, 'offers');
    m.sendOffers(info.frameworkId, [offer('o1', info.frameworkId)]);
    const [[got]] = await offers;
    expect(got?.id.value).toBe('o1');
    const running = next(c, 'update');
    await c.launch(['o1'], [task('t1')], { refuse_seconds: 10 });
    const [status] = await running;
    expect(status).toMatchObject({ state: 'TASK_RUNNING', task_id: { value: 't1' } });
    expect(c.tasks.get('t1')?.state).toBe('TASK_RUNNING');
    const ack = await m.waitForCall((x) => x.call.type === 'ACKNOWLEDGE');
    expect(Buffer.from(ack.call.acknowledge!.uuid)).toEqual(Buffer.from(status.uuid!));
    await m.waitUntil(() => (m.frameworks.get(info.frameworkId)!.unacknowledged.size === 0 ? true : undefined), 'acknowledgement');
    const accept = m.calls.find((x) => x.call.type === 'ACCEPT')!;
    expect(accept.streamId).toBe(m.frameworks.get(info.frameworkId)!.streamId);
    expect(accept.call.accept?.filters?.refuse_seconds).toBe(10);
  });

  it('fails over after the stream drops: same framework id, explicit reconciliation of unconfirmed tasks', async () => {
    const m = await master();
    const c = client({ master: m.hostPort, contentType });
    const first = next(c, 'subscribed');
    c.start();
    const [{ frameworkId }] = await first;
    c.tasks.launched('known-elsewhere', 'agent-9', 0);
    const disconnected = next(c, 'disconnected');
    const again = next(c, 'subscribed');
    m.dropStreams();
    const [{ reason }] = await disconnected;
    expect(reason).toMatch(/closed|lost|aborted|socket/i);
    const [info] = await again;
    expect(info).toMatchObject({ frameworkId, resubscribed: true });
    const resub = m.calls.filter((x) => x.call.type === 'SUBSCRIBE')[1]!;
    expect(resub.call.framework_id?.value).toBe(frameworkId);
    expect(resub.call.subscribe?.framework_info.id?.value).toBe(frameworkId);
    const explicit = await m.waitForCall((x) => (x.call.reconcile?.tasks ?? []).some((t) => t.task_id.value === 'known-elsewhere'));
    expect(explicit.call.reconcile?.tasks).toEqual([{ task_id: { value: 'known-elsewhere' }, agent_id: { value: 'agent-9' } }]);
    // The fake master does not know the task: it answers LOST, which settles reconciliation.
    await m.waitUntil(() => (c.tasks.get('known-elsewhere')?.state === 'TASK_LOST' ? true : undefined), 'reconciled state');
    expect(c.tasks.unconfirmed()).toEqual([]);
  });

  it('drops a silent stream after missed heartbeats and resubscribes', async () => {
    const m = await master();
    const c = client({ master: m.hostPort, contentType, heartbeatMisses: 3 });
    const first = next(c, 'subscribed');
    c.start();
    await first;
    const beat = next(c, 'heartbeat');
    await beat;
    m.heartbeats = false;
    const [{ reason }] = await next(c, 'disconnected');
    expect(reason).toContain('missed heartbeats');
    m.heartbeats = true;
    const [info] = await next(c, 'subscribed');
    expect(info.resubscribed).toBe(true);
  });
});

describe('SchedulerClient leader changes', () => {
  it('follows a 307 to the leader and skips dead masters in its list', async () => {
    const leader = await master();
    const follower = await master();
    follower.redirectTo = leader.hostPort;
    const dead = `127.0.0.1:${await freePort()}`;
    const c = client({ master: `${dead},${follower.hostPort}` });
    const disconnected = next(c, 'disconnected');
    const subscribed = next(c, 'subscribed');
    c.start();
    const [{ master: from, reason }] = await disconnected;
    expect(from).toBe(dead);
    expect(reason).toContain('connection refused');
    const [info] = await subscribed;
    expect(info.master).toBe(leader.hostPort);
    expect(follower.redirects).toBe(1);
    expect(leader.calls[0]!.call.type).toBe('SUBSCRIBE');
  });

  it('follows an election detector: drops the old leader, waits while nobody leads, re-subscribes at the new one', async () => {
    const m1 = await master();
    const m2 = await master();
    const election = new FakeElection();
    const c = client({ master: election, backoff: { initialMs: 60_000, maxMs: 60_000 } });
    const first = next(c, 'subscribed');
    election.elect(m1.hostPort);
    c.start();
    const [{ frameworkId, master: at }] = await first;
    expect(at).toBe(m1.hostPort);
    const disconnected = next(c, 'disconnected');
    election.elect(undefined);
    const [{ reason, retryInMs }] = await disconnected;
    expect(reason).toContain('no longer the elected leader');
    expect(retryInMs).toBe(0);
    expect(c.subscribed).toBe(false);
    const again = next(c, 'subscribed');
    election.elect(m2.hostPort);
    // A 60 s backoff would time this out: a leader change re-subscribes at once.
    const [info] = await again;
    expect(info).toMatchObject({ master: m2.hostPort, frameworkId, resubscribed: true });
    expect(m2.calls[0]!.call.subscribe?.framework_info.id?.value).toBe(frameworkId);
    expect(m1.calls.filter((x) => x.call.type === 'SUBSCRIBE')).toHaveLength(1);
    await c.stop();
    expect(election.listeners.size).toBe(0);
  });

  it('a leader change during an attempt that then fails (e.g. at the dead leader) re-subscribes at once', async () => {
    // The old leader's host accepts connections but never answers; it fails only after the election moved on.
    const sockets = new Set<import('node:net').Socket>();
    const hanging = http.createServer(() => undefined);
    hanging.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => hanging.close(() => r())));
    const m2 = await master();
    const election = new FakeElection();
    const c = client({ master: election, backoff: { initialMs: 60_000, maxMs: 60_000 } });
    election.elect(`127.0.0.1:${(hanging.address() as AddressInfo).port}`);
    c.start();
    while (sockets.size === 0) await new Promise((r) => setTimeout(r, 5));
    const subscribed = next(c, 'subscribed');
    election.elect(m2.hostPort);
    for (const s of sockets) s.destroy();
    // A 60 s backoff would time this out.
    const [info] = await subscribed;
    expect(info.master).toBe(m2.hostPort);
  });

  it('accepts zk:// masters (the detector opens on start) and refuses malformed ones', () => {
    expect(() => new SchedulerClient({ framework, master: 'zk://' })).toThrow(expect.objectContaining({ code: 'INVALID_MASTER' }));
    expect(() => new SchedulerClient({ framework, master: 'zk://127.0.0.1:2181/mesos' })).not.toThrow();
  });

  it('survives a master restart on the same port mid-stream', async () => {
    const m1 = await FakeMaster.start({ heartbeatIntervalSeconds: 0.05 });
    const port = Number(m1.hostPort.split(':')[1]);
    const c = client({ master: m1.hostPort });
    const first = next(c, 'subscribed');
    c.start();
    const [{ frameworkId }] = await first;
    const again = next(c, 'subscribed', 5_000);
    await m1.close();
    const m2 = await master({ port });
    const [info] = await again;
    expect(info).toMatchObject({ frameworkId, master: `127.0.0.1:${port}`, resubscribed: true });
    expect(m2.frameworks.has(frameworkId)).toBe(true);
  });

  it('retries a recovering master (503) and gives up on a refused SUBSCRIBE (4xx)', async () => {
    const m = await master();
    m.available = false;
    const c = client({ master: m.hostPort });
    const disconnected = next(c, 'disconnected');
    const subscribed = next(c, 'subscribed');
    c.start();
    expect((await disconnected)[0].reason).toContain('503');
    m.available = true;
    await subscribed;

    // A master that refuses credentials: fatal, no retry loop.
    let requests = 0;
    const refusing = http.createServer((_, res) => {
      requests++;
      res.writeHead(401).end('Unauthorized: bad credentials');
    });
    await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => refusing.close(() => r())));
    const bad = client({ master: `127.0.0.1:${(refusing.address() as AddressInfo).port}` });
    const failed = next(bad, 'error');
    bad.start();
    const [error] = await failed;
    expect(error).toMatchObject({ code: 'FRAMEWORK_FAILED', status: 401 });
    expect(error.message).toContain('bad credentials');
    await bad.stop();
    expect(requests).toBe(1);
  });

  it('stops with a fatal error on an ERROR event', async () => {
    const m = await master();
    const c = client({ master: m.hostPort });
    const first = next(c, 'subscribed');
    c.start();
    const [{ frameworkId }] = await first;
    const failed = next(c, 'error');
    m.send(frameworkId, { type: 'ERROR', error: { message: 'Framework has been removed' } });
    const [error] = await failed;
    expect(error.code).toBe('FRAMEWORK_FAILED');
    expect(error.message).toContain('Framework has been removed');
    expect(c.subscribed).toBe(false);
    expect(m.calls.filter((x) => x.call.type === 'SUBSCRIBE')).toHaveLength(1);
  });
});

describe('SchedulerClient reconciliation and operations', () => {
  it('repeats explicit reconciliation until the master answers', async () => {
    const m = await master();
    m.answerReconcile = false;
    const c = client({ master: m.hostPort, reconcileIntervalMs: 30, reconcileMaxIntervalMs: 60 });
    c.tasks.launched('t9', 'agent-1', 0);
    const first = next(c, 'subscribed');
    c.start();
    await first;
    const explicit = (): number => m.calls.filter((x) => (x.call.reconcile?.tasks ?? []).length > 0).length;
    await m.waitUntil(() => (explicit() >= 3 ? true : undefined), 'three explicit reconciliations');
    m.answerReconcile = true;
    await m.waitUntil(() => (c.tasks.get('t9')?.state === 'TASK_LOST' ? true : undefined), 'an answer');
    const settled = explicit();
    await new Promise((r) => setTimeout(r, 150));
    expect(explicit()).toBe(settled);
  });

  it('acknowledges operation status updates that carry a uuid', async () => {
    const m = await master();
    const c = client({ master: m.hostPort });
    const first = next(c, 'subscribed');
    c.start();
    const [{ frameworkId }] = await first;
    const got = next(c, 'operationUpdate');
    m.send(frameworkId, {
      type: 'UPDATE_OPERATION_STATUS',
      update_operation_status: { status: { operation_id: { value: 'op-1' }, state: 'OPERATION_FINISHED', uuid: { value: new Uint8Array(16).fill(7) }, agent_id: { value: 'agent-1' } } },
    });
    expect((await got)[0].state).toBe('OPERATION_FINISHED');
    const ack = await m.waitForCall((x) => x.call.type === 'ACKNOWLEDGE_OPERATION_STATUS');
    expect(ack.call.acknowledge_operation_status).toMatchObject({ operation_id: { value: 'op-1' }, agent_id: { value: 'agent-1' } });
    expect(Buffer.from(ack.call.acknowledge_operation_status!.uuid)).toEqual(Buffer.alloc(16, 7));
  });
});

describe('SchedulerClient calls', () => {
  it('refuses calls while not subscribed', async () => {
    const c = client({ master: '127.0.0.1:1' });
    await expect(c.decline(['o1'])).rejects.toSatisfy((e) => isSchedulerError(e, 'NOT_SUBSCRIBED'));
  });

  it('sends every call type with the stream id and keeps suppressed roles for re-subscription', async () => {
    const m = await master();
    const c = client({ master: m.hostPort, autoAcknowledge: false });
    const first = next(c, 'subscribed');
    c.start();
    const [{ frameworkId }] = await first;
    const fw = m.frameworks.get(frameworkId)!;

    await c.decline(['o1', 'o2'], { refuse_seconds: 30 });
    await c.suppress();
    expect(fw.suppressedRoles).toEqual(['web']);
    await c.revive(['web']);
    expect(fw.suppressedRoles).toEqual([]);
    await c.suppress(['web']);
    await c.message('agent-1', 'exec-1', new TextEncoder().encode('hi'));
    await c.shutdown('exec-1', 'agent-1');
    await c.updateFramework({ ...framework, name: 'renamed' });
    expect(fw.info.name).toBe('renamed');

    const running = next(c, 'update');
    await c.launch(['o3'], [task('t1')]);
    const [status] = await running;
    const killed = next(c, 'update');
    await c.kill('t1', 'agent-1');
    expect((await killed)[0].state).toBe('TASK_KILLED');
    // Without auto-acknowledgement both updates wait for us.
    expect(fw.unacknowledged.size).toBe(2);
    await c.acknowledge(status);
    expect(fw.unacknowledged.size).toBe(1);
    await expect(c.acknowledge(status)).rejects.toSatisfy((e) => isSchedulerError(e, 'CALL_REJECTED') && e.status === 400);

    const decline = m.calls.find((x) => x.call.type === 'DECLINE')!.call;
    expect(decline).toMatchObject({ framework_id: { value: frameworkId }, decline: { offer_ids: [{ value: 'o1' }, { value: 'o2' }], filters: { refuse_seconds: 30 } } });
    expect(m.calls.find((x) => x.call.type === 'MESSAGE')!.call.message?.executor_id.value).toBe('exec-1');

    const again = next(c, 'subscribed');
    m.dropStreams();
    await again;
    const resub = m.calls.filter((x) => x.call.type === 'SUBSCRIBE').at(-1)!;
    expect(resub.call.subscribe?.suppressed_roles).toEqual(['web']);
    expect(resub.call.subscribe?.framework_info.name).toBe('renamed');

    await c.teardown();
    expect(m.frameworks.has(frameworkId)).toBe(false);
  });
});
