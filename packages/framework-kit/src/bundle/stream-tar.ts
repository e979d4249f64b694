// An HTTP answer whose body `tar` writes as it runs (an executor bundle, or a distribution directory served as a
// .tgz): nothing is staged on disk and a client that hangs up stops tar.
import { spawn } from 'node:child_process';
import type http from 'node:http';

export function streamTar(args: readonly string[], res: http.ServerResponse): void {
  const tar = spawn('tar', args, { stdio: ['ignore', 'pipe', 'ignore'] });
  tar.stdout.pipe(res);
  tar.on('error', (e) => res.destroy(e));
  tar.on('exit', (code) => (code === 0 ? undefined : res.destroy(new Error(`tar exited ${code}`))));
  res.on('close', () => tar.kill());
}
