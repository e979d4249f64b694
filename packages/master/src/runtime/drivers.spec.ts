import { describe, expect, it } from 'vitest';
import { ManualClock } from '@mesos-ts/common';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter (--agent_removal_rate_limit)', () => {
  it('runs at most `permits` actions per window, the rest in order later', () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter(clock, 1, 1000);
    const done: string[] = [];
    for (const id of ['a', 'b', 'c']) limiter.run(() => done.push(`${id}@${clock.now()}`));
    expect(done).toEqual(['a@0']);
    clock.advance(999);
    expect(done).toEqual(['a@0']);
    clock.advance(1);
    expect(done).toEqual(['a@0', 'b@1000']);
    clock.advance(1000);
    expect(done).toEqual(['a@0', 'b@1000', 'c@2000']);
    expect(limiter.waiting).toBe(0);
  });
});
