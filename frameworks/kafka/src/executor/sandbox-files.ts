// Files the executor handles in its sandbox: finding (or unpacking) the Kafka distribution the fetcher
// downloaded, and reading the tail of a log file for `broker log` (capped at 100 KB, as kafka-mesos).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { KafkaError } from '../domain/errors.js';
import { MAX_LOG_BYTES } from '../scheduler/log-requests.js';

const exec = promisify(execFile);
const START_SCRIPT = path.join('bin', 'kafka-server-start.sh');

/**
 * The distribution directory: an absolute path as is; a directory in the sandbox; or a .tgz in the sandbox,
 * whose directory the fetcher extracted beside it (or which is unpacked here when it was not extracted).
 */
export async function findDistribution(sandbox: string, distribution: string): Promise<string> {
  if (distribution === '') throw new KafkaError('UNAVAILABLE', 'no Kafka distribution was shipped: start the scheduler with --kafka-dist=<kafka .tgz or dir>');
  const given = path.isAbsolute(distribution) ? distribution : path.join(sandbox, distribution);
  if (existsSync(path.join(given, START_SCRIPT))) return given;
  const found = await scan(sandbox);
  if (found !== undefined) return found;
  if (existsSync(given) && (await stat(given)).isFile()) {
    const into = path.join(sandbox, 'kafka-dist');
    await mkdir(into, { recursive: true });
    await exec('tar', ['-xzf', given, '-C', into]);
    const unpacked = await scan(into);
    if (unpacked !== undefined) return unpacked;
  }
  throw new KafkaError('UNAVAILABLE', `no Kafka distribution with ${START_SCRIPT} in ${given} or the sandbox ${sandbox}; check --kafka-dist`);
}

async function scan(dir: string): Promise<string | undefined> {
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory() && existsSync(path.join(dir, entry.name, START_SCRIPT))) return path.join(dir, entry.name);
  }
  return undefined;
}

/** Where a log name lives: stdout/stderr in the sandbox, other names in Kafka's log dir, then the sandbox. */
export function logPath(name: string, sandbox: string, kafkaLogDir: string | undefined): string {
  if (name === '' || name.includes('/') || name.includes('\\') || name.startsWith('.')) {
    throw new KafkaError('INVALID_PARAMETER', `invalid log name '${name}': give a file name like stdout, stderr or server.log`);
  }
  if (name === 'stdout' || name === 'stderr') return path.join(sandbox, name);
  const inKafka = kafkaLogDir === undefined ? undefined : path.join(kafkaLogDir, name);
  return inKafka !== undefined && existsSync(inKafka) ? inKafka : path.join(sandbox, name);
}

/** The last `lines` lines of a file, reading at most MAX_LOG_BYTES from its end. */
export async function tailFile(file: string, lines: number, maxBytes = MAX_LOG_BYTES): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    throw new KafkaError('UNAVAILABLE', `no log file ${path.basename(file)} (looked for ${file})`);
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const text = buffer.toString('utf8');
    const all = text.split('\n');
    if (all.at(-1) === '') all.pop();
    // Reading started inside a line: drop that partial line.
    if (length < size) all.shift();
    return all.slice(-lines).join('\n') + (all.length > 0 ? '\n' : '');
  } finally {
    await handle.close();
  }
}
