// `--storage` values as kafka-mesos takes them: `file:kafka-mesos.json` or `zk:/kafka-mesos` (on the
// ZooKeeper given separately, e.g. `--zk=h1:2181,h2:2181/chroot`), plus the self-contained
// `zk://user:pass@h1:2181,h2:2181/chroot/kafka-mesos`.
import { KitError } from '../errors.js';
import { FileStateStore } from './file-store.js';
import type { StateStore } from './state-store.js';
import { parseZkConnect, validateZkPath, type ZkConnect } from './zk-connect.js';
import { ZkStateStore } from './zk-store.js';

export type StorageSpec = { kind: 'file'; path: string } | ({ kind: 'zk'; path: string } & ZkConnect);

export interface StorageOptions {
  /** ZooKeeper for `zk:/path` (`h1:2181,h2:2181/chroot`, credentials allowed). */
  zk?: string;
  sessionTimeoutMs?: number;
  operationTimeoutMs?: number;
}

export function parseStorageSpec(text: string, options: StorageOptions = {}): StorageSpec {
  if (text.startsWith('file:')) {
    const path = text.slice('file:'.length);
    if (path === '') throw new KitError('INVALID_STORAGE', `invalid storage '${text}': file: needs a path, e.g. file:kafka-mesos.json`);
    return { kind: 'file', path };
  }
  if (text.startsWith('zk://')) {
    const connect = parseZkConnect(text);
    if (connect.chroot === '') throw new KitError('INVALID_STORAGE', `invalid storage '${text}': name the node, e.g. zk://h1:2181/kafka-mesos`);
    return { kind: 'zk', ...connect, chroot: '', path: connect.chroot };
  }
  if (text.startsWith('zk:')) {
    const path = text.slice('zk:'.length);
    validateZkPath(path, text);
    if (options.zk === undefined || options.zk === '') {
      throw new KitError('INVALID_STORAGE', `storage '${text}' needs a ZooKeeper address: pass --zk=host:2181 or use zk://host:2181${path}`);
    }
    return { kind: 'zk', ...parseZkConnect(options.zk), path };
  }
  throw new KitError('INVALID_STORAGE', `invalid storage '${text}': use file:<path>.json or zk:/<node> (e.g. file:kafka-mesos.json, zk:/kafka-mesos)`);
}

/** Opens the store a `--storage` value names (connecting to ZooKeeper for zk:). */
export async function parseStorage(text: string, options: StorageOptions = {}): Promise<StateStore> {
  const spec = parseStorageSpec(text, options);
  if (spec.kind === 'file') return new FileStateStore(spec.path);
  return ZkStateStore.open({
    hosts: spec.hosts,
    chroot: spec.chroot,
    auth: spec.auth,
    path: spec.path,
    ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
    ...(options.operationTimeoutMs === undefined ? {} : { operationTimeoutMs: options.operationTimeoutMs }),
  });
}
