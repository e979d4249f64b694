// The agent's total resources: --resources, with every standard resource it does not name filled in from the
// machine, as upstream does: cpus = cores; mem = total - 1 GB (half when total < 2 GB); disk = work_dir
// filesystem - 5 GB (half when smaller than 10 GB); ports = [31000-32000]; gpus from nvidia-smi when present.
import { execFileSync } from 'node:child_process';
import { statfsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { Resources } from '@mesos-ts/resources';

export interface MachineFacts {
  cores: number;
  memBytes: number;
  diskBytes: number;
  gpus: number;
}

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** Pure: the detected part, as --resources text (MB units for mem and disk, as Mesos uses). */
export function detectedResourcesText(facts: MachineFacts, named: ReadonlySet<string>, role: string): string {
  const r = role === '*' ? '' : `(${role})`;
  const parts: string[] = [];
  if (!named.has('cpus')) parts.push(`cpus${r}:${facts.cores}`);
  if (!named.has('gpus') && facts.gpus > 0) parts.push(`gpus${r}:${facts.gpus}`);
  if (!named.has('mem')) {
    const mem = facts.memBytes >= 2 * GB ? facts.memBytes - GB : facts.memBytes / 2;
    parts.push(`mem${r}:${Math.floor(mem / MB)}`);
  }
  if (!named.has('disk')) {
    const disk = facts.diskBytes >= 10 * GB ? facts.diskBytes - 5 * GB : facts.diskBytes / 2;
    parts.push(`disk${r}:${Math.floor(disk / MB)}`);
  }
  if (!named.has('ports')) parts.push(`ports${r}:[31000-32000]`);
  return parts.join(';');
}

/** --resources plus detection; throws ResourcesError on bad text. */
export function agentResources(text: string | undefined, defaultRole: string, facts: MachineFacts): Resources {
  const given = text === undefined || text.trim() === '' ? Resources.empty() : Resources.parse(text, { defaultRole });
  const named = new Set(given.names());
  const detected = detectedResourcesText(facts, named, defaultRole);
  return detected === '' ? given : given.add(Resources.parse(detected));
}

export function machineFacts(workDir: string): MachineFacts {
  mkdirSync(workDir, { recursive: true });
  const fs = statfsSync(workDir);
  return { cores: os.cpus().length, memBytes: os.totalmem(), diskBytes: fs.blocks * fs.bsize, gpus: countGpus() };
}

function countGpus(): number {
  try {
    const out = execFileSync('nvidia-smi', ['--query-gpu=index', '--format=csv,noheader'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\n').filter((l) => l.trim() !== '').length;
  } catch {
    return 0; // no nvidia-smi, or no driver: no gpus
  }
}
