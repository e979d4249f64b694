import { describe, expect, it } from 'vitest';
import { DEFAULT_CONF, emptyState, onTaskStatus, submit } from '../domain/dispatcher-state.js';
import { planOffers } from '../domain/offers.js';
import { renderPage } from './web-ui.js';

describe('web UI', () => {
  it('lists queued, launched, retrying and finished drivers, escaping names', async () => {
    const conf = { ...DEFAULT_CONF, driverDefaults: { 'spark.mesos.executor.home': '/opt/spark' } };
    const req = (name: string, props: Record<string, string> = {}) => ({ appResource: 'file:///a.py', mainClass: '', appArgs: [], environmentVariables: {}, clientSparkVersion: '3.5.8', sparkProperties: { 'spark.app.name': name, 'spark.cores.max': '1', ...props } });
    let s = emptyState();
    for (const [name, props] of [['<b>done</b>', {}], ['retry', { 'spark.driver.supervise': 'true' }], ['running', {}], ['waiting', { 'spark.driver.cores': '99' }]] as const) s = submit(s, req(name, props), conf, 0, true).state;
    const offer = { id: { value: 'o' }, framework_id: { value: 'f' }, agent_id: { value: 'a' }, hostname: 'h', resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 8 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 16384 } }, { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 1000, end: 1100 }] } }] } as never;
    s = planOffers({ state: s, offers: [offer], now: 0, role: '*', driverConstraints: [], rejectOfferSeconds: 120 }).state;
    s = onTaskStatus(s, { taskId: s.launched[0]!.taskId, state: 'TASK_FINISHED' }, conf, 1).state;
    s = onTaskStatus(s, { taskId: s.launched[0]!.taskId, state: 'TASK_FAILED' }, conf, 1).state;
    const html = await renderPage({ state: () => s, frameworkId: undefined, masterAddress: undefined, name: 'Spark Cluster' });
    expect(html).toContain('Queued Drivers (1)');
    expect(html).toContain('Launched Drivers (1)');
    expect(html).toContain('Supervise drivers waiting for retry (1)');
    expect(html).toContain('Finished Drivers (1)');
    expect(html).toContain('&#60;b&#62;done&#60;/b&#62;');
    expect(html).not.toContain('<b>done</b>');
  });
});
