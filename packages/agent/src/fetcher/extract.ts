// Extracts a fetched archive with the system tools upstream's fetcher uses (tar, unzip, gzip).
// Members are listed first and the archive is refused when any would land outside the target
// directory: absolute names, `..` segments, or a path through a symlink already in the sandbox
// (an earlier URI may have planted one). A member written through a symlink the same archive
// creates is refused by GNU tar and unzip themselves; the specs pin that down.
import { lstat, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { gunzippedName, type ArchiveKind } from './archive-kind.js';
import { FetchStepError } from './fetch-error.js';
import { runTool } from './run-tool.js';
import { relativePathProblem } from './uri.js';

/**
 * Extracts `archive` into `targetDir` and returns the top-level names it created there
 * (so the caller can chown exactly those).
 */
export async function extractArchive(
  kind: ArchiveKind,
  archive: string,
  targetDir: string,
  signal?: AbortSignal,
  /** Run the tools as this user (the task's), so nothing is written with root's reach. */
  ids?: { uid: number; gid: number },
): Promise<string[]> {
  const as = ids ?? {};
  switch (kind) {
    case 'tar': {
      // GNU tar detects gzip/bzip2/xz compression by itself when reading a file.
      const members = splitLines(await runTool('tar', ['-tf', archive], { signal, ...as }));
      checkMembers(members);
      await checkNoSymlinkParents(targetDir, members);
      await runTool('tar', ['-C', targetDir, '--no-same-owner', '-xf', archive], { signal, ...as });
      return topLevelNames(members);
    }
    case 'zip': {
      const members = splitLines(await runTool('unzip', ['-Z1', archive], { signal, ...as }));
      checkMembers(members);
      await checkNoSymlinkParents(targetDir, members);
      await runTool('unzip', ['-o', '-q', '-d', targetDir, archive], { signal, ...as });
      return topLevelNames(members);
    }
    case 'gz': {
      if (ids !== undefined) {
        // As the user: -k keeps the archive, -f replaces an existing output (gzip unlinks it, never follows it).
        await runTool('gzip', ['-d', '-k', '-f', '--', archive], { signal, ...ids });
        return [gunzippedName(basename(archive))];
      }
      const outName = gunzippedName(basename(archive));
      const outPath = join(dirname(archive), outName);
      // Written aside and renamed, so an existing symlink named like the output is replaced, not followed.
      const tmp = `${outPath}.gunzip-${process.pid}`;
      try {
        const out = await open(tmp, 'wx', 0o644);
        try {
          await runTool('gzip', ['-dc', archive], { signal, stdoutFd: out.fd });
        } finally {
          await out.close();
        }
        await rename(tmp, outPath);
      } finally {
        await rm(tmp, { force: true });
      }
      return [outName];
    }
  }
}

/** Throws when any member name could escape the extraction directory. */
export function checkMembers(members: readonly string[]): void {
  for (const member of members) {
    const problem = relativePathProblem(member);
    if (problem !== undefined) throw new FetchStepError(`archive member '${member}' ${problem}; refusing to extract`);
  }
}

/** First path segments of the member names, without `.` and duplicates. */
export function topLevelNames(members: readonly string[]): string[] {
  const names = new Set<string>();
  for (const member of members) {
    const first = member.split('/').find((segment) => segment !== '' && segment !== '.');
    if (first !== undefined) names.add(first);
  }
  return [...names];
}

/** Throws when a member's parent path passes through a symlink that already exists under `targetDir`. */
export async function checkNoSymlinkParents(targetDir: string, members: readonly string[]): Promise<void> {
  const checked = new Set<string>();
  for (const member of members) {
    const segments = member.split('/').filter((segment) => segment !== '' && segment !== '.');
    for (let depth = 1; depth < segments.length; depth++) {
      const prefix = segments.slice(0, depth).join('/');
      if (checked.has(prefix)) continue;
      checked.add(prefix);
      const info = await lstat(join(targetDir, prefix)).catch(() => undefined);
      if (info === undefined) break; // Created by this archive from here on; tar/unzip guard those.
      if (info.isSymbolicLink()) {
        throw new FetchStepError(`archive member '${member}' would be written through the symlink '${prefix}'; refusing to extract`);
      }
    }
  }
}

function splitLines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}
