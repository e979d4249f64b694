// Runs a system tool (tar, unzip, gzip, chown) without a shell, arguments as an array, so no
// URI or member name is ever interpreted by a shell. Fails with the tool's own stderr.
import { spawn } from 'node:child_process';
import { FetchStepError } from './fetch-error.js';

export interface RunToolOptions {
  cwd?: string;
  signal?: AbortSignal;
  /** A file descriptor that receives stdout (e.g. gunzip's output); stdout is collected otherwise. */
  stdoutFd?: number;
  /** A file descriptor the tool reads as stdin (root hands a staged download to a tool running as the user). */
  stdinFd?: number;
  /** Run the tool as this user (the agent runs as root; the task's user must not gain root's reach). */
  uid?: number;
  gid?: number;
}

// Keeps error messages readable when a tool complains about every member of a big archive.
const STDERR_LIMIT_CHARS = 2000;

/** Resolves with the collected stdout when the tool exits 0; rejects with a FetchStepError otherwise. */
export function runTool(command: string, args: readonly string[], opts: RunToolOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      stdio: [opts.stdinFd ?? 'ignore', opts.stdoutFd ?? 'pipe', 'pipe'],
      ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
      ...(opts.gid !== undefined ? { gid: opts.gid } : {}),
      signal: opts.signal,
      killSignal: 'SIGKILL',
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_LIMIT_CHARS) stderr += chunk.toString('utf8');
    });
    child.on('error', (err) => {
      if (opts.signal?.aborted) reject(new FetchStepError('aborted'));
      else reject(new FetchStepError(`could not run ${command}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      if (opts.signal?.aborted) return reject(new FetchStepError('aborted'));
      if (code === 0) return resolve(Buffer.concat(stdout).toString('utf8'));
      const how = code === null ? `was killed by ${signal}` : `exited with code ${code}`;
      const detail = stderr.trim().slice(0, STDERR_LIMIT_CHARS);
      reject(new FetchStepError(`${command} ${how}${detail === '' ? '' : `: ${detail}`}`));
    });
  });
}
