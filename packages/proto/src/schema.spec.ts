import { describe, expect, it } from 'vitest';
import Long from 'long';
import { loadRoot } from '../scripts/generate.mjs';
import { UnknownMessageTypeError, messageType, root, type MessageName, type master, type v1 } from './index.js';

describe('generated schema', () => {
  it.each([
    ['mesos.v1.TaskState', 'TASK_STAGING', 6],
    ['mesos.v1.TaskState', 'TASK_STARTING', 0],
    ['mesos.v1.TaskState', 'TASK_GONE_BY_OPERATOR', 12],
    ['mesos.v1.TaskStatus.Reason', 'REASON_AGENT_DRAINING', 34],
    ['mesos.v1.Offer.Operation.Type', 'SHRINK_VOLUME', 12],
    ['mesos.v1.OperationState', 'OPERATION_RECOVERING', 8],
    ['mesos.v1.scheduler.Call.Type', 'UPDATE_FRAMEWORK', 17],
    ['mesos.v1.scheduler.Event.Type', 'UPDATE_OPERATION_STATUS', 11],
    ['mesos.v1.executor.Event.Type', 'HEARTBEAT', 9],
    ['mesos.v1.master.Call.Type', 'GET_STATE', 9],
    ['mesos.v1.master.Response.Type', 'GET_STATE', 8],
    ['mesos.v1.master.Call.Type', 'REACTIVATE_AGENT', 39],
    ['mesos.v1.master.Response.Type', 'GET_OPERATIONS', 19],
    ['mesos.v1.master.Event.Type', 'HEARTBEAT', 9],
  ])('%s.%s = %i', (enumName, value, number) => {
    expect(root.lookupEnum(enumName).values[value]).toBe(number);
  });

  it.each([
    ['mesos.v1.Filters', 'refuse_seconds', 5],
    ['mesos.v1.MasterInfo', 'port', 5050],
    ['mesos.v1.AgentInfo', 'port', 5051],
    ['mesos.v1.CommandInfo', 'shell', true],
    ['mesos.v1.HealthCheck', 'consecutive_failures', 3],
    ['mesos.v1.FrameworkInfo', 'role', '*'],
  ])('%s.%s defaults to %s', (type, field, value) => {
    expect(messageType(type as MessageName).fields[field]?.options?.['default']).toBe(value);
  });

  it('models maps as maps (FrameworkInfo.offer_filters, TaskInfo.limits)', () => {
    expect(messageType('mesos.v1.FrameworkInfo').fields['offer_filters']?.map).toBe(true);
    expect(messageType('mesos.v1.TaskInfo').fields['limits']?.map).toBe(true);
  });

  it('carries int64 above 2^53 exactly', () => {
    const type = messageType('mesos.v1.TimeInfo');
    const bytes = type.encode(type.fromObject({ nanoseconds: '1763769600123456789' })).finish();
    const decoded = type.toObject(type.decode(bytes), { longs: String });
    expect(decoded).toEqual({ nanoseconds: '1763769600123456789' });
    expect(Long.isLong((type.decode(bytes) as unknown as { nanoseconds: unknown }).nanoseconds)).toBe(true);
  });

  it('is generated from the current .proto sources (run `npm run generate` if this fails)', () => {
    expect(root.toJSON()).toEqual(loadRoot().toJSON());
  });
});

describe('messageType', () => {
  it('returns the reflected type for a full name', () => {
    expect(messageType('mesos.v1.scheduler.Call').fullName).toBe('.mesos.v1.scheduler.Call');
  });

  it.each(['mesos.v1.Nope', 'Offer', 'mesos.v1.Launch', 'mesos.v1.TaskState', ''])(
    'throws UnknownMessageTypeError for %j',
    (name) => {
      let caught: unknown;
      try {
        messageType(name as MessageName);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(UnknownMessageTypeError);
      expect(caught).toMatchObject({ code: 'UNKNOWN_MESSAGE_TYPE', typeName: name });
      expect((caught as Error).message).toContain(`'${name}'`);
    },
  );
});

// Compile-time checks of the generated TypeScript shapes (tsc fails if the generator regresses).
const state: v1.TaskState = 'TASK_STAGING';
// @ts-expect-error enums are value names, not numbers
const badState: v1.TaskState = 6;
const range: v1.Value.Range = { begin: 31000n, end: 32000n };
// @ts-expect-error uint64 is bigint
const badRange: v1.Value.Range = { begin: 31000, end: 32000 };
const response: master.Response = { type: 'GET_STATE', get_state: {} };
void [state, badState, range, badRange, response];
