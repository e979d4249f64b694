import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { newBroker, type Broker } from './broker.js';
import { applyBrokerParams } from './broker-params.js';
import type { BrokerLaunch } from './broker-launch.js';
import { planOffers, type OfferPlanInput } from './offers.js';

const NOW = 1_700_000_000_000;

function offer(id: string, hostname: string, resources: string, attributes: v1.Attribute[] = []): v1.Offer {
  return { id: { value: id }, framework_id: { value: 'fw' }, agent_id: { value: `agent-${hostname}` }, hostname, resources: Resources.parse(resources).toProto(), attributes };
}

function input(brokers: Broker[], offers: v1.Offer[], extra: Partial<OfferPlanInput> = {}): OfferPlanInput {
  let n = 0;
  return {
    frameworkName: 'kafka',
    role: 'kafka',
    principal: 'kafka',
    brokers,
    offers,
    now: NOW,
    suppressed: false,
    released: [],
    mode: { zk: 'zk1:2181/kafka', clusterId: 'cluster-1', voters: undefined },
    executor: { command: 'kafka-mesos executor', uris: [{ value: 'http://s:7000/kafka/kafka.tgz', extract: true }], distribution: 'kafka.tgz' },
    uuid: () => `uuid-${n++}`,
    ...extra,
  };
}

const active = (b: Broker): Broker => ({ ...b, active: true });
const launchOf = (op: v1.Offer.Operation | undefined, i = 0): BrokerLaunch => JSON.parse(new TextDecoder().decode(op!.launch!.task_infos![i]!.data!)) as BrokerLaunch;

describe('planOffers', () => {
  it('reserves, creates a volume and launches a broker with its server.properties (ZooKeeper mode)', () => {
    const plan = planOffers(input([active(newBroker(0))], [offer('o1', 'h1', 'cpus:4;mem:8192;disk:4096;ports:[31000-31010]')]));
    expect(plan.accepts).toHaveLength(1);
    const accept = plan.accepts[0]!;
    expect(accept.operations.map((o) => o.type)).toEqual(['RESERVE', 'CREATE', 'LAUNCH']);
    const task = accept.operations[2]!.launch!.task_infos![0]!;
    expect(task.task_id.value).toBe('broker-0-uuid-0');
    expect(task.executor).toMatchObject({ type: 'CUSTOM', executor_id: { value: 'broker-0-uuid-0' }, command: { value: 'kafka-mesos executor', uris: [{ value: 'http://s:7000/kafka/kafka.tgz', extract: true }] } });
    expect(task.resources?.find((r) => r.disk?.persistence)?.disk?.persistence?.id).toBe('kafka-broker-0');
    expect(launchOf(accept.operations[2])).toMatchObject({
      brokerId: 0,
      hostname: 'h1',
      port: 31000,
      heap: 1024,
      distribution: 'kafka.tgz',
      properties: { 'broker.id': '0', 'zookeeper.connect': 'zk1:2181/kafka', listeners: 'PLAINTEXT://h1:31000', 'advertised.listeners': 'PLAINTEXT://h1:31000', 'log.dirs': 'data/kafka-logs', 'log.retention.bytes': '10737418240' },
    });
    expect(accept.tasks).toEqual([{ brokerId: 0, volumeAgentId: 'agent-h1', task: { id: 'broker-0-uuid-0', agentId: 'agent-h1', executorId: 'broker-0-uuid-0', hostname: 'h1', port: 31000, controllerPort: undefined, attributes: {}, state: 'starting' } }]);
    expect(plan.suppress).toBe(true);
  });

  it('forms the KRaft quorum from the brokers of the first launch round, with a controller port each', () => {
    const plan = planOffers(input([0, 1, 2].map((id) => active(newBroker(id))), [offer('o1', 'h1', 'cpus:8;mem:16384;disk:8192;ports:[31000-31010]')], { mode: { zk: undefined, clusterId: 'c1', voters: undefined } }));
    const launch = plan.accepts[0]!.operations.at(-1)!;
    const props = [0, 1, 2].map((i) => launchOf(launch, i));
    expect(props.map((p) => [p.port, p.controllerPort])).toEqual([[31000, 31001], [31002, 31003], [31004, 31005]]);
    expect(props[1]!.properties).toMatchObject({ 'node.id': '1', 'process.roles': 'broker,controller', 'controller.quorum.voters': '0@h1:31001,1@h1:31003,2@h1:31005', listeners: 'PLAINTEXT://h1:31002,CONTROLLER://h1:31003' });
    expect(props[1]!.clusterId).toBe('c1');
    expect(plan.formedVoters).toBe('0@h1:31001,1@h1:31003,2@h1:31005');
  });

  it('keeps the stored KRaft quorum: a broker added later joins as a broker only, a voter reuses its ports', () => {
    const voters = '0@h1:31001,1@h1:31003';
    const voter1: Broker = { ...active(newBroker(1)), volumeAgentId: 'agent-h1', placement: { hostname: 'h1', port: 31002, controllerPort: 31003 } };
    const plan = planOffers(input([voter1, active(newBroker(3))], [offer('o1', 'h1', 'cpus:8;mem:16384;disk:8192;ports:[31000-31010]')], { mode: { zk: undefined, clusterId: 'c1', voters } }));
    const launch = plan.accepts[0]!.operations.at(-1)!;
    const [one, three] = [launchOf(launch, 0), launchOf(launch, 1)];
    expect([one.brokerId, one.port, one.controllerPort, one.properties['process.roles']]).toEqual([1, 31002, 31003, 'broker,controller']);
    expect([three.brokerId, three.controllerPort, three.properties['process.roles'], three.properties.listeners]).toEqual([3, undefined, 'broker', 'PLAINTEXT://h1:31000']);
    expect(three.properties['controller.quorum.voters']).toBe(voters);
    expect(plan.formedVoters).toBeUndefined();
    expect(plan.accepts[0]!.tasks.find((t) => t.brokerId === 3)!.task.controllerPort).toBeUndefined();
  });

  it.each<[string, Broker, v1.Offer, string]>([
    ['not enough mem', active(newBroker(0)), offer('o', 'h1', 'cpus:4;mem:1024;disk:4096;ports:[31000-31010]'), 'h1: '],
    ['port range not offered', active(applyBrokerParams(newBroker(0), { port: '9092..9093' })), offer('o', 'h1', 'cpus:4;mem:4096;disk:4096;ports:[31000-31010]'), 'h1: '],
    ['constraint', active(applyBrokerParams(newBroker(0), { constraints: 'hostname=like:slave.*' })), offer('o', 'h1', 'cpus:4;mem:4096;disk:4096;ports:[31000-31010]'), "h1: hostname doesn't match like:slave.*"],
    [
      'stickiness',
      { ...active(newBroker(0)), stickiness: { period: 600_000, hostname: 'h2', stopTime: NOW - 1000 } },
      offer('o', 'h1', 'cpus:4;mem:4096;disk:4096;ports:[31000-31010]'),
      'h1: stickiness keeps it on h2',
    ],
    ['its volume elsewhere', { ...active(newBroker(0)), volumeAgentId: 'agent-h2' }, offer('o', 'h1', 'cpus:4;mem:4096;disk:4096;ports:[31000-31010]'), 'h1: its volume kafka-broker-0 lives on agent agent-h2'],
  ])('does not place a broker when %s, and says why per agent', (_, broker, o, why) => {
    const plan = planOffers(input([broker], [o]));
    expect(plan.accepts).toEqual([]);
    expect(plan.declines).toEqual([{ offerId: 'o', refuseSeconds: 5 }]);
    expect(plan.unplaced).toHaveLength(1);
    expect(plan.unplaced[0]!.reasons[0]).toContain(why);
  });

  it('picks a port inside a range from what is offered', () => {
    const b = active(applyBrokerParams(newBroker(0), { port: '31090..31100' }));
    const plan = planOffers(input([b], [offer('o', 'h1', 'cpus:4;mem:4096;disk:4096;ports:[31095-31200]')]));
    expect(plan.accepts[0]!.tasks[0]!.task.port).toBe(31095);
  });

  it('waits for the failover delay, then deactivates after max tries', () => {
    const failed = { ...active(newBroker(0)), failover: { ...newBroker(0).failover, failures: 1, failureTime: NOW - 1000 } };
    const waiting = planOffers(input([failed], [offer('o', 'h1', 'cpus:4;mem:4096;disk:4096;ports:[31000-31010]')]));
    expect(waiting.accepts).toEqual([]);
    expect(waiting.wakeAt).toBe(NOW - 1000 + 60_000);
    const exhausted = { ...failed, failover: { ...failed.failover, maxTries: 2, failures: 3 } };
    expect(planOffers(input([exhausted], [])).deactivate).toEqual([0]);
  });

  it('kills tasks of inactive brokers and releases removed volumes', () => {
    const b: Broker = { ...newBroker(0), task: { id: 't0', agentId: 'a', executorId: 't0', hostname: 'h1', port: 31000, controllerPort: undefined, attributes: {}, state: 'running' } };
    expect(planOffers(input([b], [])).kills).toEqual([{ taskId: 't0', agentId: 'a' }]);
    // An offer holding a removed broker's volume: DESTROY then UNRESERVE.
    const first = planOffers(input([active(newBroker(1))], [offer('o1', 'h1', 'cpus:4;mem:4096;disk:4096;ports:[31000-31010]')]));
    const after = first.accepts[0]!.operations.slice(0, 2).reduce((r, op) => r.apply(op), Resources.parse('cpus:4;mem:4096;disk:4096;ports:[31000-31010]'));
    const release = planOffers(input([], [{ ...offer('o2', 'h1', ''), resources: after.toProto() }], { released: ['kafka-broker-1'] }));
    expect(release.accepts[0]!.operations.map((o) => o.type)).toEqual(['DESTROY', 'UNRESERVE']);
  });

  it('keeps a KRaft voter without a volume (role *) on its host after its stickiness lapsed', () => {
    const voter: Broker = { ...active(newBroker(0)), stickiness: { period: 600_000, hostname: 'h2', stopTime: NOW - 3_600_000 }, placement: { hostname: 'h2', port: 31000, controllerPort: 31001 } };
    const o = offer('o', 'h1', 'cpus:4;mem:4096;disk:4096;ports:[31000-31010]');
    const kraft = { role: '*', mode: { zk: undefined, clusterId: 'c1', voters: '0@h2:31001' } };
    const plan = planOffers(input([voter], [o], kraft));
    expect(plan.accepts).toEqual([]);
    expect(plan.unplaced[0]!.reasons[0]).toContain('h1: stickiness keeps it on h2');
    // A broker-only node may move once its stickiness lapsed.
    expect(planOffers(input([{ ...voter, id: 1, placement: undefined }], [o], kraft)).accepts).toHaveLength(1);
  });

  it('uses the sandbox and no volume with role *', () => {
    const plan = planOffers(input([active(newBroker(0))], [offer('o', 'h1', 'cpus:4;mem:4096;disk:4096;ports:[31000-31010]')], { role: '*' }));
    expect(plan.accepts[0]!.operations.map((o) => o.type)).toEqual(['LAUNCH']);
    expect(launchOf(plan.accepts[0]!.operations[0]).properties['log.dirs']).toBe('kafka-logs');
  });
});
