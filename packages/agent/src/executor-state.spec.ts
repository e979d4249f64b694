import { describe, expect, it } from 'vitest';
import { EXECUTOR_TRANSITIONS, canTransition } from './executor-state.js';
import type { ExecutorState } from './model.js';

const ALL = Object.keys(EXECUTOR_TRANSITIONS) as ExecutorState[];

describe('executor state machine', () => {
  it.each([
    ['launching', 'registering', true],
    ['registering', 'running', true],
    ['recovering', 'running', true],
    ['running', 'terminating', true],
    ['terminating', 'terminated', true],
    ['terminating', 'running', false],
    ['terminated', 'running', false],
    ['running', 'registering', false],
  ] as const)('%s -> %s: %s', (from, to, ok) => {
    expect(canTransition(from, to)).toBe(ok);
  });

  it('lets every state end, and nothing leave terminated', () => {
    for (const s of ALL) expect(canTransition(s, 'terminated')).toBe(true);
    for (const s of ALL) if (s !== 'terminated') expect(canTransition('terminated', s)).toBe(false);
  });
});
