import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { matchOffer, matchResources, type ResourceRequest } from './offer-match.js';

const dynamic = (role: string): v1.Resource.ReservationInfo[] => [{ type: 'DYNAMIC', role, principal: 'kafka' }];
const scalar = (name: string, value: number, role?: string): v1.Resource => ({
  name,
  type: 'SCALAR',
  scalar: { value },
  ...(role === undefined ? {} : { reservations: dynamic(role) }),
});
const volume = (id: string, size: number, role: string): v1.Resource => ({
  ...scalar('disk', size, role),
  disk: { persistence: { id, principal: 'kafka' }, volume: { container_path: 'data', mode: 'RW' } },
});
const ports = (begin: number, end: number, role?: string): v1.Resource => ({
  name: 'ports',
  type: 'RANGES',
  ranges: { range: [{ begin: BigInt(begin), end: BigInt(end) }] },
  ...(role === undefined ? {} : { reservations: dynamic(role) }),
});

const offer: Pick<v1.Offer, 'resources'> = {
  resources: [
    scalar('cpus', 4),
    scalar('cpus', 1, 'kafka'),
    scalar('mem', 4096),
    scalar('disk', 10_000),
    scalar('disk', 2_000, 'kafka'),
    volume('broker-0', 1_000, 'kafka'),
    ports(31000, 31002),
    ports(32000, 32000, 'kafka'),
    scalar('cpus', 8, 'other'),
  ],
};

describe('matchOffer', () => {
  it.each<[string, ResourceRequest, string]>([
    ['reserved cpus first', { cpus: 1.5, role: 'kafka' }, 'cpus(*):0.5; cpus(reservations: [(DYNAMIC,kafka,kafka)]):1'],
    ['fixed point', { cpus: 0.1, mem: 0.3, role: 'kafka' }, 'cpus(reservations: [(DYNAMIC,kafka,kafka)]):0.1; mem(*):0.3'],
    ['ports by count, reserved first', { ports: 2, role: 'kafka' }, 'ports(*):[31000-31000]; ports(reservations: [(DYNAMIC,kafka,kafka)]):[32000-32000]'],
    ['specific ports', { ports: [31002, 31000] }, 'ports(*):[31000-31000, 31002-31002]'],
    ['plain disk skips the volume', { disk: 2_500, role: 'kafka' }, 'disk(*):500; disk(reservations: [(DYNAMIC,kafka,kafka)]):2000'],
    ['volume by id', { volume: { persistenceId: 'broker-0' }, disk: 1_000, role: 'kafka' }, 'disk(reservations: [(DYNAMIC,kafka,kafka)])[broker-0:data]:1000'],
  ])('%s', (_, request, expected) => {
    const result = matchOffer(offer, request);
    if (!result.ok) throw new Error(result.reason);
    expect(result.resources.toString()).toBe(expected);
    expect(Resources.fromProto(offer.resources!).contains(result.resources)).toBe(true);
  });

  it.each<[string, ResourceRequest, string]>([
    ['other role reservations are not usable', { cpus: 5.5, role: 'kafka' }, 'not enough cpus: need 5.5, offered 5'],
    ['mem', { mem: 5000 }, 'not enough mem: need 5000, offered 4096'],
    ['gpus', { gpus: 1 }, 'not enough gpus: need 1, offered 0'],
    ['ports count', { ports: 5 }, 'not enough ports: need 5 ports, offered [31000-31002],[32000-32000]'],
    ['specific port', { ports: [31005] }, 'not enough ports: need ports 31005'],
    ['unknown volume', { volume: { persistenceId: 'broker-9' }, role: 'kafka' }, 'persistent volume broker-9 is not in the offer'],
    ['small volume', { volume: { persistenceId: 'broker-0' }, disk: 2_000, role: 'kafka' }, 'persistent volume broker-0 has 1000 MB, task needs 2000 MB'],
    ['volume of another role', { volume: { persistenceId: 'broker-0' }, role: 'web' }, 'persistent volume broker-0 is not in the offer'],
  ])('refuses: %s', (_, request, reason) => {
    const result = matchOffer(offer, request);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it('returns the chosen ports and the volume', () => {
    const result = matchOffer(offer, { ports: 1, volume: { persistenceId: 'broker-0' }, role: 'kafka' });
    expect(result.ok && result.ports).toEqual([32000]);
    expect(result.ok && result.volume?.disk?.persistence?.id).toBe('broker-0');
  });

  it('packs several tasks into one offer by subtracting what earlier tasks took', () => {
    let left = Resources.fromProto(offer.resources!).allocatableTo('kafka');
    const placed: number[][] = [];
    for (;;) {
      const r = matchResources(left, { cpus: 2, mem: 1024, ports: 1 });
      if (!r.ok) break;
      placed.push(r.ports);
      left = left.subtract(r.resources);
    }
    // 5 usable cpus -> two tasks; each got a distinct port, the reserved one first.
    expect(placed).toEqual([[32000], [31000]]);
  });
});
