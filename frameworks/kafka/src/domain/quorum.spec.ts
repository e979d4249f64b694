import { describe, expect, it } from 'vitest';
import { newBroker, type Broker } from './broker.js';
import { isKafkaError } from './errors.js';
import { checkNotVoters, formatVoters, legacyVoters, voterIds } from './quorum.js';

describe('KRaft quorum', () => {
  it('formats voters sorted by id and reads their ids back', () => {
    const voters = formatVoters([{ id: 2, hostname: 'h2', controllerPort: 31001 }, { id: 0, hostname: 'h1', controllerPort: 31003 }]);
    expect(voters).toBe('0@h1:31003,2@h2:31001');
    expect(voterIds(voters)).toEqual([0, 2]);
    expect(voterIds(undefined)).toEqual([]);
  });

  it('derives the quorum of state written before it was stored from the placements', () => {
    const placed = (id: number, controllerPort: number | undefined): Broker => ({ ...newBroker(id), placement: { hostname: 'h1', port: 31000 + id * 2, controllerPort } });
    expect(legacyVoters([placed(1, 31003), placed(0, 31001), newBroker(2)])).toBe('0@h1:31001,1@h1:31003');
    expect(legacyVoters([newBroker(0)])).toBeUndefined();
  });

  it.each<[string, number[], string | undefined, boolean]>([
    ['a voter', [1], '0@h1:1,1@h1:2', true],
    ['a broker-only node', [3], '0@h1:1,1@h1:2', false],
    ['before the quorum formed', [0], undefined, false],
  ])('removing %s', (_, ids, voters, refused) => {
    const attempt = (): void => checkNotVoters(ids, voters);
    if (refused) expect(attempt).toThrow(expect.objectContaining({ message: expect.stringContaining('is a KRaft controller quorum voter') }));
    else expect(attempt).not.toThrow();
    try {
      attempt();
    } catch (e) {
      expect(isKafkaError(e, 'BROKER_RUNNING')).toBe(true);
    }
  });
});
