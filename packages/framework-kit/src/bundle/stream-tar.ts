// An HTTP answer whose body `tar` writes as it runs (an executor bundle, or a distribution directory served as a
// .tgz): nothing is staged on disk, a client that hangs up stops tar, and a tar that fails cuts the answer off
// rather than ending it as if it were whole.
import { spawn } from 'node:child_process';
import type http from 'node:http';

export function streamTar(args: readonly string[], res: http.ServerResponse): void {
  const tar = spawn('tar', args, { stdio: ['ignore', 'pipe', 'ignore'] });
  // Ended by hand: tar closes its output before its exit status is known, and piping's own end() would then
  // finish the answer as if the archive were whole.
  tar.stdout.pipe(res, { end: false });
  tar.on('error', (e) => res.destroy(e));
  tar.on('close', (code) => (code === 0 ? res.end() : res.destroy(new Error(`tar exited ${code}`))));
  res.on('close', () => tar.kill());
}
