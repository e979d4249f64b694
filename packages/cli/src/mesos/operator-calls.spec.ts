import { describe, expect, it } from 'vitest';
import { Resources } from '@mesos-ts/resources';
import { CliError } from '../errors.js';
import { parseSizeMb, reserveCall, unreserveCall, volumeCall } from './operator-calls.js';

describe('operator calls', () => {
  it('reserve: unreserved source, target reserved for the role and principal', () => {
    const call = reserveCall({ agentId: 'S0', resources: 'cpus:1;mem:128', role: 'web', principal: 'ops' });
    expect(call.type).toBe('RESERVE_RESOURCES');
    const r = call.reserve_resources!;
    expect(r.agent_id).toEqual({ value: 'S0' });
    expect(Resources.fromProto(r.source!).equals(Resources.parse('cpus:1;mem:128'))).toBe(true);
    expect(r.resources!.map((x) => x.reservations)).toEqual([
      [{ type: 'DYNAMIC', role: 'web', principal: 'ops' }],
      [{ type: 'DYNAMIC', role: 'web', principal: 'ops' }],
    ]);
  });

  it('unreserve names the reserved resources', () => {
    const call = unreserveCall({ agentId: 'S0', resources: 'disk:10', role: 'web' });
    expect(call.unreserve_resources!.resources).toEqual([{ name: 'disk', type: 'SCALAR', scalar: { value: 10 }, reservations: [{ type: 'DYNAMIC', role: 'web' }] }]);
  });

  it('volume: a reserved disk with persistence id and container path', () => {
    const call = volumeCall('create', { agentId: 'S0', role: 'db', principal: 'p', id: 'data-0', sizeMb: 100, containerPath: 'data' });
    expect(call).toEqual({
      type: 'CREATE_VOLUMES',
      create_volumes: {
        agent_id: { value: 'S0' },
        volumes: [{ name: 'disk', type: 'SCALAR', scalar: { value: 100 }, reservations: [{ type: 'DYNAMIC', role: 'db', principal: 'p' }], disk: { persistence: { id: 'data-0', principal: 'p' }, volume: { container_path: 'data', mode: 'RW' } } }],
      },
    });
    expect(volumeCall('destroy', { agentId: 'S0', role: 'db', id: 'v', sizeMb: 1, containerPath: 'd' }).type).toBe('DESTROY_VOLUMES');
  });

  it.each([
    [() => reserveCall({ agentId: 'S0', resources: 'cpus:1', role: '*' }), "--role must name a role other than '*'"],
    [() => reserveCall({ agentId: 'S0', resources: 'cpus(web):1', role: 'web' }), 'must be given without roles'],
    [() => reserveCall({ agentId: 'S0', resources: 'cpus:x', role: 'web' }), '--resources:'],
    [() => volumeCall('create', { agentId: 'S0', role: 'db', id: 'a/b', sizeMb: 1, containerPath: 'd' }), "--id 'a/b'"],
    [() => volumeCall('create', { agentId: 'S0', role: 'db', id: 'v', sizeMb: 0, containerPath: 'd' }), '--size must be a positive number'],
    [() => volumeCall('create', { agentId: 'S0', role: 'db', id: 'v', sizeMb: 1, containerPath: '/abs' }), "--path '/abs'"],
    [() => parseSizeMb('lots'), '--size must be megabytes'],
  ])('refuses bad input (%#)', (f, message) => {
    expect(f).toThrow(CliError);
    expect(f).toThrow(message);
  });

  it.each([
    ['100', 100],
    ['512MB', 512],
    ['2GB', 2048],
    ['1.5G', 1536],
  ])('size %s → %d MB', (text, mb) => expect(parseSizeMb(text)).toBe(mb));
});
