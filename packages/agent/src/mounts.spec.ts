// Bind-mounted persistent volumes for real (root and a working mount(8); skipped, saying why, elsewhere):
// the volume appears at its container_path, /files serves it but still refuses escapes, unmountFrom removes
// it, and GC of a sandbox with a mounted volume deletes the sandbox but never the volume's data.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { daemonClock as systemClock } from '@mesos-ts/common';
import { FileAccess } from './files.js';
import { GarbageCollector } from './gc.js';
import { HttpError } from './http-util.js';
import { isMountPoint, mountPoints, mountPointsUnder } from './mounts.js';
import { WorkDir } from './paths.js';
import { bindMountProblem } from './testing/bind-mount-probe.js';
import { VolumeManager } from './volumes.js';

const log = pino({ level: 'silent' });

describe('mountPointsUnder', () => {
  it('lists mount points at or below a directory, deepest first, decoding escapes', () => {
    const info = [
      '36 35 98:0 / /w/s type ext4 rw - ext4 /dev/vda rw',
      '37 35 98:0 /v /w/s/data rw - ext4 /dev/vda rw',
      '38 35 98:0 /v /w/s/a\\040b/deep rw - ext4 /dev/vda rw',
      '39 35 98:0 /v /w/sibling rw - ext4 /dev/vda rw',
      '40 35 98:0 /v /w/s2 rw - ext4 /dev/vda rw',
    ].join('\n');
    expect(mountPointsUnder(info, '/w/s')).toEqual(['/w/s/a b/deep', '/w/s/data', '/w/s']);
    expect(mountPointsUnder(info, '/w/s/data/')).toEqual(['/w/s/data']);
    expect(mountPointsUnder(info, '/x')).toEqual([]);
  });
});

const problem = bindMountProblem();

const volume: v1.Resource = {
  name: 'disk',
  type: 'SCALAR',
  scalar: { value: 10 },
  reservations: [{ type: 'DYNAMIC', role: 'eng' }],
  disk: { persistence: { id: 'vol1' }, volume: { container_path: 'data', mode: 'RW' } },
} as v1.Resource;

describe.skipIf(problem !== undefined)(`bind-mounted volumes${problem ? ` (skipped: ${problem})` : ''}`, () => {
  let root: string;
  let dirs: WorkDir;
  let volumes: VolumeManager;
  let sandbox: string;
  let hostPath: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'mounts-spec-'));
    dirs = new WorkDir(root);
    volumes = new VolumeManager(dirs, log, () => false, true);
    sandbox = path.join(dirs.sandboxesRoot(), 'a', 'frameworks', 'f', 'executors', 'e', 'runs', 'c1');
    mkdirSync(sandbox, { recursive: true });
    hostPath = volumes.volumes([volume])[0]!.hostPath;
  });
  afterEach(() => {
    for (const mp of mountPoints(root)) execFileSync('umount', ['-l', mp]);
    rmSync(root, { recursive: true, force: true });
  });

  it('mounts the volume at its container_path (idempotently), serves it through /files, refuses escapes, unmounts', async () => {
    await volumes.linkInto(sandbox, [volume]);
    await volumes.linkInto(sandbox, [volume]);
    const target = path.join(sandbox, 'data');
    expect(isMountPoint(target)).toBe(true);
    expect(mountPoints(sandbox)).toEqual([target]);
    writeFileSync(path.join(target, 'file'), 'written in the sandbox\n');
    expect(readFileSync(path.join(hostPath, 'file'), 'utf8')).toBe('written in the sandbox\n');

    const files = new FileAccess([dirs.sandboxesRoot(), path.join(root, 'volumes')]);
    expect(await files.resolve(path.join(target, 'file'))).toBe(path.join(target, 'file'));
    symlinkSync('/etc/passwd', path.join(target, 'escape'));
    await expect(files.resolve(path.join(target, 'escape'))).rejects.toThrow(HttpError);
    await expect(files.resolve(path.join(target, 'escape'))).rejects.toThrow('No such file or directory');

    await volumes.unmountFrom(sandbox);
    expect(mountPoints(sandbox)).toEqual([]);
    expect(readFileSync(path.join(hostPath, 'file'), 'utf8')).toBe('written in the sandbox\n');
  });

  it('GC of a sandbox with a mounted volume removes the sandbox, never the volume data', async () => {
    await volumes.linkInto(sandbox, [volume]);
    writeFileSync(path.join(sandbox, 'data', 'precious'), 'keep me\n');
    writeFileSync(path.join(sandbox, 'stdout'), 'log\n');
    const gc = new GarbageCollector(systemClock, log, 0);
    try {
      gc.schedule(sandbox);
      const deadline = Date.now() + 5_000;
      while (existsSync(sandbox) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    } finally {
      gc.stop();
    }
    expect(existsSync(sandbox)).toBe(false);
    expect(mountPoints(root)).toEqual([]);
    expect(readFileSync(path.join(hostPath, 'precious'), 'utf8')).toBe('keep me\n');
  });

  it('falls back to a symlink when mount(8) fails (here: not on PATH)', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await volumes.linkInto(sandbox, [volume]);
    } finally {
      process.env.PATH = saved;
    }
    const target = path.join(sandbox, 'data');
    expect(isMountPoint(target)).toBe(false);
    expect(readlinkSync(target)).toBe(hostPath);
  });
});
