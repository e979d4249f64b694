// mesos-execute's conversation with the master over the v1 scheduler API: SUBSCRIBE, wait for an offer that
// fits, LAUNCH, acknowledge every status update, TEARDOWN once the task is terminal (or on Ctrl-C).
import os from 'node:os';
import type { scheduler, v1 } from '@mesos-ts/proto';
import { isWireError, post, subscribe, type EventStream } from '@mesos-ts/wire';
import { CliError } from '../errors.js';
import type { ExecuteOptions } from './flags.js';
import { describeUpdate, frameworkInfo, isTerminal, offerFits, taskInfo, taskResources } from './task.js';

export interface ExecuteIo {
  out(text: string): void;
  signal: AbortSignal;
}

/** How long declined offers stay away, in seconds (we only ever launch one task). */
const DECLINE_SECONDS = 3600;

/** Runs the task; resolves to the exit code (0 when it finished). Throws CliError when the master cannot be used. */
export async function execute(o: ExecuteOptions, io: ExecuteIo): Promise<number> {
  const needed = taskResources(o);
  const headers: Record<string, string> = {};
  if (o.principal !== undefined && o.secret !== undefined) headers['Authorization'] = `Basic ${Buffer.from(`${o.principal}:${o.secret}`).toString('base64')}`;
  const abort = new AbortController();
  const onAbort = (): void => abort.abort();
  io.signal.addEventListener('abort', onAbort, { once: true });
  let master = o.master;
  let stream: EventStream<'mesos.v1.scheduler.Event'> | undefined;
  try {
    for (let redirects = 0; stream === undefined; redirects++) {
      const res = await subscribe({
        url: `http://${master}/api/v1/scheduler`,
        callType: 'mesos.v1.scheduler.Call',
        eventType: 'mesos.v1.scheduler.Event',
        call: { type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo(o, os.userInfo().username, os.hostname()) } },
        contentType: o.contentType,
        headers,
        signal: abort.signal,
      });
      if (res.kind === 'stream') stream = res;
      else if (redirects >= 3) throw new CliError('REQUEST_FAILED', `master ${master} keeps redirecting (last to ${res.url.host})`);
      else master = res.url.host;
    }
  } catch (e) {
    io.signal.removeEventListener('abort', onAbort);
    throw toCliError(e);
  }

  let frameworkId: string | undefined;
  let launched = false;
  let finalState: string | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const call = async (c: scheduler.Call): Promise<void> => {
    await post({
      url: `http://${master}/api/v1/scheduler`,
      callType: 'mesos.v1.scheduler.Call',
      call: { ...c, framework_id: { value: frameworkId as string } },
      contentType: o.contentType,
      headers: { ...headers, 'Mesos-Stream-Id': stream.streamId ?? '' },
    });
  };
  const teardown = async (): Promise<void> => {
    if (frameworkId === undefined) return;
    try {
      await call({ type: 'TEARDOWN' });
    } catch {
      // The master removes a disconnected framework with failover_timeout 0 anyway.
    }
  };
  const interrupted = (): void => {
    stream.close();
  };
  io.signal.addEventListener('abort', interrupted, { once: true });

  try {
    for await (const event of stream.events) {
      switch (event.type) {
        case 'SUBSCRIBED':
          frameworkId = event.subscribed?.framework_id.value;
          io.out(`Subscribed with ID ${frameworkId}\n`);
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
            await call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid } });
          }
          if (status.state === 'TASK_RUNNING' && o.killAfterMs !== undefined && killTimer === undefined) {
            killTimer = setTimeout(() => {
              io.out(`Killing task '${o.name}' after ${o.killAfterMs} ms (--kill_after)\n`);
              void call({ type: 'KILL', kill: { task_id: status.task_id, ...(status.agent_id ? { agent_id: status.agent_id } : {}) } }).catch(() => undefined);
            }, o.killAfterMs);
          }
          if (isTerminal(status.state)) {
            finalState = status.state;
            stream.close();
          }
          break;
        }
        case 'ERROR':
          io.out(`Received an ERROR event: ${event.error?.message ?? ''}\n`);
          stream.close();
          break;
        default:
          break;
      }
    }
  } catch (e) {
    if (!io.signal.aborted) throw toCliError(e);
  } finally {
    if (killTimer) clearTimeout(killTimer);
    io.signal.removeEventListener('abort', onAbort);
    io.signal.removeEventListener('abort', interrupted);
    await teardown();
    stream.close();
  }
  if (finalState === undefined) {
    io.out(io.signal.aborted ? 'Interrupted: tore the framework down (its task is killed)\n' : 'The master closed the event stream before the task finished\n');
    return 1;
  }
  return finalState === 'TASK_FINISHED' ? 0 : 1;
}

function toCliError(e: unknown): CliError {
  if (e instanceof CliError) return e;
  if (isWireError(e, 'UNREACHABLE')) return new CliError('UNREACHABLE', `${e.message} — is mesos-master running? (set --master or MESOS_MASTER)`, { cause: e });
  if (isWireError(e)) return new CliError('REQUEST_FAILED', e.message, { cause: e });
  return new CliError('REQUEST_FAILED', (e as Error).message, { cause: e });
}
