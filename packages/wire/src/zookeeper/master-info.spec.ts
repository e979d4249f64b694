import { describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { decodeMasterInfo, encodeMasterInfo, formatLeader, ipv4FromNetworkOrder, ipv4ToNetworkOrder, leaderAddressOf } from './master-info.js';
import { isZooKeeperError } from './zk-error.js';

describe('MasterInfo in json.info_ nodes', () => {
  it('round-trips through Mesos JSON as upstream writes it', () => {
    const info: v1.MasterInfo = { id: 'm1', ip: ipv4ToNetworkOrder('10.0.0.7'), port: 5050, hostname: 'm1.example', address: { hostname: 'm1.example', ip: '10.0.0.7', port: 5050 }, version: '1.11.0' };
    const text = encodeMasterInfo(info).toString('utf8');
    expect(JSON.parse(text)).toMatchObject({ id: 'm1', ip: 117440522, port: 5050, address: { hostname: 'm1.example', ip: '10.0.0.7', port: 5050 } });
    expect(decodeMasterInfo(Buffer.from(text), '/mesos/json.info_0000000001')).toEqual(info);
  });

  it.each<[string, v1.MasterInfo, string]>([
    ['address.hostname first', { id: 'a', ip: 16777343, port: 1, hostname: 'top', address: { hostname: 'addr', ip: '1.2.3.4', port: 5051 } }, 'addr:5051'],
    ['then address.ip', { id: 'a', ip: 16777343, port: 1, address: { ip: '1.2.3.4', port: 5052 } }, '1.2.3.4:5052'],
    ['then hostname', { id: 'a', ip: 16777343, port: 5053, hostname: 'top' }, 'top:5053'],
    ['then ip in network order', { id: 'a', ip: 16777343, port: 5054 }, '127.0.0.1:5054'],
  ])('leader address: %s', (_name, info, expected) => {
    expect(formatLeader(leaderAddressOf(info))).toBe(expected);
  });

  it('converts IPv4 to and from network order', () => {
    expect(ipv4FromNetworkOrder(16777343)).toBe('127.0.0.1');
    expect(ipv4ToNetworkOrder('127.0.0.1')).toBe(16777343);
    expect(ipv4ToNetworkOrder('nope')).toBe(0);
  });

  it('rejects data that is not MasterInfo JSON with a typed error', () => {
    let caught: unknown;
    try {
      decodeMasterInfo(Buffer.from('{"port":5050}'), '/mesos/json.info_0000000003');
    } catch (e) {
      caught = e;
    }
    expect(isZooKeeperError(caught, 'CORRUPT_DOCUMENT')).toBe(true);
    expect((caught as Error).message).toContain('/mesos/json.info_0000000003');
  });
});
