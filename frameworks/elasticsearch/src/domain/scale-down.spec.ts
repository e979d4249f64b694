import { describe, expect, it } from 'vitest';
import { exclusionSetting, nextScaleDown, pickNodeToRemove, type ScaleDownEvent, type ScaleDownState } from './scale-down.js';

describe('scale-down transitions', () => {
  const path: Array<[ScaleDownState, ScaleDownEvent, ScaleDownState]> = [
    ['idle', 'too-many-nodes', 'excluding'],
    ['excluding', 'excluded', 'draining'],
    ['draining', 'drained', 'killing'],
    ['killing', 'killed', 'clearing'],
    ['clearing', 'cleared', 'idle'],
    ['draining', 'failed', 'clearing'],
    ['excluding', 'failed', 'idle'],
  ];
  it.each(path)('%s --%s--> %s', (from, event, to) => expect(nextScaleDown(from, event)).toBe(to));
  it.each<[ScaleDownState, ScaleDownEvent]>([['idle', 'killed'], ['draining', 'excluded'], ['killing', 'drained']])('rejects %s on %s', (from, event) => {
    expect(() => nextScaleDown(from, event)).toThrow(/not expected/);
  });
});

describe('pickNodeToRemove', () => {
  const nodes = [{ name: 'es-0', launchedAt: 1 }, { name: 'es-2', launchedAt: 5 }, { name: 'es-1', launchedAt: 3 }];
  it.each<[number, string | undefined]>([[3, undefined], [4, undefined], [2, 'es-2'], [1, 'es-2']])('desired %i removes %s', (desired, name) => {
    expect(pickNodeToRemove(nodes, desired)?.name).toBe(name);
  });
  it('exclusion setting names the nodes, null clears', () => {
    expect(exclusionSetting(['es-2']).transient['cluster.routing.allocation.exclude._name']).toBe('es-2');
    expect(exclusionSetting([]).transient['cluster.routing.allocation.exclude._name']).toBeNull();
  });
});
