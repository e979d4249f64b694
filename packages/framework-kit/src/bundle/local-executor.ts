// The executor command for agents on the scheduler's own machine (or with the same install path): `node <bin>
// executor` from this install, for when no executor bundle is served. From TypeScript sources (development,
// tests) the executor needs the same loader, by absolute URL, because the agent starts it in the sandbox.

/** `node [--import <tsx>] <bin> <args>`, shell-quoted. */
export function localExecutorCommand(bin: string, args: readonly string[] = ['executor']): string {
  const loader = bin.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
  return [process.execPath, ...loader, bin, ...args].map(shellQuote).join(' ');
}

/** `s` as one POSIX shell word. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}
