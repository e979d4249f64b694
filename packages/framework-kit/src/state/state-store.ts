// The StateStore port: JSON documents by key, each with a version for optimistic concurrency (a scheduler
// that lost leadership must not overwrite its successor's state). Implementations: `file:` (one JSON file,
// atomic rewrites) and `zk:` (one ZooKeeper node per key). Versions start at 0 on creation and grow by one
// per write, as ZooKeeper's do.
import { KitError } from '../errors.js';

export interface Versioned<T> {
  value: T;
  version: number;
}

/** `expectedVersion` of put(): the key must not exist yet. */
export const MUST_NOT_EXIST = -1;

export interface StateStore {
  /** Where the state lives, for messages: `file:/abs/path.json`, `zk:127.0.0.1:2181/kafka-mesos`. */
  readonly description: string;
  /** The stored value and its version, or undefined when the key is absent. */
  get<T = unknown>(key: string): Promise<Versioned<T> | undefined>;
  /**
   * Stores `value` (JSON-serialisable). With `expectedVersion` the write happens only if the key is at that
   * version (MUST_NOT_EXIST: absent), else VERSION_CONFLICT. Returns the new version.
   */
  put(key: string, value: unknown, expectedVersion?: number): Promise<number>;
  /** Removes the key (only at `expectedVersion` when given); false when it did not exist. */
  delete(key: string, expectedVersion?: number): Promise<boolean>;
  /** Every key, sorted. */
  keys(): Promise<string[]>;
  close(): Promise<void>;
}

const KEY = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Keys are one path segment: letters, digits, `.`, `_`, `-`; not starting with `.` or `-`. */
export function validateKey(key: string): void {
  if (!KEY.test(key) || key.length > 200) {
    throw new KitError('INVALID_STORAGE', `invalid state key '${key}': use 1-200 letters, digits, '.', '_' or '-' (e.g. framework-id, brokers)`);
  }
}

export function conflict(store: string, key: string, expected: number, actual: number | undefined): KitError {
  const now = actual === undefined ? 'it does not exist' : `it is at version ${actual}`;
  const wanted = expected === MUST_NOT_EXIST ? 'absent' : `at version ${expected}`;
  return new KitError('VERSION_CONFLICT', `${store}: '${key}' changed concurrently (expected it ${wanted}, but ${now}); re-read and retry`);
}

const FRAMEWORK_ID_KEY = 'framework-id';

/** The framework id of an earlier run (to subscribe as its failover), or undefined on first start. */
export async function loadFrameworkId(store: StateStore): Promise<string | undefined> {
  const stored = await store.get<{ id?: unknown }>(FRAMEWORK_ID_KEY);
  const id = stored?.value.id;
  if (stored !== undefined && typeof id !== 'string') {
    throw new KitError('CORRUPT_STATE', `${store.description}: '${FRAMEWORK_ID_KEY}' does not hold {"id": "<framework id>"}; delete it to register as a new framework`);
  }
  return id as string | undefined;
}

/** Remembers the framework id the master assigned (call on every SUBSCRIBED; a no-op when unchanged). */
export async function saveFrameworkId(store: StateStore, id: string): Promise<void> {
  if ((await loadFrameworkId(store)) === id) return;
  await store.put(FRAMEWORK_ID_KEY, { id });
}

/** Forgets the framework id (after teardown, or when the master says the framework was removed). */
export async function clearFrameworkId(store: StateStore): Promise<void> {
  await store.delete(FRAMEWORK_ID_KEY);
}
