import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { ownedBy, placeVolumeTask, releaseVolumeTask, type VolumeTaskSpec } from './volume-recipe.js';

const spec: VolumeTaskSpec = {
  persistenceId: 'broker-0',
  role: 'kafka',
  principal: 'kafka-fw',
  containerPath: 'data',
  volumeMb: 1_000,
  request: { cpus: 1, mem: 512, ports: 1 },
};

const agentResources = Resources.parse('cpus:4;mem:4096;disk:10000;ports:[31000-31005]');
const offerOf = (r: Resources): Pick<v1.Offer, 'resources'> => ({ resources: r.toProto() });

/** What the agent would hold after the master applied `ops` (and what it re-offers). */
const applied = (r: Resources, ops: readonly v1.Offer.Operation[]): Resources => ops.reduce((acc, op) => acc.apply(op), r);

describe('placeVolumeTask', () => {
  it('reserves, creates the volume and launches on a fresh agent; reuses both after a restart', () => {
    const first = placeVolumeTask(offerOf(agentResources), spec);
    if (first.kind !== 'launch') throw new Error(first.reason);
    expect(first.reused).toBe(false);
    expect(first.operations.map((o) => o.type)).toEqual(['RESERVE', 'CREATE']);
    expect(first.ports).toEqual([31000]);
    const reservedNow = first.operations[0]!.reserve!.resources!;
    expect(reservedNow.every((r) => ownedBy(r, 'broker-0'))).toBe(true);
    expect(Resources.fromProto(reservedNow).toString()).toContain('cpus(reservations: [(DYNAMIC,kafka,kafka-fw,{mesos-ts.persistence-id: broker-0})]):1');
    const volume = first.resources.toProto().find((r) => r.disk?.persistence !== undefined)!;
    expect(volume).toMatchObject({ scalar: { value: 1000 }, disk: { persistence: { id: 'broker-0', principal: 'kafka-fw' }, volume: { container_path: 'data', mode: 'RW' } } });
    expect(first.resources.scalar('cpus')).toBe(1);
    expect(first.resources.scalar('mem')).toBe(512);

    // The task ran and ended: the agent keeps the reservation and volume, and offers them again.
    const afterwards = applied(agentResources, first.operations);
    const again = placeVolumeTask(offerOf(afterwards), spec);
    if (again.kind !== 'launch') throw new Error(again.reason);
    expect(again.reused).toBe(true);
    expect(again.operations).toEqual([]);
    expect(again.resources.equals(first.resources)).toBe(true);
  });

  it("does not touch another member's reservation or volume", () => {
    const other = placeVolumeTask(offerOf(agentResources), { ...spec, persistenceId: 'broker-1', request: { cpus: 3.5, mem: 512 } });
    if (other.kind !== 'launch') throw new Error(other.reason);
    const afterwards = applied(agentResources, other.operations);
    const mine = placeVolumeTask(offerOf(afterwards), spec);
    expect(mine).toEqual({ kind: 'unfit', reason: 'not enough cpus: need 1, offered 0.5' });
    const small = placeVolumeTask(offerOf(afterwards), { ...spec, request: { cpus: 0.5, mem: 512 } });
    expect(small.kind === 'launch' && small.resources.toProto().every((r) => !ownedBy(r, 'broker-1'))).toBe(true);
  });

  it.each([
    ['cpus', { ...spec, request: { cpus: 5 } }, 'not enough cpus: need 5, offered 4'],
    ['volume', { ...spec, volumeMb: 20_000 }, 'not enough disk: need 20000, offered 10000'],
  ])('says why an offer does not fit (%s)', (_, s, reason) => {
    expect(placeVolumeTask(offerOf(agentResources), s)).toEqual({ kind: 'unfit', reason });
  });
});

describe('releaseVolumeTask', () => {
  it('destroys the volume and unreserves everything labelled for the member', () => {
    const first = placeVolumeTask(offerOf(agentResources), spec);
    if (first.kind !== 'launch') throw new Error(first.reason);
    const held = applied(agentResources, first.operations);
    const ops = releaseVolumeTask(offerOf(held), spec);
    expect(ops.map((o) => o.type)).toEqual(['DESTROY', 'UNRESERVE']);
    expect(applied(held, ops).equals(agentResources)).toBe(true);
    expect(releaseVolumeTask(offerOf(agentResources), spec)).toEqual([]);
  });
});
