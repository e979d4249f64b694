import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { internal } from '@mesos-ts/proto';
import { daemonClock as systemClock } from '@mesos-ts/common';
import { StaticMasterDetector, MasterDetectorError, ZooKeeperAgentDetector, type MasterDetector } from './master-detector.js';
import { MasterLink } from './master-link.js';
import { FakeLeaderSource } from './testing/fake-leader-source.js';
import { FakeMaster } from './testing/fake-master.js';

const masters: FakeMaster[] = [];
const links: MasterLink[] = [];
afterEach(async () => {
  for (const l of links.splice(0)) await l.stop();
  for (const m of masters.splice(0)) await m.stop();
});

async function master(): Promise<FakeMaster> {
  const m = new FakeMaster({ pingIntervalSeconds: 0.1 });
  await m.start();
  masters.push(m);
  return m;
}

function link(
  spec: string | MasterDetector,
  events: internal.AgentEvent[] = [],
  backoffFactorMs = 20,
): { link: MasterLink; registered: () => number } {
  let registered = 0;
  const l = new MasterLink({
    detector: typeof spec === 'string' ? new StaticMasterDetector(spec) : spec,
    clock: systemClock,
    log: pino({ level: 'silent' }),
    backoffFactorMs,
    registration: () => ({ type: 'REGISTER', register: { agent_info: { hostname: 'h' } } }),
    onRegistered: () => registered++,
    onEvent: (e) => events.push(e),
    onDisconnected: () => undefined,
  });
  links.push(l);
  l.start();
  return { link: l, registered: () => registered };
}

async function until(pred: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timeout');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('MasterLink', () => {
  it('answers PING with PONG carrying the same sequence and posts with the stream id', async () => {
    const m = await master();
    const { link: l } = link(m.address);
    await until(() => l.connected);
    m.send({ type: 'PING', ping: { sequence: 42 } });
    const pong = await m.waitForCall((c) => c.type === 'PONG');
    expect(pong.pong?.sequence).toBe(42);
    expect(pong.agent_id?.value).toBe('fake-agent-1');
  });

  it('follows a 307 to the leader', async () => {
    const leader = await master();
    const follower = await master();
    follower.redirectTo = leader.address;
    const { link: l } = link(follower.address);
    await until(() => l.connected);
    expect(leader.calls.map((c) => c.type)).toEqual(['REGISTER']);
  });

  it('tries the next master when one is down, and retries a recovering (503) master', async () => {
    const m = await master();
    m.recovering = true;
    const { link: l } = link(`127.0.0.1:1,${m.address}`);
    await until(() => m.calls.length >= 2);
    expect(l.connected).toBe(false);
    m.recovering = false;
    await until(() => l.connected);
  });

  it('re-registers when the stream ends, and when PINGs stop coming', async () => {
    const m = await master();
    const { link: l, registered } = link(m.address);
    await until(() => l.connected);
    m.dropStreams();
    await until(() => registered() === 2);
    // ping_interval 0.1 s and no PINGs: after 5 missed intervals the agent reconnects by itself.
    await until(() => registered() === 3, 3000);
  });

  it('passes other events on, and refuses zk:// and malformed master lists', async () => {
    const m = await master();
    const events: internal.AgentEvent[] = [];
    const { link: l } = link(m.address, events);
    await until(() => l.connected);
    m.send({ type: 'KILL_TASK', kill_task: { framework_id: { value: 'f' }, task_id: { value: 't' } } });
    await until(() => events.length === 1);
    expect(events[0]?.kill_task?.task_id.value).toBe('t');
    expect(() => new StaticMasterDetector('zk://h:2181/mesos')).toThrow(MasterDetectorError);
    expect(() => new StaticMasterDetector('nohostport')).toThrow(/not host:port/);
  });

  it('with ZooKeeper: waits for a leader, re-registers with each new one at once, and closes the session on stop', async () => {
    const m1 = await master();
    const m2 = await master();
    const source = new FakeLeaderSource();
    // A one-minute backoff: only a leader change (not a retry) can reach the second master within the bound.
    const { link: l } = link(new ZooKeeperAgentDetector(source), [], 60_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(m1.calls.length + m2.calls.length).toBe(0);
    source.elect(m1.address);
    await until(() => l.connected && m1.connectedAgents().length === 1);
    source.elect(undefined);
    await until(() => !l.connected);
    source.elect(m2.address);
    await until(() => l.connected && m2.connectedAgents().length === 1, 2000);
    expect(m2.calls.map((c) => c.type)).toEqual(['REGISTER']);
    // Straight from one leader to the next, too: the old stream is dropped.
    source.elect(m1.address);
    await until(() => m1.calls.filter((c) => c.type === 'REGISTER').length === 2, 2000);
    await until(() => m2.connectedAgents().length === 0, 2000);
    await l.stop();
    expect(source.closed).toBe(true);
  });
});
