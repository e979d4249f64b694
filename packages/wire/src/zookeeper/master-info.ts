// The data of a `json.info_` node: MasterInfo in Mesos' JSON mapping (what upstream masters write, so any
// existing tool — and upstream agents and drivers — can read ours, and we can read theirs). Pure.
import type { v1 } from '@mesos-ts/proto';
import { decodeJson, encodeJson } from '../json-codec.js';
import { ZooKeeperError } from './zk-error.js';

/** Where a master serves HTTP; the same shape as the master's `LeaderAddress` port. */
export interface LeaderAddress {
  readonly hostname: string;
  readonly port: number;
}

export function encodeMasterInfo(info: v1.MasterInfo): Buffer {
  return Buffer.from(encodeJson('mesos.v1.MasterInfo', info), 'utf8');
}

export function decodeMasterInfo(data: Uint8Array, node: string): v1.MasterInfo {
  try {
    return decodeJson('mesos.v1.MasterInfo', data);
  } catch (e) {
    throw new ZooKeeperError('CORRUPT_DOCUMENT', `ZooKeeper node ${node} does not hold MasterInfo JSON (${(e as Error).message}); is another program writing json.info_ nodes there?`, { cause: e });
  }
}

/**
 * Where to reach the master: `address` (hostname, else ip) with its port, as upstream clients prefer, falling
 * back to the deprecated top-level `hostname`/`ip` and `port`. The top-level `ip` is the IPv4 address in
 * network byte order read as a little-endian uint32 (so 127.0.0.1 is 16777343).
 */
export function leaderAddressOf(info: v1.MasterInfo): LeaderAddress {
  const port = info.address?.port ?? info.port;
  const hostname = nonEmpty(info.address?.hostname) ?? nonEmpty(info.address?.ip) ?? nonEmpty(info.hostname) ?? ipv4FromNetworkOrder(info.ip);
  return { hostname, port };
}

export function ipv4FromNetworkOrder(ip: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(ip >>> 0);
  return [...b].join('.');
}

/** The inverse, for building a MasterInfo: `127.0.0.1` → 16777343. */
export function ipv4ToNetworkOrder(dotted: string): number {
  const parts = dotted.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return 0;
  return Buffer.from(parts).readUInt32LE(0);
}

export function formatLeader(address: LeaderAddress): string {
  return `${address.hostname.includes(':') && !address.hostname.startsWith('[') ? `[${address.hostname}]` : address.hostname}:${address.port}`;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}
