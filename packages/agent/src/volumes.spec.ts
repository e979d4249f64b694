import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { v1 } from '@mesos-ts/proto';
import { WorkDir } from './paths.js';
import { ensureTraversable } from './traversable.js';
import { VolumeManager } from './volumes.js';

// nobody on Debian; any non-root id works since chown by root needs no passwd entry.
const TASK_UID = 65534;
const TASK_GID = 65534;
const asRoot = process.getuid?.() === 0;

function volume(id: string, shared: boolean): v1.Resource {
  return {
    name: 'disk',
    type: 'SCALAR',
    scalar: { value: 10 },
    reservations: [{ type: 'DYNAMIC', role: 'eng' }],
    disk: { persistence: { id }, volume: { container_path: 'data', mode: 'RW' } },
    ...(shared ? { shared: {} } : {}),
  } as v1.Resource;
}

describe('VolumeManager.linkInto ownership', () => {
  let root: string;
  let volumes: VolumeManager;
  let sandbox: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'volumes-spec-'));
    volumes = new VolumeManager(new WorkDir(root), pino({ level: 'silent' }), () => false);
    sandbox = path.join(root, 'sandbox');
    mkdirSync(sandbox);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it.skipIf(!asRoot).each([
    { case: 'an unused, unshared volume goes to the sandbox owner', sandboxUid: TASK_UID, shared: false, usedElsewhere: false, owner: TASK_UID },
    { case: 'a shared volume stays root', sandboxUid: TASK_UID, shared: true, usedElsewhere: false, owner: 0 },
    { case: 'a volume another container uses stays as it is', sandboxUid: TASK_UID, shared: false, usedElsewhere: true, owner: 0 },
    { case: 'a root sandbox leaves the volume root', sandboxUid: 0, shared: false, usedElsewhere: false, owner: 0 },
  ])('$case', async ({ sandboxUid, shared, usedElsewhere, owner }) => {
    chownSync(sandbox, sandboxUid, sandboxUid === 0 ? 0 : TASK_GID);
    const r = volume('v1', shared);
    await volumes.linkInto(sandbox, [r], () => usedElsewhere);
    const host = volumes.volumes([r])[0]!.hostPath;
    expect(readlinkSync(path.join(sandbox, 'data'))).toBe(host);
    expect(statSync(host).uid).toBe(owner);
    expect(statSync(host).gid).toBe(owner === 0 ? 0 : TASK_GID);
  });
});

describe('ensureTraversable', () => {
  it('opens the agent-made directories below work_dir for search, not work_dir itself', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'traverse-spec-'));
    try {
      const deep = path.join(root, 'a', 'b', 'sandbox');
      mkdirSync(deep, { recursive: true, mode: 0o700 });
      for (const d of [path.join(root, 'a'), path.join(root, 'a', 'b'), deep]) chmodSync(d, 0o700);
      await ensureTraversable(root, deep, pino({ level: 'silent' }));
      const mode = (p: string): number => statSync(p).mode & 0o777;
      expect([mode(root), mode(path.join(root, 'a')), mode(path.join(root, 'a', 'b')), mode(deep)]).toEqual([0o700, 0o711, 0o711, 0o700]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('VolumeManager.apply of a destroyed volume', () => {
  let root: string;
  let volumes: VolumeManager;
  /** What the agent would answer: whether a container that has not ended holds the volume. */
  let used: boolean;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'volumes-destroy-spec-'));
    used = false;
    volumes = new VolumeManager(new WorkDir(root), pino({ level: 'silent' }), () => used);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('deletes an unused volume at once', async () => {
    const r = volume('gone', false);
    await volumes.apply([r]);
    const host = volumes.volumes([r])[0]!.hostPath;
    expect(existsSync(host)).toBe(true);
    await volumes.apply([]);
    expect(existsSync(host)).toBe(false);
  });

  it('keeps a volume a container still uses until that container ends', async () => {
    const r = volume('busy', false);
    await volumes.apply([r]);
    const host = volumes.volumes([r])[0]!.hostPath;
    used = true;
    await volumes.apply([]);
    expect(existsSync(host)).toBe(true);
    await volumes.deleteDestroyed();
    expect(existsSync(host)).toBe(true);
    used = false;
    await volumes.deleteDestroyed();
    expect(existsSync(host)).toBe(false);
  });

  it('does not delete a volume created again before its old container ended', async () => {
    const r = volume('again', false);
    await volumes.apply([r]);
    used = true;
    await volumes.apply([]);
    used = false;
    await volumes.apply([r]);
    await volumes.deleteDestroyed();
    expect(existsSync(volumes.volumes([r])[0]!.hostPath)).toBe(true);
  });
});

describe('VolumeManager.apply of overlapping checkpoints', () => {
  it('applies them in the order they came: the last set is the one checkpointed', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'volumes-order-spec-'));
    try {
      const volumes = new VolumeManager(new WorkDir(root), pino({ level: 'silent' }), () => false);
      const reserved: v1.Resource = { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, reservations: [{ type: 'DYNAMIC', role: 'eng' }] } as v1.Resource;
      const vol = volume('ordered', false);
      // As the master sends them for RESERVE then CREATE in one ACCEPT: not awaited one by one.
      await Promise.all([volumes.apply([reserved]), volumes.apply([reserved, vol])]);
      expect(volumes.resources).toEqual([reserved, vol]);
      await volumes.apply([reserved]);
      expect(existsSync(volumes.volumes([vol])[0]!.hostPath)).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
