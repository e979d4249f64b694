import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { leaderOf, members, sequenceOf, standingOf } from './election.js';

const n = (seq: number): string => `json.info_${String(seq).padStart(10, '0')}`;

describe('election', () => {
  it('orders json.info_ members by sequence and ignores other children', () => {
    expect(members(['log_replicas', n(12), 'info_0000000001', n(3), 'registry', n(7)]).map((m) => m.sequence)).toEqual([3, 7, 12]);
    expect(sequenceOf('json.info_0000000042')).toBe(42);
    expect(sequenceOf('json.info_')).toBeUndefined();
    expect(sequenceOf('info_0000000042')).toBeUndefined();
  });

  it.each([
    [[n(5), n(2), n(9)], n(2), { kind: 'leader' }],
    [[n(5), n(2), n(9)], n(9), { kind: 'follower', predecessor: { name: n(5), sequence: 5 } }],
    [[n(5), n(2), n(9)], n(5), { kind: 'follower', predecessor: { name: n(2), sequence: 2 } }],
    [[n(5), n(2)], n(9), { kind: 'absent' }],
  ])('standing in %j of %s', (children, self, expected) => {
    expect(standingOf(children, self)).toEqual(expected);
  });

  it('has exactly one leader and a predecessor chain covering every member (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 30 }), (seqs) => {
        const children = seqs.map(n);
        const standings = children.map((c) => standingOf(children, c));
        expect(standings.filter((s) => s.kind === 'leader')).toHaveLength(1);
        expect(leaderOf(children)?.sequence).toBe(Math.min(...seqs));
        // Each follower watches a distinct member (no herd): predecessors are all different.
        const watched = standings.flatMap((s) => (s.kind === 'follower' ? [s.predecessor.name] : []));
        expect(new Set(watched).size).toBe(children.length - 1);
      }),
    );
  });
});
