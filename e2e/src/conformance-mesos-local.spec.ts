// mesos-local passes every mesos-master and mesos-agent flag (and MESOS_* variables) on: a real embedded
// cluster started from a mesos-local command line serves the master's --weights and --roles and the agents'
// flags, and a framework outside --roles is refused as upstream refuses it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLocalArgs, startCluster, type LocalCluster } from '@mesos-ts/cli';
import { TestScheduler } from '@mesos-ts/master/testing';

let dir: string;
let cluster: LocalCluster;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mesos-local-flags-'));
  const argv = ['--port=0', '--num_agents=1', `--work_dir=${dir}`, '--allocation_interval=50ms', '--weights=analytics=3', '--roles=analytics,batch', '--gc_delay=2days'];
  const parsed = parseLocalArgs(argv, { MESOS_MAX_COMPLETED_FRAMEWORKS: '7' }, dir);
  if (parsed.help) throw new Error('unexpected --help');
  cluster = await startCluster(parsed.options);
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const get = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;

describe('mesos-local flag pass-through', () => {
  it('the master gets --weights, --roles and MESOS_* variables', async () => {
    const weights = await get<{ role: string; weight: number }[]>(`http://${cluster.master}/weights`);
    expect(weights).toEqual([{ role: 'analytics', weight: 3 }]);
    const flags = (await get<{ flags: Record<string, string> }>(`http://${cluster.master}/master/flags`)).flags;
    expect(flags).toMatchObject({ roles: 'analytics,batch', weights: 'analytics=3', max_completed_frameworks: '7' });
  });

  it('a framework outside --roles is refused; one inside subscribes', async () => {
    const outside = new TestScheduler(`http://${cluster.master}`);
    const inside = new TestScheduler(`http://${cluster.master}`);
    try {
      const refused = await outside.subscribe({ name: 'outside', roles: ['other'], capabilities: [{ type: 'MULTI_ROLE' }] }).catch((e: Error) => e);
      expect(refused instanceof Error ? refused.message : JSON.stringify(refused)).toMatch(/other/);
      expect((await inside.subscribe({ name: 'inside', roles: ['batch'], capabilities: [{ type: 'MULTI_ROLE' }] })).type).toBe('SUBSCRIBED');
    } finally {
      outside.close();
      inside.close();
    }
  });

  it('every agent gets the agent flags', async () => {
    const agent = cluster.agents[0]!;
    const flags = (await get<{ flags: Record<string, string> }>(`http://${agent.agent.address}/flags`)).flags;
    expect(flags['gc_delay']).toBe('2days');
  });
});
