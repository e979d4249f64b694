// A framework scheduler's unit-test surroundings: the scheduler SDK's FakeMaster (real HTTP) and a file: state
// store in a fresh temp dir, both removed by the test's Cleanups, plus offers and call counts to drive and
// check the scheduler with.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { FakeMaster, type ReceivedCall } from '@mesos-ts/scheduler/testing';
import { FileStateStore } from '../state/file-store.js';
import type { Cleanups } from './cleanups.js';

/** An agent's offer in scheduler tests: room for a node or two, a small port range. */
export const TEST_OFFER_RESOURCES = 'cpus:2;mem:4096;disk:4096;ports:[31000-31010]';

export interface SchedulerTestbed {
  master: FakeMaster;
  /** A file: store at `<dir>/state.json`; two schedulers given it share their state, as after a failover. */
  store: FileStateStore;
  dir: string;
  /** The calls the master received of this type, oldest first. */
  calls(type: string): ReceivedCall[];
  /** An offer to framework `fw` from `agent` (`agent-N` gets hostname 127.0.0.N), with a fresh offer id. */
  offer(fw: string, agent: string, resources?: string): v1.Offer;
  /** The id of the first framework to subscribe, once one has. */
  subscribed(what?: string): Promise<string>;
}

export async function startSchedulerTestbed(cleanups: Cleanups, prefix: string): Promise<SchedulerTestbed> {
  const master = await FakeMaster.start();
  cleanups.add(() => master.close());
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  cleanups.add(() => rm(dir, { recursive: true, force: true }));
  let offers = 0;
  return {
    master,
    store: new FileStateStore(path.join(dir, 'state.json')),
    dir,
    calls: (type) => master.calls.filter((c) => c.call.type === type),
    offer: (fw, agent, resources = TEST_OFFER_RESOURCES) => ({
      id: { value: `o-${++offers}` },
      framework_id: { value: fw },
      agent_id: { value: agent },
      hostname: `127.0.0.${agent.slice(agent.lastIndexOf('-') + 1)}`,
      resources: Resources.parse(resources).toProto(),
    }),
    subscribed: (what = 'a framework subscribed') => master.waitUntil(() => [...master.frameworks.keys()][0], what),
  };
}
