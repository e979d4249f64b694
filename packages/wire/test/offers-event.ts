// A realistic OFFERS event shared by the codec tests and the benchmark: each offer has ids, a hostname, a URL,
// six resources (scalars, reserved and unreserved, a ports range set, a persistent volume) and attributes.
import type { scheduler, v1 } from '@mesos-ts/proto';

const FRAMEWORK = '7c0f5e6a-1d2b-4c3d-9e8f-a1b2c3d4e5f6-0000';

function scalar(name: string, value: number, role?: string): v1.Resource {
  const resource: v1.Resource = { name, type: 'SCALAR', scalar: { value } };
  if (role !== undefined) {
    resource.reservations = [{ type: 'DYNAMIC', role, principal: 'ops', labels: { labels: [{ key: 'owner', value: 'kafka-日本' }] } }];
  }
  return resource;
}

export function offer(i: number): v1.Offer {
  const agent = `3a7b9c1d-2e4f-4a6b-8c0d-1e2f3a4b5c6d-S${i}`;
  return {
    id: { value: `${FRAMEWORK.slice(0, 36)}-O${1000 + i}` },
    framework_id: { value: FRAMEWORK },
    agent_id: { value: agent },
    hostname: `node-${i}.rack-${i % 8}.example.internal`,
    url: { scheme: 'http', address: { hostname: `node-${i}.rack-${i % 8}.example.internal`, ip: `10.0.${i % 256}.${(i * 7) % 256}`, port: 5051 }, path: '/slave(1)' },
    resources: [
      scalar('cpus', 7.5),
      scalar('mem', 30_720),
      scalar('disk', 409_600),
      scalar('cpus', 0.5, 'kafka'),
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000n, end: 31099n }, { begin: 31200n, end: 32000n }] } },
      {
        name: 'disk',
        type: 'SCALAR',
        scalar: { value: 2048 },
        reservations: [{ type: 'DYNAMIC', role: 'kafka', principal: 'ops' }],
        disk: { persistence: { id: `broker-${i}-data`, principal: 'ops' }, volume: { mode: 'RW', container_path: 'data' } },
      },
    ],
    attributes: [
      { name: 'rack', type: 'TEXT', text: { value: `rack-${i % 8}` } },
      { name: 'zone', type: 'TEXT', text: { value: 'eu-west-1a' } },
      { name: 'ssd', type: 'SCALAR', scalar: { value: 1 } },
      { name: 'tier', type: 'SET', set: { item: ['gold', 'kafka'] } },
    ],
    allocation_info: { role: 'kafka' },
  };
}

export function offersEvent(count: number): scheduler.Event {
  return { type: 'OFFERS', offers: { offers: Array.from({ length: count }, (_, i) => offer(i)) } };
}
