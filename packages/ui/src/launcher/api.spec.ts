import { describe, expect, it } from 'vitest';
import { appStatus, type App } from './api.js';

const app = (over: Partial<App>): App => ({ id: '/a', cpus: 0.1, mem: 32, instances: 2, tasksRunning: 2, deployments: [], ...over });

describe('appStatus (as Marathon UI shows it)', () => {
  it.each([
    ['a deployment in progress', app({ deployments: [{ id: 'd' }], tasksRunning: 0 }), 'Deploying'],
    ['all instances running', app({}), 'Running'],
    ['short of instances, no deployment', app({ tasksRunning: 1 }), 'Waiting'],
    ['scaled to zero', app({ instances: 0, tasksRunning: 0 }), 'Suspended'],
  ])('%s', (_name, a, want) => expect(appStatus(a)).toBe(want));
});
