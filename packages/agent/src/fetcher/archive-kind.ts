// Pure: which extractor a fetched file needs, judged by its name in the sandbox (as upstream does).

export type ArchiveKind = 'tar' | 'zip' | 'gz';

// Longest suffixes first so `x.tar.gz` is a tarball, not a gzipped single file.
const SUFFIXES: readonly (readonly [string, ArchiveKind])[] = [
  ['.tar.gz', 'tar'],
  ['.tar.bz2', 'tar'],
  ['.tar.xz', 'tar'],
  ['.tgz', 'tar'],
  ['.tbz2', 'tar'],
  ['.txz', 'tar'],
  ['.tar', 'tar'],
  ['.zip', 'zip'],
  ['.gz', 'gz'],
];

/** The archive kind of `name`, or undefined when it is not an archive we extract. Case-insensitive. */
export function archiveKind(name: string): ArchiveKind | undefined {
  const lower = name.toLowerCase();
  for (const [suffix, kind] of SUFFIXES) {
    if (lower.endsWith(suffix) && lower.length > suffix.length) return kind;
  }
  return undefined;
}

/** The file a single-file `.gz` decompresses to: the same name without `.gz`. */
export function gunzippedName(name: string): string {
  return name.slice(0, -'.gz'.length);
}
