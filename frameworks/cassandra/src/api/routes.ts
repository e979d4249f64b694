// The framework's REST API (upstream cassandra-mesos paths, on $PORT0 or 18080). Every mutation goes through
// RingService.mutate(): the domain function computes the new state or throws, and only a returned state is
// stored — a refused request changes nothing. CassandraError codes map to 400/404/409 with the domain's message.
import { HttpError, JsonRouter, type JsonRequest } from '@mesos-ts/framework-kit';
import { replaceDeadNode, scaleNodes, setRunState, setSeed, type RingState } from '../domain/commands.js';
import { CassandraError, type CassandraErrorCode } from '../domain/errors.js';
import { abortJob, jobStatus, parseJobType, startJob, type JobsState } from '../domain/jobs.js';
import { isHealthyRunning, isLive, type CassandraNode } from '../domain/node.js';

export interface Snapshot {
  ring: RingState;
  jobs: JobsState;
}

export interface RingService {
  snapshot(): Snapshot;
  /** Applies `change` to the current snapshot and stores the result atomically; a throw stores nothing. */
  mutate<T>(change: (s: Snapshot) => { next: Snapshot; result: T }): Promise<T>;
  /** The scheduler is subscribed to a master (for /health/process). */
  subscribed(): boolean;
  now(): number;
}

const STATUS: Record<CassandraErrorCode, number> = {
  INVALID_PARAMETER: 400,
  UNKNOWN_NODE: 404,
  SCALE_DOWN: 400,
  REPLACE_PRECONDITION_FAILED: 409,
  SEED_CHANGE_REFUSED: 409,
  ILLEGAL_RUN_STATE: 409,
  JOB_CONFLICT: 409,
};

const ENDPOINTS = [
  'GET /config',
  'GET /node/all',
  'GET /node/seed/all',
  'GET /live-nodes?limit=N',
  'GET /live-nodes/text',
  'GET /live-nodes/cqlsh',
  'GET /live-nodes/nodetool',
  'POST /scale/nodes?nodeCount=N',
  'POST /node/{node}/stop|start|restart|terminate|replace|make-seed|make-non-seed',
  'POST /cluster/{repair|cleanup|rolling-restart}/start|abort',
  'GET /cluster/{repair|cleanup|rolling-restart}/status|last',
  'GET /health/process',
  'GET /health/cluster',
];

export function apiRouter(service: RingService): JsonRouter {
  const router = new JsonRouter();
  const guard = (handler: (req: JsonRequest) => unknown) => async (req: JsonRequest) => {
    try {
      return await handler(req);
    } catch (e) {
      if (e instanceof CassandraError) throw new HttpError(STATUS[e.code], e.message);
      throw e;
    }
  };
  const nodes = () => service.snapshot().ring.nodes;
  const ports = (n?: CassandraNode) => ({ nativePort: n?.ports?.native ?? 9042, rpcPort: 9160, jmxPort: n?.ports?.jmx ?? 7199 });
  const live = (limit: number) => nodes().filter(isHealthyRunning).slice(0, limit);

  router.get('/', () => ({ endpoints: ENDPOINTS }));
  router.get('/config', () => service.snapshot().ring.config);
  router.get('/node/all', () => ({ nodes: nodes().map(nodeJson) }));
  router.get('/node/seed/all', () => {
    const seeds = nodes().filter((n) => n.seed && n.targetRunState !== 'TERMINATE' && n.ip !== undefined);
    return { ...ports(seeds[0]), seeds: seeds.map((n) => n.ip) };
  });
  router.get('/live-nodes', guard((req) => {
    const found = live(limitOf(req));
    return { ...ports(found[0]), liveNodes: found.map((n) => n.ip), nodes: found.map((n) => ({ ip: n.ip, nativePort: n.ports?.native, jmxPort: n.ports?.jmx })) };
  }));
  router.get('/live-nodes/text', guard((req) => live(limitOf(req)).map((n) => `${n.ip}:${n.ports?.native}`).join('\n')));
  router.get('/live-nodes/cqlsh', guard(() => {
    const n = live(1)[0];
    if (n === undefined) throw new HttpError(503, 'no live node yet');
    return `cqlsh ${n.ip} ${n.ports?.native}`;
  }));
  router.get('/live-nodes/nodetool', guard(() => {
    const n = live(1)[0];
    if (n === undefined) throw new HttpError(503, 'no live node yet');
    return `nodetool -h ${n.ip} -p ${n.ports?.jmx}`;
  }));

  router.post('/scale/nodes', guard((req) =>
    service.mutate((s) => {
      const ring = scaleNodes(s.ring, req.query.get('nodeCount'));
      return { next: { ...s, ring }, result: { oldNodeCount: s.ring.config.nodeCount, newNodeCount: ring.config.nodeCount } };
    }),
  ));

  router.post('/node/:node/:action', guard((req) =>
    service.mutate((s) => {
      const action = req.params.action!;
      const key = req.params.node!;
      const changed =
        action === 'stop' || action === 'start' || action === 'restart' || action === 'terminate'
          ? setRunState(s.ring, key, action)
          : action === 'replace'
            ? replaceDeadNode(s.ring, key, service.now())
            : action === 'make-seed' || action === 'make-non-seed'
              ? setSeed(s.ring, key, action === 'make-seed')
              : undefined;
      if (changed === undefined) throw new CassandraError('INVALID_PARAMETER', `unknown node action '${action}'; use stop, start, restart, terminate, replace, make-seed or make-non-seed`);
      const n = changed.node;
      const result = action === 'replace'
        ? { ipToReplace: n.replacementForIp, name: n.name, success: true }
        : action.startsWith('make-')
          ? { ip: n.ip, name: n.name, seed: n.seed, success: true }
          : { ip: n.ip, hostname: n.hostname, executorId: n.executorId, name: n.name, targetRunState: n.targetRunState };
      return { next: { ...s, ring: changed.state }, result };
    }),
  ));

  router.post('/cluster/:job/:action', guard((req) =>
    service.mutate((s): { next: Snapshot; result: Record<string, boolean> } => {
      const type = parseJobType(req.params.job!);
      if (req.params.action === 'start') return { next: { ...s, jobs: startJob(s.jobs, type, s.ring.nodes, service.now()) }, result: { started: true } };
      if (req.params.action === 'abort') return { next: { ...s, jobs: abortJob(s.jobs, type, service.now()) }, result: { aborted: true } };
      throw new CassandraError('INVALID_PARAMETER', `unknown job action '${req.params.action}'; use start or abort (POST), status or last (GET)`);
    }),
  ));
  router.get('/cluster/:job/:view', guard((req) => {
    const type = parseJobType(req.params.job!);
    const status = jobStatus(service.snapshot().jobs, type);
    if (req.params.view === 'status') return status;
    if (req.params.view === 'last') return { present: service.snapshot().jobs.last[type] !== undefined, job: service.snapshot().jobs.last[type] };
    throw new CassandraError('INVALID_PARAMETER', `unknown job view '${req.params.view}'; use status or last`);
  }));

  router.get('/health/process', () => {
    if (!service.subscribed()) throw new HttpError(500, 'the scheduler is not subscribed to a Mesos master');
    return { healthy: true };
  });
  router.get('/health/cluster', () => {
    const { ring } = service.snapshot();
    const wanted = ring.nodes.filter((n) => n.targetRunState === 'RUN');
    const healthy = wanted.filter(isHealthyRunning);
    const report = { healthy: healthy.length === ring.config.nodeCount && wanted.length === healthy.length, nodeCount: ring.config.nodeCount, healthyNodes: healthy.map((n) => n.name), unhealthyNodes: wanted.filter((n) => !isHealthyRunning(n)).map((n) => n.name) };
    if (!report.healthy) throw new HttpError(500, `cluster unhealthy: ${healthy.length}/${ring.config.nodeCount} nodes running and NORMAL (${report.unhealthyNodes.join(', ') || 'nodes not created yet'})`);
    return report;
  });
  return router;
}

function limitOf(req: JsonRequest): number {
  const raw = req.query.get('limit');
  if (raw === null) return 3;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new CassandraError('INVALID_PARAMETER', `limit='${raw}' is not a positive whole number`);
  return Number(raw);
}

export function nodeJson(n: CassandraNode): Record<string, unknown> {
  return {
    name: n.name,
    hostname: n.hostname,
    ip: n.ip,
    agentId: n.agentId,
    seed: n.seed,
    targetRunState: n.targetRunState,
    executorId: n.executorId,
    taskId: n.taskId,
    taskState: n.taskState,
    live: isLive(n),
    mode: n.health?.mode ?? 'UNKNOWN',
    healthy: n.health?.healthy ?? false,
    loadBytes: n.health?.loadBytes,
    ports: n.ports,
    replacementForIp: n.replacementForIp,
    replacedBy: n.replacedBy,
    lastRepairAt: n.lastRepairAt,
    cassandraDaemonPid: n.cassandraDaemonPid,
  };
}
