import { describe, expect, it } from 'vitest';
import { DEFAULT_CONF, emptyState, kill, status, submit, type DispatcherState } from '../domain/dispatcher-state.js';
import { handle, type SubmissionService } from './rest-server.js';
import { dispatcherSettings, parseDispatcherFlags, FlagError } from '../cli/dispatcher-flags.js';

/** A working in-memory service over the pure operations. */
function service(): SubmissionService {
  let s: DispatcherState = emptyState();
  const conf = { ...DEFAULT_CONF, driverDefaults: { 'spark.mesos.executor.home': '/opt/spark' } };
  return {
    async submit(r) { const x = submit(s, r, conf, Date.UTC(2026, 0, 1), true); s = x.state; return x.answer; },
    async kill(id) { const x = kill(s, id, conf, 0, true); s = x.state; return x.answer; },
    status: (id) => status(s, id),
  };
}

const BODY = JSON.stringify({ action: 'CreateSubmissionRequest', appArgs: [], appResource: 'file:///a.py', clientSparkVersion: '3.5.8', environmentVariables: {}, mainClass: '', sparkProperties: { 'spark.app.name': 'a' } });

describe('REST submission protocol', () => {
  it('create, status and kill answer Spark messages', async () => {
    const svc = service();
    const c = await handle(svc, 'POST', '/v1/submissions/create', BODY);
    expect(c).toEqual({ status: 200, body: expect.objectContaining({ action: 'CreateSubmissionResponse', success: true, submissionId: 'driver-20260101000000-0001', serverSparkVersion: '3.5.8' }) });
    const st = await handle(svc, 'GET', '/v1/submissions/status/driver-20260101000000-0001', '');
    expect(st.body).toMatchObject({ action: 'SubmissionStatusResponse', driverState: 'QUEUED', success: true });
    const k = await handle(svc, 'POST', '/v1/submissions/kill/driver-20260101000000-0001', '');
    expect(k.body).toMatchObject({ action: 'KillSubmissionResponse', success: true, message: "Removed driver while it's still pending" });
    expect((await handle(svc, 'GET', '/v1/submissions/status/driver-nope', '')).body).toMatchObject({ success: false, driverState: 'NOT_FOUND' });
    expect((await handle(svc, 'POST', '/v1/submissions/kill/driver-nope', '')).body).toMatchObject({ success: false, message: 'Cannot find driver' });
  });

  it.each([
    ['GET', '/v2/submissions/status/x', 468, "Unknown protocol version 'v2'."],
    ['GET', '/', 400, 'Missing protocol version.'],
    ['GET', '/v1', 400, 'Missing the /submissions prefix.'],
    ['GET', '/v1/submissions', 400, 'Missing an action'],
    ['GET', '/v1/submissions/status/', 400, 'Submission ID is missing in status request.'],
    ['POST', '/v1/submissions/kill', 400, 'Submission ID is missing in kill request.'],
    ['POST', '/v1/submissions/create', 400, "'appResource' is missing"],
    ['GET', '/v1/submissions/create', 405, 'not supported'],
  ])('%s %s → %i', async (method, path, code, text) => {
    const r = await handle(service(), method, path, method === 'POST' ? JSON.stringify({ ...JSON.parse(BODY), appResource: undefined }) : '');
    expect(r.status).toBe(code);
    expect(r.body).toMatchObject({ action: 'ErrorResponse' });
    expect(String(r.body.message)).toContain(text);
    if (code === 468) expect(r.body.highestProtocolVersion).toBe('v1');
  });
});

describe('dispatcher flags', () => {
  it('reads MesosClusterDispatcher flags and properties', () => {
    const p = parseDispatcherFlags(['--master', 'mesos://127.0.0.1:5050', '--port=7078', '--conf', 'spark.mesos.maxDrivers=3', '--conf', 'spark.mesos.executor.home=/opt/spark', '--name', 'x'], () => undefined);
    if (p.help) throw new Error('help');
    expect(p.flags).toMatchObject({ master: '127.0.0.1:5050', port: 7078, webuiPort: 8081, name: 'x', host: '0.0.0.0' });
    const s = dispatcherSettings(p.flags, {});
    expect(s.conf).toMatchObject({ maxDrivers: 3, retainedDrivers: 200, retryWaitMaxSec: 60, driverDefaults: { 'spark.mesos.executor.home': '/opt/spark' } });
    expect(s.storage).toBe('file:spark-dispatcher-state.json');
    expect(s.rejectOfferSeconds).toBe(120);
    const zk = parseDispatcherFlags(['-m', 'mesos://zk://h:2181/mesos', '--zk', 'h:2181'], () => undefined);
    if (zk.help) throw new Error('help');
    expect(zk.flags.master).toBe('zk://h:2181/mesos');
    expect(dispatcherSettings(zk.flags, {}).storage).toBe('zk://h:2181/spark_mesos_dispatcher');
  });
  it.each([[['--port', '7077']], [['--master', 'x', '--bogus', '1']], [['--master', 'x', '--port', 'abc']], [['--master', 'x', '--conf', 'novalue']]])('refuses %j', (argv) => {
    expect(() => parseDispatcherFlags(argv, () => undefined)).toThrow(FlagError);
  });
});
