// The REST API of the scheduler, as kafka-mesos': `/api/broker/<cmd>` and `/api/topic/<cmd>`, GET or POST,
// parameters in the query string or a JSON body (`broker`, `cpus`, `failoverDelay`, `timeout`, `force`…).
// Answers are JSON: `{"brokers":[…]}`, `{"status":"started","brokers":[…],"success":true,"ids":"0"}`,
// `{"topics":[…]}`; errors are `{"error":"…"}` with 400/404/409/503/504 and a message saying what to do.
import { expandNames, HttpError, isKitError, JsonRouter, parseDurationMs, type JsonRequest } from '@mesos-ts/framework-kit';
import type { Broker } from '../domain/broker.js';
import { brokerToJson } from '../domain/broker-json.js';
import { BROKER_PARAMS, type BrokerParams } from '../domain/broker-params.js';
import { selectIds } from '../domain/commands.js';
import { isKafkaError, KafkaError, type KafkaErrorCode } from '../domain/errors.js';
import { parseOptionsMap } from '../domain/options-map.js';
import type { KafkaScheduler } from '../scheduler/kafka-scheduler.js';
import type { TopicService } from './topic-service.js';

const STATUS: Readonly<Record<KafkaErrorCode, number>> = {
  INVALID_PARAMETER: 400,
  UNKNOWN_BROKER: 404,
  BROKER_EXISTS: 409,
  BROKER_RUNNING: 409,
  BROKER_HAS_DATA: 409,
  TIMEOUT: 504,
  UNAVAILABLE: 503,
};

/** The parts of the scheduler the API drives (the class itself, or a test double). */
export type BrokerService = Pick<KafkaScheduler, 'brokers' | 'now' | 'add' | 'update' | 'remove' | 'clone' | 'startBrokers' | 'stopBrokers' | 'restart' | 'readLog' | 'unplaced'> & Partial<Pick<KafkaScheduler, 'metricsOf'>>;

export function apiRouter(scheduler: BrokerService, topics: TopicService | undefined): JsonRouter {
  const router = new JsonRouter();
  const route = (path: string, handler: (p: Params) => unknown): void => {
    const wrapped = async (req: JsonRequest): Promise<unknown> => {
      try {
        return await handler(new Params(req));
      } catch (e) {
        if (isKafkaError(e)) throw new HttpError(STATUS[e.code], e.message);
        if (isKitError(e) && e.code.startsWith('INVALID_')) throw new HttpError(400, e.message);
        throw e;
      }
    };
    router.get(path, wrapped).post(path, wrapped);
  };
  const json = (brokers: readonly Broker[]): unknown[] => brokers.map((b) => brokerToJson(b, scheduler.now(), scheduler.metricsOf?.(b.id)));
  const ids = (brokers: readonly Broker[]): string => brokers.map((b) => b.id).join(',');

  route('/api/broker/list', (p) => {
    const expr = p.optional('broker') ?? '*';
    const chosen = new Set(selectIds(scheduler.brokers(), expr, expr !== '*'));
    return { brokers: json(scheduler.brokers().filter((b) => chosen.has(b.id))) };
  });
  route('/api/broker/add', async (p) => ({ brokers: json(await scheduler.add(p.required('broker'), p.brokerParams())) }));
  route('/api/broker/update', async (p) => ({ brokers: json(await scheduler.update(p.required('broker'), p.brokerParams())) }));
  route('/api/broker/clone', async (p) => ({ brokers: json(await scheduler.clone(p.required('broker'), p.integer('source', undefined))) }));
  route('/api/broker/remove', async (p) => {
    const removed = await scheduler.remove(p.required('broker'), p.flag('force'));
    return { ids: ids(removed), brokers: json(removed) };
  });
  route('/api/broker/start', async (p) => {
    const { status, brokers } = await scheduler.startBrokers(p.required('broker'), p.duration('timeout', 60_000), p.flag('pending'));
    const answer: Record<string, unknown> = { status, success: status !== 'timeout', ids: ids(brokers), brokers: json(brokers) };
    if (status === 'timeout') answer.unplaced = Object.fromEntries(brokers.filter((b) => b.task === undefined).map((b) => [String(b.id), whyNotRunning(b, scheduler)]));
    return answer;
  });
  route('/api/broker/stop', async (p) => {
    const { status, brokers } = await scheduler.stopBrokers(p.required('broker'), p.duration('timeout', 60_000), p.flag('force'));
    return { status, success: status !== 'timeout', ids: ids(brokers), brokers: json(brokers) };
  });
  route('/api/broker/restart', async (p) => {
    const brokers = await scheduler.restart(p.required('broker'), p.duration('timeout', 120_000));
    return { status: 'restarted', success: true, ids: ids(brokers), brokers: json(brokers) };
  });
  route('/api/broker/log', async (p) => {
    const id = p.integer('broker', undefined);
    const lines = p.integer('lines', 100);
    const content = await scheduler.readLog(id, p.optional('name') ?? 'stdout', lines, p.duration('timeout', 30_000));
    return { status: 'ok', content };
  });

  const need = (): TopicService => {
    if (topics === undefined) throw new KafkaError('UNAVAILABLE', 'topics are not available: the scheduler has no topic service');
    return topics;
  };
  const brokerIds = (p: Params): number[] => {
    const running = scheduler.brokers().filter((b) => b.task?.state === 'running');
    const chosen = new Set(selectIds(running, p.optional('broker') ?? '*', false));
    const out = running.filter((b) => chosen.has(b.id)).map((b) => b.id);
    if (out.length === 0) throw new KafkaError('INVALID_PARAMETER', `no running broker matches --broker ${p.optional('broker') ?? '*'}; start brokers first ('broker start 0..2')`);
    return out;
  };
  route('/api/topic/list', async (p) => {
    const service = need();
    return { topics: await service.list(expandNames(p.optional('topic') ?? '*', await service.names())) };
  });
  route('/api/topic/add', async (p) => {
    const service = need();
    const names = expandNames(p.required('topic'));
    const request = { names, brokers: brokerIds(p), partitions: p.integer('partitions', 1), replicas: p.integer('replicas', 1), options: Object.fromEntries(parseOptionsMap(p.optional('options') ?? '')) };
    return { topics: await service.add(request) };
  });
  route('/api/topic/update', async (p) => {
    const service = need();
    return { topics: await service.update(expandNames(p.required('topic'), await service.names()), Object.fromEntries(parseOptionsMap(p.required('options')))) };
  });
  route('/api/topic/rebalance', async (p) => {
    const service = need();
    const expr = p.required('topic');
    const names = expr === 'status' ? undefined : expandNames(expr, await service.names());
    return service.rebalance({ names, brokers: names === undefined ? [] : brokerIds(p), replicas: p.integer('replicas', 1), timeoutMs: p.duration('timeout', 0) });
  });
  return router;
}

/** Why a broker has no task after a start timed out: its task kept failing, or no offer fit (per agent). */
export function whyNotRunning(b: Broker, scheduler: Pick<BrokerService, 'unplaced' | 'now'>): string[] {
  const reasons = scheduler.unplaced.get(b.id) ?? [];
  if (b.failover.failures > 0) return [`its task failed ${b.failover.failures} time(s) (${brokerToJson(b, scheduler.now()).state}); the broker's stdout/stderr are in the task sandbox on its agent`, ...reasons];
  return reasons.length > 0 ? reasons : ['no offer received yet'];
}

/** Request parameters from the query string and/or a JSON object body (body wins). */
class Params {
  private readonly values = new Map<string, string>();

  constructor(req: JsonRequest) {
    for (const [k, v] of req.query) this.values.set(k, v);
    if (req.body !== undefined && req.body !== null && typeof req.body === 'object') {
      for (const [k, v] of Object.entries(req.body as Record<string, unknown>)) if (v !== null && v !== undefined) this.values.set(k, String(v));
    }
  }

  optional(name: string): string | undefined {
    return this.values.get(name);
  }

  required(name: string): string {
    const v = this.values.get(name);
    if (v === undefined || v.trim() === '') throw new KafkaError('INVALID_PARAMETER', `missing parameter '${name}', e.g. ${name}=0..2`);
    return v;
  }

  flag(name: string): boolean {
    const v = this.values.get(name);
    return v !== undefined && v !== 'false';
  }

  integer(name: string, fallback: number | undefined): number {
    const v = this.values.get(name);
    if (v === undefined || v === '') {
      if (fallback === undefined) throw new KafkaError('INVALID_PARAMETER', `missing parameter '${name}'`);
      return fallback;
    }
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 0) throw new KafkaError('INVALID_PARAMETER', `invalid ${name} '${v}': expected a whole number`);
    return n;
  }

  duration(name: string, fallback: number): number {
    const v = this.values.get(name);
    if (v === undefined || v === '') return fallback;
    try {
      return parseDurationMs(v);
    } catch (e) {
      throw new KafkaError('INVALID_PARAMETER', `invalid ${name}: ${(e as Error).message}`);
    }
  }

  brokerParams(): BrokerParams {
    const out: BrokerParams = {};
    for (const name of BROKER_PARAMS) {
      const v = this.values.get(name);
      if (v !== undefined) out[name] = v;
    }
    return out;
  }
}
