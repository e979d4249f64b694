import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { parseConstraints } from '../constraints/constraints.js';
import { DEFAULT_FAILOVER, NO_FAILURES, registerFailure } from '../policy/failover.js';
import { stickyStarted, stickyStopped } from '../policy/stickiness.js';
import { computePlan, type MemberSpec, type ObservedTask, type PlanInput } from './plan.js';

const offer = (id: string, host: string, resources: string, rack = 'r1'): v1.Offer => ({
  id: { value: id },
  framework_id: { value: 'fw' },
  agent_id: { value: `agent-${host}` },
  hostname: host,
  attributes: [{ name: 'rack', type: 'TEXT', text: { value: rack } }],
  resources: Resources.parse(resources).toProto(),
});
const broker = (id: string, extra: Partial<MemberSpec> = {}): MemberSpec => ({ id, active: true, request: { cpus: 1, mem: 1024, ports: 1 }, ...extra });
const task = (memberId: string, host: string, state: v1.TaskState = 'TASK_RUNNING'): ObservedTask => ({
  memberId,
  taskId: `broker-${memberId}-x`,
  agentId: `agent-${host}`,
  node: { hostname: host, rack: 'r1' },
  state,
});
const input = (over: Partial<PlanInput>): PlanInput => ({ role: 'kafka', principal: 'kafka', members: [], tasks: [], offers: [], now: 1_000_000, suppressed: false, ...over });

describe('computePlan', () => {
  it('places brokers 0..2 with hostname=unique, one per host, and explains the one left over', () => {
    const unique = parseConstraints('hostname=unique');
    const plan = computePlan(
      input({
        members: ['0', '1', '2'].map((id) => broker(id, { constraints: unique })),
        offers: [offer('o1', 'h1', 'cpus:4;mem:8192;ports:[31000-31010]'), offer('o2', 'h2', 'cpus:4;mem:8192;ports:[31000-31010]')],
        suppressed: true,
      }),
    );
    expect(plan.accepts.map((a) => [a.offerId, a.launches.map((l) => l.memberId)])).toEqual([
      ['o1', ['0']],
      ['o2', ['1']],
    ]);
    expect(plan.accepts[0]!.launches[0]!.ports).toEqual([31000]);
    expect(plan.unplaced).toEqual([{ memberId: '2', reasons: ["h1: hostname doesn't match unique", "h2: hostname doesn't match unique"] }]);
    expect(plan).toMatchObject({ declines: [], kills: [], suppress: false, revive: true });
  });

  it('packs several members into one offer without double-booking resources', () => {
    const plan = computePlan(input({ members: ['0', '1', '2'].map((id) => broker(id)), offers: [offer('o1', 'h1', 'cpus:2.5;mem:8192;ports:[31000-31010]')] }));
    const launches = plan.accepts[0]!.launches;
    expect(launches.map((l) => [l.memberId, l.ports])).toEqual([
      ['0', [31000]],
      ['1', [31001]],
    ]);
    expect(plan.unplaced[0]).toEqual({ memberId: '2', reasons: ['h1: not enough cpus: need 1, offered 0.5'] });
  });

  it('declines for long and suppresses when everything runs', () => {
    const plan = computePlan(input({ members: [broker('0')], tasks: [task('0', 'h1')], offers: [offer('o1', 'h2', 'cpus:4;mem:4096;ports:[1-2]')] }));
    expect(plan).toMatchObject({ accepts: [], declines: [{ offerId: 'o1', refuseSeconds: 120 }], suppress: true, revive: false, unplaced: [] });
    expect(computePlan(input({ members: [broker('0')], tasks: [task('0', 'h1')], suppressed: true })).suppress).toBe(false);
  });

  it('kills tasks of inactive and removed members, once', () => {
    const plan = computePlan(
      input({
        members: [broker('0', { active: false }), broker('1', { active: false })],
        tasks: [task('0', 'h1'), task('1', 'h1', 'TASK_KILLING'), task('9', 'h2'), task('3', 'h2', 'TASK_FINISHED')],
      }),
    );
    expect(plan.kills).toEqual([
      { taskId: 'broker-0-x', agentId: 'agent-h1' },
      { taskId: 'broker-9-x', agentId: 'agent-h2' },
    ]);
  });

  it('holds a failed member back for its failover delay, then deactivates it after max tries', () => {
    const failedOnce = { policy: DEFAULT_FAILOVER, state: registerFailure(NO_FAILURES, 990_000) };
    const offers = [offer('o1', 'h1', 'cpus:4;mem:4096;ports:[31000-31001]')];
    const waiting = computePlan(input({ members: [broker('0', { failover: failedOnce })], offers }));
    expect(waiting).toMatchObject({ accepts: [], waiting: [{ memberId: '0', until: 1_050_000 }], wakeAt: 1_050_000, suppress: true });
    expect(waiting.declines).toEqual([{ offerId: 'o1', refuseSeconds: 120 }]);
    const later = computePlan(input({ members: [broker('0', { failover: failedOnce })], offers, now: 1_050_000 }));
    expect(later.accepts[0]!.launches[0]!.memberId).toBe('0');
    const exhausted = computePlan(input({ members: [broker('0', { failover: { policy: { ...DEFAULT_FAILOVER, maxTries: 0 }, state: failedOnce.state } })], offers, now: 2_000_000 }));
    expect(exhausted).toMatchObject({ accepts: [], deactivate: ['0'] });
  });

  it('keeps a recently stopped member on its host', () => {
    const stickiness = { periodMs: 600_000, state: stickyStopped(stickyStarted('h1'), 900_000) };
    const plan = computePlan(input({ members: [broker('0', { stickiness })], offers: [offer('o2', 'h2', 'cpus:4;mem:4096;ports:[1-9]'), offer('o1', 'h1', 'cpus:4;mem:4096;ports:[1-9]')] }));
    expect(plan.accepts.map((a) => a.offerId)).toEqual(['o1']);
    expect(plan.declines).toEqual([{ offerId: 'o2', refuseSeconds: 120 }]);
  });

  it('reserves and creates a volume on first launch, and sends the member back to the agent holding it', () => {
    const volume = { persistenceId: 'kafka-0', containerPath: 'data', volumeMb: 500 };
    const offers = [offer('o1', 'h1', 'cpus:4;mem:4096;disk:1000;ports:[31000-31001]')];
    const first = computePlan(input({ members: [broker('0', { volume })], offers }));
    expect(first.accepts[0]!.operations.map((o) => o.type)).toEqual(['RESERVE', 'CREATE']);
    expect(first.accepts[0]!.launches[0]!.resources.toString()).toContain('[kafka-0:data]:500');
    const elsewhere = computePlan(input({ members: [broker('0', { volume: { ...volume, agentId: 'agent-h2' } })], offers }));
    expect(elsewhere.unplaced).toEqual([{ memberId: '0', reasons: ['h1: its volume kafka-0 lives on agent agent-h2'] }]);
  });

  it('releases the volume and reservations of a removed member', () => {
    const volume = { persistenceId: 'kafka-0', containerPath: 'data', volumeMb: 500 };
    const fresh = Resources.parse('cpus:4;mem:4096;disk:1000;ports:[31000-31001]');
    const first = computePlan(input({ members: [broker('0', { volume })], offers: [offer('o1', 'h1', fresh.toString())] }));
    const held = first.accepts[0]!.operations.reduce((r, op) => r.apply(op), fresh);
    const heldOffer = { ...offer('o2', 'h1', 'cpus:1'), resources: held.toProto() };
    const plan = computePlan(input({ members: [], released: ['kafka-0'], offers: [heldOffer], suppressed: true }));
    expect(plan.accepts[0]!.operations.map((o) => o.type)).toEqual(['DESTROY', 'UNRESERVE']);
    expect(plan.accepts[0]!.operations.reduce((r, op) => r.apply(op), held).equals(fresh)).toBe(true);
    expect(plan.revive).toBe(true);
  });
});
