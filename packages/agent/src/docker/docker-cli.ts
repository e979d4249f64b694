// The docker CLI as the agent uses it (--docker names it): whether it answers, images, stop, remove, and the
// containers of this agent (by the work_dir label) for recovery. Every call is bounded by a timeout.
import { execFile } from 'node:child_process';
import { WORK_DIR_LABEL } from './docker-run-args.js';

export interface DockerResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

export class DockerCli {
  constructor(readonly binary: string) {}

  run(args: readonly string[], timeoutMs = 60_000): Promise<DockerResult> {
    return new Promise((resolve) => {
      execFile(this.binary, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
        resolve({ ok: !err, stdout: String(stdout), stderr: String(stderr || (err && !stderr ? err.message : '')) });
      });
    });
  }

  /** True when the CLI reaches a daemon (`docker version` with a server part). */
  async answers(): Promise<boolean> {
    return (await this.run(['version', '--format', '{{.Server.Version}}'], 15_000)).ok;
  }

  async imageExists(image: string): Promise<boolean> {
    return (await this.run(['image', 'inspect', '--format', '{{.Id}}', image], 30_000)).ok;
  }

  pull(image: string): Promise<DockerResult> {
    return this.run(['pull', image], 300_000);
  }

  /** `docker stop -t <secs>`: SIGTERM, then SIGKILL after the grace period. */
  stop(name: string, graceMs: number): Promise<DockerResult> {
    return this.run(['stop', '-t', String(Math.max(0, Math.ceil(graceMs / 1000))), name], graceMs + 60_000);
  }

  remove(name: string): Promise<DockerResult> {
    return this.run(['rm', '-f', name], 60_000);
  }

  /** Names of every container (running or not) this agent started, found by its work_dir label. */
  async containersOf(workDir: string): Promise<string[]> {
    const r = await this.run(['ps', '-a', '--filter', `label=${WORK_DIR_LABEL}=${workDir}`, '--format', '{{.Names}}'], 30_000);
    return r.ok ? r.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '') : [];
  }
}
