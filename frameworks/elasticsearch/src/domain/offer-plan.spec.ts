import type { v1 } from '@mesos-ts/proto';
import { describe, expect, it } from 'vitest';
import { applyUpdate, emptyState, needsOffers, type ClusterState } from './cluster-state.js';
import { planOffers, type NodeLaunch, type PlanConfig } from './offer-plan.js';

const config: PlanConfig = {
  frameworkName: 'elasticsearch', role: 'elasticsearch', principal: 'elasticsearch', clusterName: 'mesos-ha',
  cpus: 1, memMb: 512, diskMb: 1024, useIpAddress: false, executor: { command: 'node es.js executor', uris: [{ value: '/d/es.tgz', extract: true }] },
};

function offer(n: number, extra: v1.Resource[] = []): v1.Offer {
  return {
    id: { value: `o${n}` }, framework_id: { value: 'f' }, agent_id: { value: `S${n}` }, hostname: `127.0.0.${n}`,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 2 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 2048 } },
      { name: 'disk', type: 'SCALAR', scalar: { value: 4096 } },
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000n, end: 31010n }] } },
      ...extra,
    ],
  };
}

let uuids = 0;
const uuid = (): string => `u${++uuids}`;
const launchOf = (a: { operations: v1.Offer.Operation[] }): v1.TaskInfo => a.operations.find((o) => o.type === 'LAUNCH')!.launch!.task_infos![0]!;
const dataOf = (t: v1.TaskInfo): NodeLaunch => JSON.parse(new TextDecoder().decode(t.data ?? new Uint8Array())) as NodeLaunch;

describe('planOffers', () => {
  it('first formation: one node at a time, bootstrapping itself, with a reserved volume and discovery ports', () => {
    const plan = planOffers(emptyState(2), [offer(1), offer(2)], config, 100, uuid);
    expect(plan.accepts).toHaveLength(1);
    expect(plan.accepts[0]!.operations.map((o) => o.type)).toEqual(['RESERVE', 'CREATE', 'LAUNCH']);
    const task = launchOf(plan.accepts[0]!);
    expect(task.discovery?.ports?.ports).toEqual([{ number: 31000, name: 'CLIENT_PORT', protocol: 'tcp' }, { number: 31001, name: 'TRANSPORT_PORT', protocol: 'tcp' }]);
    expect(dataOf(task).settings).toMatchObject({ nodeName: 'es-0', initialManagers: ['es-0'], running: [], dataPath: 'data/es' });
    expect(plan.declines).toEqual([{ offerId: 'o2', reason: 'the first Elasticsearch node is not answering yet' }]);
    expect(plan.state.nodes[0]).toMatchObject({ name: 'es-0', agentId: 'S1', persistenceId: 'elasticsearch-es-0' });
  });

  function running(): ClusterState {
    const s = planOffers(emptyState(2), [offer(1)], config, 100, uuid).state;
    const out = applyUpdate(s, s.nodes[0]!.task!.id, 'TASK_RUNNING', new TextEncoder().encode('{"health":"green"}'));
    if (out.kind !== 'changed') throw new Error('unexpected');
    return out.state;
  }

  it('later nodes seed every running transport address and do not bootstrap', () => {
    const s = running();
    expect(s.formed).toBe(true);
    const plan = planOffers(s, [offer(1), offer(2)], config, 200, uuid);
    expect(plan.declines[0]!.reason).toContain('already has');
    const settings = dataOf(launchOf(plan.accepts[0]!)).settings;
    expect(settings).toMatchObject({ nodeName: 'es-1', initialManagers: [], running: [{ name: 'es-0', host: '127.0.0.1', transportPort: 31001 }] });
    expect(needsOffers(plan.state)).toBe(false);
    expect(planOffers(plan.state, [offer(3)], config, 300, uuid).declines[0]!.reason).toContain('cluster size reached');
  });

  it('a failed node goes back to the agent holding its volume, reusing it', () => {
    const s = running();
    const failed = applyUpdate(s, s.nodes[0]!.task!.id, 'TASK_FAILED', undefined);
    if (failed.kind !== 'changed') throw new Error('unexpected');
    expect(failed.state.nodes[0]!.task).toBeUndefined();
    const elsewhere = planOffers({ ...failed.state, desired: 1 }, [offer(2)], config, 300, uuid);
    expect(elsewhere.accepts).toHaveLength(0);
    const volume: v1.Resource = { name: 'disk', type: 'SCALAR', scalar: { value: 1024 }, reservations: [{ type: 'DYNAMIC', role: 'elasticsearch', principal: 'elasticsearch', labels: { labels: [{ key: 'mesos-ts.persistence-id', value: 'elasticsearch-es-0' }] } }], disk: { persistence: { id: 'elasticsearch-es-0', principal: 'elasticsearch' }, volume: { container_path: 'data', mode: 'RW' } } };
    const home = planOffers({ ...failed.state, desired: 1 }, [offer(1, [volume])], config, 300, uuid);
    expect(home.accepts[0]!.operations.map((o) => o.type)).toEqual(['LAUNCH']);
    expect(home.state.nodes.map((n) => n.name)).toEqual(['es-0']);
  });

  it('role * keeps data in the sandbox: no reservation, no volume', () => {
    const plan = planOffers(emptyState(1), [offer(1)], { ...config, role: '*' }, 100, uuid);
    expect(plan.accepts[0]!.operations.map((o) => o.type)).toEqual(['LAUNCH']);
    expect(plan.state.nodes[0]!.persistenceId).toBeUndefined();
  });

  it('a removed node: forgotten when its task ends, its volume released on its agent', () => {
    const s = running();
    const removing = { ...s, nodes: s.nodes.map((n) => ({ ...n, removing: true })) };
    const out = applyUpdate(removing, s.nodes[0]!.task!.id, 'TASK_KILLED', undefined);
    if (out.kind !== 'changed') throw new Error('unexpected');
    expect(out.state.nodes).toEqual([]);
    expect(out.state.released).toEqual([{ persistenceId: 'elasticsearch-es-0', agentId: 'S1' }]);
    const volume: v1.Resource = { name: 'disk', type: 'SCALAR', scalar: { value: 1024 }, reservations: [{ type: 'DYNAMIC', role: 'elasticsearch', principal: 'elasticsearch', labels: { labels: [{ key: 'mesos-ts.persistence-id', value: 'elasticsearch-es-0' }] } }], disk: { persistence: { id: 'elasticsearch-es-0', principal: 'elasticsearch' }, volume: { container_path: 'data', mode: 'RW' } } };
    const plan = planOffers({ ...out.state, desired: 0 }, [offer(1, [volume])], config, 300, uuid);
    expect(plan.accepts[0]!.operations.map((o) => o.type)).toEqual(['DESTROY', 'UNRESERVE']);
    expect(plan.state.released).toEqual([]);
  });

  it('health from the executor status data; reconciliation answers keep the last colour', () => {
    const s = running();
    expect(s.nodes[0]!.task!.health).toBe('green');
    const out = applyUpdate(s, s.nodes[0]!.task!.id, 'TASK_RUNNING', undefined);
    expect(out.kind === 'changed' && out.state.nodes[0]!.task!.health).toBe('green');
    expect(applyUpdate(s, 'nope', 'TASK_RUNNING', undefined).kind).toBe('unknown-task');
  });
});
