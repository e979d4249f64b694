// mesos-execute's conversation with the master over the v1 scheduler API: SUBSCRIBE, wait for an offer that
// fits, LAUNCH, acknowledge every status update, TEARDOWN once the task is terminal (or on Ctrl-C). With a
// zk:// master it follows ZooKeeper's leader election (re-subscribing with its framework id on a change).
import os from 'node:os';
import type { scheduler, v1 } from '@mesos-ts/proto';
import { ZooKeeperMasterDetector, isWireError, post, subscribe, type EventStream } from '@mesos-ts/wire';
import { CliError } from '../errors.js';
import { getJson, setCredential } from '../http.js';
import type { ExecuteOptions } from './flags.js';
import { agentCapacities, describeUpdate, frameworkInfo, isTerminal, neverFits, offerFits, taskInfo, taskResources } from './task.js';

export interface ExecuteIo {
  out(text: string): void;
  signal: AbortSignal;
}

/** How long declined offers stay away, in seconds (we only ever launch one task). */
const DECLINE_SECONDS = 3600;

/** How long after subscribing, with no launch yet, we look at the agents to tell whether the task can ever fit, ms. */
const CAPACITY_CHECK_MS = 2_000;

/** How long to wait for an elected master (zk://), ms. */
const LEADER_TIMEOUT_MS = 10_000;

/**
 * Runs the task; resolves to the exit code (0 when it finished). Throws CliError when the master cannot be used.
 * With `--master=zk://…` it runs on the elected master and, when the leader changes, re-subscribes at the new
 * one with its framework id (the task keeps running on its agent; updates resume there).
 */
export async function execute(o: ExecuteOptions, io: ExecuteIo): Promise<number> {
  const needed = taskResources(o);
  const headers: Record<string, string> = {};
  if (o.principal !== undefined && o.secret !== undefined) {
    headers['Authorization'] = `Basic ${Buffer.from(`${o.principal}:${o.secret}`).toString('base64')}`;
    // The read-only lookups (/master/slaves) authenticate too (a master with --authenticate_http_readonly).
    setCredential({ principal: o.principal, secret: o.secret });
  }
  const abort = new AbortController();
  const onAbort = (): void => abort.abort();
  io.signal.addEventListener('abort', onAbort, { once: true });
  const detector = o.master.startsWith('zk://') ? new ZooKeeperMasterDetector({ url: o.master }) : undefined;
  let master = o.master;
  let stream: EventStream<'mesos.v1.scheduler.Event'> | undefined;
  let frameworkId: string | undefined;
  let launched = false;
  let finalState: string | undefined;
  let failed = false;
  let leaderChanged = false;
  let killTimer: NodeJS.Timeout | undefined;
  let capacityTimer: NodeJS.Timeout | undefined;
  let refused: string | undefined;
  const unwatch = detector?.subscribe(() => {
    leaderChanged = true;
    stream?.close();
  });

  const connect = async (): Promise<EventStream<'mesos.v1.scheduler.Event'>> => {
    if (detector !== undefined) {
      master = await electedMaster(detector, o.master, abort.signal);
      // Changes reported until now are already in the detector's answer.
      leaderChanged = false;
    }
    const info = frameworkInfo(o, os.userInfo().username, os.hostname());
    for (let redirects = 0; ; redirects++) {
      const res = await subscribe({
        url: `http://${master}/api/v1/scheduler`,
        callType: 'mesos.v1.scheduler.Call',
        eventType: 'mesos.v1.scheduler.Event',
        call:
          frameworkId === undefined
            ? { type: 'SUBSCRIBE', subscribe: { framework_info: info } }
            : { type: 'SUBSCRIBE', framework_id: { value: frameworkId }, subscribe: { framework_info: { ...info, id: { value: frameworkId } } } },
        contentType: o.contentType,
        headers,
        signal: abort.signal,
      });
      if (res.kind === 'stream') return res;
      if (redirects >= 3) throw new CliError('REQUEST_FAILED', `master ${master} keeps redirecting (last to ${res.url.host})`);
      master = res.url.host;
    }
  };
  const call = async (c: scheduler.Call): Promise<void> => {
    await post({
      url: `http://${master}/api/v1/scheduler`,
      callType: 'mesos.v1.scheduler.Call',
      call: { ...c, framework_id: { value: frameworkId as string } },
      contentType: o.contentType,
      headers: { ...headers, 'Mesos-Stream-Id': stream?.streamId ?? '' },
    });
  };
  let tornDown = false;
  const teardown = async (): Promise<void> => {
    if (frameworkId === undefined || tornDown) return;
    tornDown = true;
    try {
      await call({ type: 'TEARDOWN' });
    } catch {
      // The master removes a disconnected framework with failover_timeout 0 anyway.
    }
  };

  /** Why no agent can ever hold the task (undefined when one may, or when the master cannot tell us now). */
  const checkCapacity = async (): Promise<string | undefined> => {
    try {
      const agents = agentCapacities(await getJson(master, '/master/slaves'), o.role);
      if (agents.length === 0) io.out('Waiting for an agent to register with the master…\n');
      return neverFits(agents, needed, o.resources);
    } catch {
      return undefined;
    }
  };

  try {
    for (;;) {
      let current: EventStream<'mesos.v1.scheduler.Event'>;
      try {
        current = stream = await connect();
      } catch (e) {
        if (io.signal.aborted) break;
        throw toCliError(e);
      }
      if (leaderChanged) {
        // Elected elsewhere while subscribing: this master may no longer lead.
        current.close();
        continue;
      }
      const interrupted = (): void => current.close();
      io.signal.addEventListener('abort', interrupted, { once: true });
      try {
        for await (const event of current.events) {
          switch (event.type) {
            case 'SUBSCRIBED':
              frameworkId = event.subscribed?.framework_id.value;
              io.out(`Subscribed with ID ${frameworkId}\n`);
              capacityTimer ??= setTimeout(() => {
                if (launched) return;
                void checkCapacity().then((why) => {
                  if (why === undefined || launched) return;
                  refused = why;
                  stream?.close();
                });
              }, CAPACITY_CHECK_MS);
              break;
            case 'OFFERS': {
              const offers = event.offers?.offers ?? [];
              const chosen = launched ? undefined : offers.find((offer) => offerFits(offer, needed));
              const declined = offers.filter((offer) => offer !== chosen).map((offer) => offer.id);
              if (chosen) {
                launched = true;
                await call({ type: 'ACCEPT', accept: { offer_ids: [chosen.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [taskInfo(o, chosen, needed)] } }], filters: { refuse_seconds: DECLINE_SECONDS } } });
                io.out(`Submitted task '${o.name}' to agent '${chosen.agent_id.value}'\n`);
              }
              if (declined.length > 0) await call({ type: 'DECLINE', decline: { offer_ids: declined, filters: { refuse_seconds: launched ? DECLINE_SECONDS : 1 } } });
              break;
            }
            case 'UPDATE': {
              const status: v1.TaskStatus | undefined = event.update?.status;
              if (!status) break;
              io.out(describeUpdate(status));
              if (status.uuid !== undefined && status.uuid.length > 0 && status.agent_id) {
                try {
                  await call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid } });
                } catch (e) {
                  // Once the task's end is known, a lost acknowledgement changes nothing: the exit code is the task's.
                  if (!isTerminal(status.state)) throw e;
                }
              }
              if (status.state === 'TASK_RUNNING' && o.killAfterMs !== undefined && killTimer === undefined) {
                killTimer = setTimeout(() => {
                  io.out(`Killing task '${o.name}' after ${o.killAfterMs} ms (--kill_after)\n`);
                  void call({ type: 'KILL', kill: { task_id: status.task_id, ...(status.agent_id ? { agent_id: status.agent_id } : {}) } }).catch(() => undefined);
                }, o.killAfterMs);
              }
              if (isTerminal(status.state)) {
                finalState = status.state;
                // TEARDOWN while still subscribed, so the master removes the framework now rather than after
                // noticing the closed stream.
                await teardown();
                current.close();
              }
              break;
            }
            case 'ERROR':
              io.out(`Received an ERROR event: ${event.error?.message ?? ''}\n`);
              failed = true;
              current.close();
              break;
            default:
              break;
          }
        }
      } catch (e) {
        if (!io.signal.aborted && !leaderChanged) throw toCliError(e);
      } finally {
        io.signal.removeEventListener('abort', interrupted);
      }
      if (finalState !== undefined || failed || refused !== undefined || io.signal.aborted || !leaderChanged) break;
      io.out(`The leading master changed; re-subscribing\n`);
    }
  } finally {
    if (killTimer) clearTimeout(killTimer);
    if (capacityTimer) clearTimeout(capacityTimer);
    io.signal.removeEventListener('abort', onAbort);
    unwatch?.();
    await teardown();
    stream?.close();
    detector?.close();
  }
  if (refused !== undefined) {
    io.out(`Cannot launch task '${o.name}': ${refused}\n`);
    return 1;
  }
  if (finalState === undefined) {
    io.out(io.signal.aborted ? 'Interrupted: tore the framework down (its task is killed)\n' : 'The master closed the event stream before the task finished\n');
    return 1;
  }
  return finalState === 'TASK_FINISHED' ? 0 : 1;
}

/** `host:port` of the elected master, waiting up to LEADER_TIMEOUT_MS for one. */
async function electedMaster(detector: ZooKeeperMasterDetector, spec: string, signal: AbortSignal): Promise<string> {
  const limit = new AbortController();
  const timer = setTimeout(() => limit.abort(), LEADER_TIMEOUT_MS);
  const onAbort = (): void => limit.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await detector.next(limit.signal);
  } catch (e) {
    if (signal.aborted) throw e;
    throw new CliError('UNREACHABLE', `no leading master in ${spec} within ${LEADER_TIMEOUT_MS} ms; check the zk:// URL, that ZooKeeper runs and that the masters run with the same --zk`, { cause: e });
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

function toCliError(e: unknown): CliError {
  if (e instanceof CliError) return e;
  if (isWireError(e, 'UNREACHABLE')) return new CliError('UNREACHABLE', `${e.message} — is mesos-master running? (set --master or MESOS_MASTER)`, { cause: e });
  if (isWireError(e)) return new CliError('REQUEST_FAILED', e.message, { cause: e });
  return new CliError('REQUEST_FAILED', (e as Error).message, { cause: e });
}
