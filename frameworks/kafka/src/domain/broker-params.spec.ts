import { describe, expect, it } from 'vitest';
import { newBroker } from './broker.js';
import { applyBrokerParams, parsePortRange, settingsChanged, type BrokerParams } from './broker-params.js';
import { isKafkaError } from './errors.js';
import { parseOptionsMap, substituteId } from './options-map.js';

describe('applyBrokerParams', () => {
  it.each<[BrokerParams, Record<string, unknown>]>([
    [{ cpus: '2', mem: '4096', heap: '2048' }, { cpus: 2, mem: 4096, heap: 2048 }],
    [{ port: '31092' }, { port: { from: 31092, to: 31092 } }],
    [{ port: '31090..31100' }, { port: { from: 31090, to: 31100 } }],
    [{ port: 'auto' }, { port: undefined }],
    [{ failoverDelay: '10s', failoverMaxDelay: '5m', failoverMaxTries: '3' }, { failover: { delay: 10_000, maxDelay: 300_000, maxTries: 3, failures: 0, failureTime: undefined } }],
    [{ stickinessPeriod: '1h' }, { stickiness: { period: 3_600_000, hostname: undefined, stopTime: undefined } }],
    [{ options: 'log.dirs=/tmp/kafka/$id,num.io.threads=16' }, { options: 'log.dirs=/tmp/kafka/$id,num.io.threads=16' }],
    [{ constraints: 'hostname=like:slave.*,rack=unique' }, { constraints: 'hostname=like:slave.*,rack=unique' }],
  ])('%j', (params, expected) => {
    expect(applyBrokerParams(newBroker(0), params)).toMatchObject(expected);
  });

  it('unsets with "" (back to the default)', () => {
    const set = applyBrokerParams(newBroker(0), { cpus: '3', options: 'a=1', failoverMaxTries: '2', bindAddress: 'x' });
    const unset = applyBrokerParams(set, { cpus: '', options: '', failoverMaxTries: '', bindAddress: '' });
    expect(unset).toEqual(newBroker(0));
  });

  it.each<[BrokerParams, string]>([
    [{ cpus: 'x' }, "invalid cpus 'x'"],
    [{ mem: '-1' }, "invalid mem '-1'"],
    [{ port: '31100..31090' }, "invalid port '31100..31090'"],
    [{ failoverDelay: 'soon' }, "invalid failoverDelay: invalid duration 'soon'"],
    [{ constraints: 'rack=near' }, "invalid constraint 'rack=near'"],
    [{ options: 'novalue' }, "'novalue' is not key=value"],
    [{ heap: '4096' }, 'heap 4096 MB does not fit in mem 2048 MB'],
    [{ failoverDelay: '20m' }, 'failover-max-delay (600000 ms) is below failover-delay'],
  ])('rejects %j', (params, why) => {
    expect(() => applyBrokerParams(newBroker(0), params)).toThrow(why);
  });

  it('refuses to resize or swap an existing volume', () => {
    const placed = { ...newBroker(0), volumeAgentId: 'a1' };
    expect(() => applyBrokerParams(placed, { disk: '2048' })).toThrow('a volume cannot be resized');
    expect(() => applyBrokerParams(placed, { volume: 'other' })).toThrow('remove and add the broker to change it');
    expect(applyBrokerParams(placed, { cpus: '2' }).cpus).toBe(2);
  });

  it('detects changes that need a restart', () => {
    const b = newBroker(0);
    expect(settingsChanged(b, applyBrokerParams(b, { failoverDelay: '2m', failoverMaxDelay: '20m' }))).toBe(false);
    expect(settingsChanged(b, applyBrokerParams(b, { options: 'a=1' }))).toBe(true);
  });

  it('keeps errors typed', () => {
    try {
      parsePortRange('0');
      expect.unreachable();
    } catch (e) {
      expect(isKafkaError(e, 'INVALID_PARAMETER')).toBe(true);
    }
  });
});

describe('options maps', () => {
  it('keeps escaped commas and substitutes $id', () => {
    const map = parseOptionsMap('log.dirs=/mnt/a$id\\,/mnt/b$id,x=1');
    expect([...substituteId(map, 7)]).toEqual([['log.dirs', '/mnt/a7,/mnt/b7'], ['x', '1']]);
  });
});
