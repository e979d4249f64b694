// Runs the real mesos-agent binary (from its TypeScript source, through tsx) as a child process, so tests can
// kill -9 it. The agent's address comes from its 'agent started' log line.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs');

export interface AgentProcess {
  proc: ChildProcess;
  address: string;
  stderr: () => string;
  kill9(): Promise<void>;
}

export async function spawnAgent(flags: string[], timeoutMs = 15_000): Promise<AgentProcess> {
  const proc = spawn(process.execPath, ['--conditions=@mesos-ts/source', '--import', tsx, path.join(here, '..', 'src', 'bin', 'mesos-agent.ts'), ...flags], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent did not start within ${timeoutMs} ms: ${err}`)), timeoutMs);
    proc.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /"address":"([^"]+)".*"msg":"agent started"/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`agent exited with ${code}: ${err}`));
    });
  });
  return {
    proc,
    address,
    stderr: () => err,
    async kill9() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}
