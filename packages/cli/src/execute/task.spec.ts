import { describe, expect, it } from 'vitest';
import { Resources } from '@mesos-ts/resources';
import { agentCapacities, neverFits } from './task.js';

const slaves = {
  slaves: [
    { id: 'a0', hostname: '127.0.0.1', active: true, unreserved_resources: { cpus: 2, mem: 2048, disk: 0, ports: '[31000-32000]' } },
    {
      id: 'a1',
      hostname: '127.0.0.2',
      active: true,
      unreserved_resources: { cpus: 1, mem: 512 },
      reserved_resources_full: { db: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 8 }, reservations: [{ type: 'DYNAMIC', role: 'db' }] }] },
    },
    { id: 'gone', hostname: '127.0.0.3', active: false, unreserved_resources: { cpus: 64, mem: 65536 } },
  ],
};

describe('agentCapacities', () => {
  it('reads unreserved totals, adds what is reserved for the role, and skips inactive agents', () => {
    const star = agentCapacities(slaves, '*');
    expect(star.map((a) => a.id)).toEqual(['a0', 'a1']);
    expect(star[0]?.total.contains(Resources.parse('cpus:2;mem:2048;ports:[31000-31000]'))).toBe(true);
    const db = agentCapacities(slaves, 'db');
    expect(db[1]?.total.toProto().find((r) => r.name === 'cpus' && r.reservations?.length)?.scalar?.value).toBe(8);
  });

  it('treats an answer without agents as no agents', () => {
    expect(agentCapacities({}, '*')).toEqual([]);
    expect(agentCapacities(undefined, '*')).toEqual([]);
  });
});

describe('neverFits', () => {
  const agents = agentCapacities(slaves, '*');
  it.each([
    ['cpus:1;mem:128', false],
    ['cpus:2;mem:2048', false],
    ['cpus:3;mem:128', true],
    ['cpus:1;mem:4096', true],
    ['gpus:1', true],
  ])('%s never fits: %s', (text, never) => {
    const why = neverFits(agents, Resources.parse(text));
    expect(why !== undefined).toBe(never);
    if (never) expect(why).toMatch(/no agent can ever offer .*the 2 registered agents have a0 \(127\.0\.0\.1\).*Lower --resources/);
  });

  it('waits while no agent has registered', () => {
    expect(neverFits([], Resources.parse('cpus:100'))).toBeUndefined();
  });
});
