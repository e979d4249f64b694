import { describe, expect, it } from 'vitest';
import type { DriverDescription } from './driver.js';
import { driverCommand } from './task-commands.js';

const desc = (props: Record<string, string>): DriverDescription => ({
  appResource: 'file:///jobs/pi.py',
  appArgs: ['4'],
  clientSparkVersion: '3.5.8',
  environmentVariables: {},
  mainClass: '',
  sparkProperties: { 'spark.app.name': 'pi', 'spark.mesos.executor.home': '/opt/spark', ...props },
  submissionId: 'driver-20261205000000-0001',
  name: 'pi',
  cores: 1,
  mem: 512,
  supervise: false,
  submitDate: 0,
});
const ports = { driver: 31000, blockManager: 31001, ui: 31002 };

describe('driverCommand', () => {
  it('waits for the master, then submits in client mode against it, waiting for every worker to register', () => {
    const { value, uris } = driverCommand(desc({}), '127.0.0.2', ports, { host: '127.0.0.3', port: 31005 });
    expect(value).toContain('/dev/tcp/127.0.0.3/31005');
    expect(value).toContain('--master spark://127.0.0.3:31005 --deploy-mode client');
    expect(value).toContain('--conf spark.scheduler.minRegisteredResourcesRatio=1.0');
    expect(value).toContain('--conf spark.scheduler.maxRegisteredResourcesWaitingTime=120s');
    expect(uris).toEqual([{ value: 'file:///jobs/pi.py', extract: false }]);
  });

  it('keeps the registration settings a submission gives', () => {
    const { value } = driverCommand(desc({ 'spark.scheduler.minRegisteredResourcesRatio': '0.5' }), '127.0.0.2', ports, { host: '127.0.0.3', port: 31005 });
    expect(value).toContain('spark.scheduler.minRegisteredResourcesRatio=0.5');
    expect(value).not.toContain('minRegisteredResourcesRatio=1.0');
  });
});
