// The app definition: Marathon's JSON (field names, defaults) parsed into a normalised AppDefinition, with
// every problem collected as a 422 detail `{path, errors}` instead of stopping at the first. Numeric strings
// (`"cpus":"0.3"`) are accepted as numbers, as Marathon's parser does. Read-only fields a client echoes back
// (version, tasksRunning, deployments …) are ignored; any other unknown field is an error, so typos never
// silently change nothing. Pure.
import { appIdError, normaliseAppId } from './app-id.js';
import { invalid, type ErrorDetail } from './errors.js';

export type ConstraintOp = 'UNIQUE' | 'CLUSTER' | 'GROUP_BY' | 'LIKE' | 'UNLIKE' | 'MAX_PER';
export type Constraint = [string, ConstraintOp, string?];

export interface HealthCheckDef {
  protocol: 'HTTP' | 'HTTPS' | 'TCP' | 'COMMAND' | 'MESOS_HTTP' | 'MESOS_HTTPS' | 'MESOS_TCP';
  path?: string;
  portIndex?: number;
  port?: number;
  command?: { value: string };
  gracePeriodSeconds: number;
  intervalSeconds: number;
  timeoutSeconds: number;
  maxConsecutiveFailures: number;
  delaySeconds: number;
}

export interface FetchUri {
  uri: string;
  extract: boolean;
  executable: boolean;
  cache: boolean;
}

export interface PortDefinition {
  port: number;
  name?: string;
  protocol: string;
}

export interface PersistentVolume {
  containerPath: string;
  mode: string;
  persistent: { size: number; type?: string };
}

export interface AppDefinition {
  id: string;
  cmd?: string;
  args?: string[];
  cpus: number;
  mem: number;
  disk: number;
  gpus: number;
  instances: number;
  env: Record<string, string>;
  labels: Record<string, string>;
  user?: string;
  fetch: FetchUri[];
  portDefinitions: PortDefinition[];
  requirePorts: boolean;
  constraints: Constraint[];
  acceptedResourceRoles?: string[];
  healthChecks: HealthCheckDef[];
  backoffSeconds: number;
  backoffFactor: number;
  maxLaunchDelaySeconds: number;
  taskKillGracePeriodSeconds?: number;
  killSelection: 'YOUNGEST_FIRST' | 'OLDEST_FIRST';
  upgradeStrategy: { minimumHealthCapacity: number; maximumOverCapacity: number };
  container?: { type: 'MESOS' | 'DOCKER'; docker?: Record<string, unknown>; volumes: Array<PersistentVolume | Record<string, unknown>> };
  residency?: { relaunchEscalationTimeoutSeconds: number; taskLostBehavior: string };
  dependencies: string[];
  executor: string;
  /** ISO timestamp of this version (set by the launcher, read-only for clients). */
  version: string;
}

const READ_ONLY = new Set(['version', 'versionInfo', 'tasksRunning', 'tasksStaged', 'tasksHealthy', 'tasksUnhealthy', 'deployments', 'tasks', 'lastTaskFailure', 'readinessCheckResults', 'taskStats', 'storeUrls', 'uris', 'ports', 'ipAddress', 'taskRateLimit']);
const FIELDS = new Set(['id', 'cmd', 'args', 'cpus', 'mem', 'disk', 'gpus', 'instances', 'env', 'labels', 'user', 'fetch', 'portDefinitions', 'requirePorts', 'constraints', 'acceptedResourceRoles', 'healthChecks', 'backoffSeconds', 'backoffFactor', 'maxLaunchDelaySeconds', 'taskKillGracePeriodSeconds', 'killSelection', 'upgradeStrategy', 'container', 'residency', 'dependencies', 'executor', 'readinessChecks', 'unreachableStrategy', 'secrets', 'networks', 'role']);
const OPS = new Set<ConstraintOp>(['UNIQUE', 'CLUSTER', 'GROUP_BY', 'LIKE', 'UNLIKE', 'MAX_PER']);
const PROTOCOLS = new Set(['HTTP', 'HTTPS', 'TCP', 'COMMAND', 'MESOS_HTTP', 'MESOS_HTTPS', 'MESOS_TCP']);

/** Marathon's defaults for a new app (apps.raml / app.raml). */
export const APP_DEFAULTS = { cpus: 1, mem: 128, disk: 0, gpus: 0, instances: 1, backoffSeconds: 1, backoffFactor: 1.15, maxLaunchDelaySeconds: 3600 } as const;

class Collector {
  readonly details: ErrorDetail[] = [];
  add(path: string, error: string): void {
    const found = this.details.find((d) => d.path === path);
    if (found === undefined) this.details.push({ path, errors: [error] });
    else found.errors.push(error);
  }
}

function num(c: Collector, path: string, v: unknown, min: number, integer = false): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    c.add(path, `error.expected.jsnumber: got ${JSON.stringify(v)}`);
    return undefined;
  }
  if (integer && !Number.isInteger(n)) c.add(path, `must be an integer, got ${n}`);
  else if (n < min) c.add(path, `got ${n}, expected ${min} or more`);
  else return n;
  return undefined;
}

function bool(c: Collector, path: string, v: unknown): boolean | undefined {
  if (v === 'true' || v === 'false') return v === 'true';
  if (typeof v !== 'boolean') c.add(path, `error.expected.jsboolean: got ${JSON.stringify(v)}`);
  return typeof v === 'boolean' ? v : undefined;
}

function str(c: Collector, path: string, v: unknown): string | undefined {
  if (typeof v !== 'string') c.add(path, `error.expected.jsstring: got ${JSON.stringify(v)}`);
  return typeof v === 'string' ? v : undefined;
}

function strMap(c: Collector, path: string, v: unknown): Record<string, string> {
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    c.add(path, 'error.expected.jsobject: give an object of string values');
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string') out[k] = val;
    else if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
    else c.add(`${path}/${k}`, 'error.expected.jsstring: environment values and labels are strings (secrets are not supported)');
  }
  return out;
}

function list(c: Collector, path: string, v: unknown): unknown[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) {
    c.add(path, 'error.expected.jsarray');
    return [];
  }
  return v;
}

/**
 * Parses a POST/PUT body. `base` is the current definition for a PUT update (fields not given keep their
 * value), undefined for a new app. `pathId` is the id from the URL, which wins over a body without one.
 * Throws MarathonError 422 with every problem found.
 */
export function parseApp(body: unknown, version: string, base?: AppDefinition, pathId?: string): AppDefinition {
  const c = new Collector();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid([{ path: '/', errors: ['error.expected.jsobject: the body must be one app object'] }]);
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) if (!FIELDS.has(key) && !READ_ONLY.has(key)) c.add(`/${key}`, `Unknown field '${key}': not an app field (see /v2/apps in Marathon's API)`);
  const rawId = b.id ?? pathId ?? base?.id;
  let id = '';
  if (typeof rawId !== 'string') c.add('/id', 'error.path.missing: an app needs an id such as /my-app');
  else {
    const e = appIdError(rawId);
    if (e !== undefined) c.add('/id', e);
    id = normaliseAppId(rawId);
    if (pathId !== undefined && b.id !== undefined && typeof b.id === 'string' && normaliseAppId(b.id) !== normaliseAppId(pathId)) c.add('/id', `the id in the body (${normaliseAppId(b.id)}) differs from the one in the URL (${normaliseAppId(pathId)})`);
  }
  const pick = <T>(key: string, parse: (v: unknown) => T | undefined, fallback: T): T => (key in b && b[key] !== undefined ? (parse(b[key]) ?? fallback) : fallback);
  const cmd = 'cmd' in b ? (b.cmd === null ? undefined : str(c, '/cmd', b.cmd)) : base?.cmd;
  const args = 'args' in b ? (b.args === null ? undefined : list(c, '/args', b.args).map((a, i) => str(c, `/args(${i})`, a) ?? '')) : base?.args;
  const container = 'container' in b ? parseContainer(c, b.container) : base?.container;
  if (cmd !== undefined && args !== undefined && args.length > 0) c.add('/', 'AppDefinition must either contain one of \'cmd\' or \'args\', and/or a \'container\'; not both cmd and args');
  if (cmd === undefined && (args === undefined || args.length === 0) && container?.type !== 'DOCKER') c.add('/', "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'");
  const app: AppDefinition = {
    id,
    ...(cmd === undefined ? {} : { cmd }),
    ...(args === undefined ? {} : { args }),
    cpus: pick('cpus', (v) => num(c, '/cpus', v, 0), base?.cpus ?? APP_DEFAULTS.cpus),
    mem: pick('mem', (v) => num(c, '/mem', v, 0), base?.mem ?? APP_DEFAULTS.mem),
    disk: pick('disk', (v) => num(c, '/disk', v, 0), base?.disk ?? APP_DEFAULTS.disk),
    gpus: pick('gpus', (v) => num(c, '/gpus', v, 0, true), base?.gpus ?? APP_DEFAULTS.gpus),
    instances: pick('instances', (v) => num(c, '/instances', v, 0, true), base?.instances ?? APP_DEFAULTS.instances),
    env: 'env' in b ? strMap(c, '/env', b.env) : (base?.env ?? {}),
    labels: 'labels' in b ? strMap(c, '/labels', b.labels) : (base?.labels ?? {}),
    ...('user' in b ? (typeof b.user === 'string' ? { user: b.user } : {}) : base?.user === undefined ? {} : { user: base.user }),
    fetch: 'fetch' in b || 'uris' in b ? parseFetch(c, b) : (base?.fetch ?? []),
    portDefinitions: 'portDefinitions' in b || 'ports' in b ? parsePorts(c, b) : (base?.portDefinitions ?? [{ port: 0, protocol: 'tcp' }]),
    requirePorts: pick('requirePorts', (v) => bool(c, '/requirePorts', v), base?.requirePorts ?? false),
    constraints: 'constraints' in b ? parseConstraints(c, b.constraints) : (base?.constraints ?? []),
    ...(b.acceptedResourceRoles !== undefined && b.acceptedResourceRoles !== null ? { acceptedResourceRoles: list(c, '/acceptedResourceRoles', b.acceptedResourceRoles).map((r, i) => str(c, `/acceptedResourceRoles(${i})`, r) ?? '*') } : base?.acceptedResourceRoles === undefined ? {} : { acceptedResourceRoles: base.acceptedResourceRoles }),
    healthChecks: 'healthChecks' in b ? list(c, '/healthChecks', b.healthChecks).map((h, i) => parseHealthCheck(c, `/healthChecks(${i})`, h)) : (base?.healthChecks ?? []),
    backoffSeconds: pick('backoffSeconds', (v) => num(c, '/backoffSeconds', v, 0), base?.backoffSeconds ?? APP_DEFAULTS.backoffSeconds),
    backoffFactor: pick('backoffFactor', (v) => num(c, '/backoffFactor', v, 1), base?.backoffFactor ?? APP_DEFAULTS.backoffFactor),
    maxLaunchDelaySeconds: pick('maxLaunchDelaySeconds', (v) => num(c, '/maxLaunchDelaySeconds', v, 0), base?.maxLaunchDelaySeconds ?? APP_DEFAULTS.maxLaunchDelaySeconds),
    ...(b.taskKillGracePeriodSeconds !== undefined && b.taskKillGracePeriodSeconds !== null ? { taskKillGracePeriodSeconds: num(c, '/taskKillGracePeriodSeconds', b.taskKillGracePeriodSeconds, 0) ?? 0 } : base?.taskKillGracePeriodSeconds === undefined ? {} : { taskKillGracePeriodSeconds: base.taskKillGracePeriodSeconds }),
    killSelection: pick('killSelection', (v) => (v === 'YOUNGEST_FIRST' || v === 'OLDEST_FIRST' ? v : (c.add('/killSelection', "must be 'YOUNGEST_FIRST' or 'OLDEST_FIRST'"), undefined)), base?.killSelection ?? 'YOUNGEST_FIRST'),
    upgradeStrategy: 'upgradeStrategy' in b ? parseUpgrade(c, b.upgradeStrategy) : (base?.upgradeStrategy ?? { minimumHealthCapacity: 1, maximumOverCapacity: 1 }),
    ...(container === undefined ? {} : { container }),
    ...(b.residency !== undefined && b.residency !== null ? { residency: { relaunchEscalationTimeoutSeconds: 3600, taskLostBehavior: 'WAIT_FOREVER', ...(b.residency as object) } } : base?.residency === undefined ? {} : { residency: base.residency }),
    dependencies: 'dependencies' in b ? list(c, '/dependencies', b.dependencies).map((d, i) => normaliseAppId(str(c, `/dependencies(${i})`, d) ?? '')) : (base?.dependencies ?? []),
    executor: typeof b.executor === 'string' ? b.executor : (base?.executor ?? ''),
    version,
  };
  const persistent = app.container?.volumes.filter(isPersistent) ?? [];
  if (persistent.length > 0) {
    if (app.residency === undefined) app.residency = { relaunchEscalationTimeoutSeconds: 3600, taskLostBehavior: 'WAIT_FOREVER' };
    // A resident instance cannot run beside its replacement (one reservation each): Marathon's default.
    if (!('upgradeStrategy' in b) && base?.residency === undefined) app.upgradeStrategy = { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 };
    if (app.upgradeStrategy.maximumOverCapacity !== 0) c.add('/upgradeStrategy/maximumOverCapacity', 'must be 0 for an app with persistent volumes (an instance and its replacement cannot share one reservation)');
    if (persistent.length > 1) c.add('/container/volumes', 'one persistent volume per app is supported; mount subdirectories of it instead');
  }
  if (c.details.length > 0) throw invalid(c.details);
  return app;
}

export function isPersistent(v: unknown): v is PersistentVolume {
  return typeof v === 'object' && v !== null && 'persistent' in v;
}

function parseFetch(c: Collector, b: Record<string, unknown>): FetchUri[] {
  const fetch = list(c, '/fetch', b.fetch).map((f, i) => {
    const o = (typeof f === 'object' && f !== null ? f : {}) as Record<string, unknown>;
    const uri = str(c, `/fetch(${i})/uri`, o.uri) ?? '';
    return { uri, extract: o.extract !== false, executable: o.executable === true, cache: o.cache === true };
  });
  // Legacy `uris`: archives are extracted (Marathon's behaviour).
  for (const [i, u] of list(c, '/uris', b.uris).entries()) fetch.push({ uri: str(c, `/uris(${i})`, u) ?? '', extract: true, executable: false, cache: false });
  return fetch;
}

function parsePorts(c: Collector, b: Record<string, unknown>): PortDefinition[] {
  if ('portDefinitions' in b) {
    return list(c, '/portDefinitions', b.portDefinitions).map((p, i) => {
      const o = (typeof p === 'object' && p !== null ? p : {}) as Record<string, unknown>;
      const port = num(c, `/portDefinitions(${i})/port`, o.port ?? 0, 0, true) ?? 0;
      if (port > 65535) c.add(`/portDefinitions(${i})/port`, 'must be 0..65535');
      return { port, ...(typeof o.name === 'string' ? { name: o.name } : {}), protocol: typeof o.protocol === 'string' ? o.protocol : 'tcp' };
    });
  }
  return list(c, '/ports', b.ports).map((p, i) => ({ port: num(c, `/ports(${i})`, p, 0, true) ?? 0, protocol: 'tcp' }));
}

function parseConstraints(c: Collector, v: unknown): Constraint[] {
  return list(c, '/constraints', v).flatMap((raw, i): Constraint[] => {
    const path = `/constraints(${i})`;
    if (!Array.isArray(raw) || raw.length < 2 || raw.length > 3 || raw.some((x) => typeof x !== 'string')) {
      c.add(path, 'Each constraint must be an array of 2 or 3 strings: [field, operator, value?]');
      return [];
    }
    const [field, op, value] = raw as string[];
    if (!OPS.has(op as ConstraintOp)) {
      c.add(path, `Constraint operator '${op}' is unknown; use one of ${[...OPS].join(', ')}`);
      return [];
    }
    if ((op === 'CLUSTER' || op === 'LIKE' || op === 'UNLIKE') && (value === undefined || value === '') && op !== 'CLUSTER') c.add(path, `${op} needs a value (a regular expression)`);
    if (op === 'LIKE' || op === 'UNLIKE') {
      try {
        new RegExp(`^${value}$`);
      } catch {
        c.add(path, `'${value}' is not a valid regular expression`);
      }
    }
    if (op === 'MAX_PER' && !/^[1-9]\d*$/.test(value ?? '')) c.add(path, 'MAX_PER needs a positive integer value');
    if (op === 'GROUP_BY' && value !== undefined && value !== '' && !/^[1-9]\d*$/.test(value)) c.add(path, 'GROUP_BY takes an optional positive integer value');
    return [value === undefined ? [field!, op as ConstraintOp] : [field!, op as ConstraintOp, value]];
  });
}

function parseHealthCheck(c: Collector, path: string, raw: unknown): HealthCheckDef {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const protocol = String(o.protocol ?? 'HTTP').toUpperCase();
  if (!PROTOCOLS.has(protocol)) c.add(`${path}/protocol`, `unknown protocol '${protocol}'; use HTTP, HTTPS, TCP or COMMAND`);
  const command = o.command as { value?: unknown } | undefined;
  if (protocol === 'COMMAND' && typeof command?.value !== 'string') c.add(`${path}/command`, 'a COMMAND check needs {"command":{"value":"<shell command>"}}');
  const n = (key: string, fallback: number, min = 0): number => (o[key] === undefined ? fallback : (num(c, `${path}/${key}`, o[key], min) ?? fallback));
  return {
    protocol: protocol as HealthCheckDef['protocol'],
    ...(typeof o.path === 'string' ? { path: o.path } : {}),
    ...(o.port !== undefined ? { port: n('port', 0) } : { portIndex: n('portIndex', 0) }),
    ...(typeof command?.value === 'string' ? { command: { value: command.value } } : {}),
    gracePeriodSeconds: n('gracePeriodSeconds', 300),
    intervalSeconds: n('intervalSeconds', 60, 1),
    timeoutSeconds: n('timeoutSeconds', 20, 1),
    maxConsecutiveFailures: n('maxConsecutiveFailures', 3),
    delaySeconds: n('delaySeconds', 15),
  };
}

function parseUpgrade(c: Collector, v: unknown): AppDefinition['upgradeStrategy'] {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  const f = (key: string): number => {
    const n = o[key] === undefined ? 1 : num(c, `/upgradeStrategy/${key}`, o[key], 0);
    if (n !== undefined && n > 1) c.add(`/upgradeStrategy/${key}`, 'must be between 0 and 1');
    return n ?? 1;
  };
  return { minimumHealthCapacity: f('minimumHealthCapacity'), maximumOverCapacity: f('maximumOverCapacity') };
}

function parseContainer(c: Collector, v: unknown): AppDefinition['container'] {
  if (v === null || v === undefined) return undefined;
  const o = v as Record<string, unknown>;
  const type = String(o.type ?? 'MESOS');
  if (type !== 'MESOS' && type !== 'DOCKER') c.add('/container/type', `unknown container type '${type}'; use MESOS or DOCKER`);
  if (type === 'DOCKER' && typeof (o.docker as { image?: unknown } | undefined)?.image !== 'string') c.add('/container/docker/image', 'a DOCKER container needs docker.image');
  const volumes = list(c, '/container/volumes', o.volumes).map((vol, i) => {
    const x = (vol ?? {}) as Record<string, unknown>;
    if (typeof x.containerPath !== 'string') c.add(`/container/volumes(${i})/containerPath`, 'error.path.missing');
    if (isPersistent(x)) {
      const size = num(c, `/container/volumes(${i})/persistent/size`, x.persistent.size, 1);
      if (typeof x.containerPath === 'string' && (x.containerPath.includes('/') || x.containerPath === '')) c.add(`/container/volumes(${i})/containerPath`, 'a persistent volume path is relative to the sandbox and has no slash (e.g. "data")');
      return { containerPath: String(x.containerPath), mode: String(x.mode ?? 'RW'), persistent: { size: size ?? 0 } };
    }
    return x;
  });
  return { type: type as 'MESOS' | 'DOCKER', ...(o.docker === undefined ? {} : { docker: o.docker as Record<string, unknown> }), volumes };
}
