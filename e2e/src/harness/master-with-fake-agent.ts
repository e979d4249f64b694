// An in-process master (50 ms allocation interval, work dir in a fresh temp dir) with one FakeAgent registered,
// for specs that exercise a framework against the real master without running real tasks.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseFlags, startMaster, type RunningMaster } from '@mesos-ts/master';
import { FakeAgent } from '@mesos-ts/master/testing';

export interface MasterWithFakeAgent {
  /** The temp dir, removed at clean-up; the master's work dir is its `master/`. */
  dir: string;
  master: RunningMaster;
  agent: FakeAgent;
}

export async function startMasterWithFakeAgent(
  cleanups: Array<() => unknown>,
  dirPrefix: string,
  agentOptions: { attributes?: string } = {},
): Promise<MasterWithFakeAgent> {
  const dir = await mkdtemp(path.join(os.tmpdir(), dirPrefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const parsed = parseFlags(['--port=0', `--work_dir=${path.join(dir, 'master')}`, '--allocation_interval=50ms']);
  if (parsed.help) throw new Error('unexpected --help');
  const master = await startMaster(parsed.flags);
  cleanups.push(() => master.stop());
  const agent = new FakeAgent({ master: master.url, hostname: 'agent-1', resources: 'cpus:8;mem:16384;disk:8192;ports:[31000-31100]', ...agentOptions });
  cleanups.push(() => agent.close());
  await agent.connect();
  return { dir, master, agent };
}
