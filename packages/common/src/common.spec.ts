import { describe, expect, it } from 'vitest';
import { ManualClock, TypedEmitter, TypedError, every } from './index.js';

class TestError extends TypedError<'A' | 'B'> {
  override readonly name = 'TestError';
  constructor(code: 'A' | 'B', message: string) {
    super(code, message, { retriable: code === 'A', cause: 'why' });
  }
}

describe('ManualClock', () => {
  it('fires due timers in time order, at their time, and not cancelled ones', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimer(30, () => fired.push(`b@${clock.now()}`));
    clock.setTimer(10, () => fired.push(`a@${clock.now()}`));
    clock.setTimer(20, () => fired.push('never')).cancel();
    clock.advance(25);
    expect(fired).toEqual(['a@10']);
    clock.advance(10);
    expect(fired).toEqual(['a@10', 'b@30']);
    expect(clock.now()).toBe(35);
    expect(clock.pending()).toBe(0);
  });

  it('every() re-arms after each run until cancelled', () => {
    const clock = new ManualClock(0);
    let runs = 0;
    const t = every(clock, 100, () => runs++);
    clock.advance(350);
    expect(runs).toBe(3);
    t.cancel();
    clock.advance(1000);
    expect(runs).toBe(3);
  });
});

describe('TypedEmitter', () => {
  it('delivers to every handler even when one throws or rejects, and reports those errors', async () => {
    const errors: string[] = [];
    const e = new TypedEmitter<{ x: [number] }>((event, err) => errors.push(`${event}:${String(err)}`));
    const seen: number[] = [];
    e.on('x', () => {
      throw new Error('sync');
    });
    e.on('x', async () => Promise.reject(new Error('async')));
    const off = e.on('x', (n) => void seen.push(n));
    await e.emit('x', 1);
    off();
    await e.emit('x', 2);
    expect(seen).toEqual([1]);
    expect(errors).toEqual(['x:Error: sync', 'x:Error: async', 'x:Error: sync', 'x:Error: async']);
  });
});

describe('TypedError', () => {
  it('carries code, retriable, cause and name', () => {
    const e = new TestError('A', 'boom');
    expect([e.code, e.retriable, e.cause, e.name, e.message, e instanceof Error]).toEqual(['A', true, 'why', 'TestError', 'boom', true]);
    expect(new TestError('B', 'x').retriable).toBe(false);
  });
});
