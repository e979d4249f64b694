import { describe, expect, it } from 'vitest';
import type { maintenance } from '@mesos-ts/proto';
import { agentMachine, agentUnavailability, machineChangeProblem, scheduleProblem } from './maintenance.js';

const window = (...hosts: string[]): maintenance.Window => ({ machine_ids: hosts.map((hostname) => ({ hostname })), unavailability: { start: { nanoseconds: 0n } } });
const schedule = (...windows: maintenance.Window[]): maintenance.Schedule => ({ windows });

describe('maintenance schedule checks', () => {
  it.each<[string, maintenance.Schedule, string[], string | null]>([
    ['an empty schedule', schedule(), [], null],
    ['two windows', schedule(window('a'), window('b')), [], null],
    ['a window without machines', schedule(window()), [], 'List of machines in the maintenance window is empty'],
    ['a machine twice', schedule(window('a'), window('a')), [], 'appears more than once'],
    ['a machine with neither hostname nor ip', { windows: [{ machine_ids: [{}], unavailability: { start: { nanoseconds: 0n } } }] }, [], "at least one of 'hostname' or 'ip'"],
    ['dropping a down machine', schedule(window('b')), ['a/'], 'is down'],
  ])('%s', (_name, s, down, problem) => {
    const got = scheduleProblem(s, new Set(down));
    if (problem === null) expect(got).toBeNull();
    else expect(got).toContain(problem);
  });

  it.each<['down' | 'up', string, string[], string | null]>([
    ['down', 'a', [], null],
    ['down', 'z', [], 'is not part of a maintenance schedule'],
    ['down', 'a', ['a/'], 'is not in DRAINING mode'],
    ['up', 'a', ['a/'], null],
    ['up', 'a', [], 'is not in DOWN mode'],
  ])('machine %s %s (down: %j)', (change, host, down, problem) => {
    const got = machineChangeProblem(change, [{ hostname: host }], { schedule: schedule(window('a')), down: new Set(down) });
    if (problem === null) expect(got).toBeNull();
    else expect(got).toContain(problem);
  });

  it('an agent is in a window by hostname, or by ip when the window names only an ip', () => {
    const s: maintenance.Schedule = { windows: [{ machine_ids: [{ hostname: 'h1' }, { ip: '127.0.0.9' }], unavailability: { start: { nanoseconds: 0n } } }] };
    expect(agentMachine(s, 'h1', undefined)).toBe('h1/');
    expect(agentMachine(s, 'h2', '127.0.0.9')).toBe('/127.0.0.9');
    expect(agentMachine(s, 'h2', undefined)).toBeUndefined();
  });

  it("offers of an agent in a window carry the window's unavailability", () => {
    const s = schedule(window('h1'));
    expect(agentUnavailability({ schedule: s }, 'h1')).toEqual({ start: { nanoseconds: 0n } });
    expect(agentUnavailability({ schedule: s }, 'h2')).toBeUndefined();
  });
});
