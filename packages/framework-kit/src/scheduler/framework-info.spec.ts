// The FrameworkInfo and subscription options every framework subscribes with.
import { describe, expect, it } from 'vitest';
import { frameworkInfo, subscriptionOptions } from './framework-info.js';

const base = { user: 'u', name: 'kafka', role: 'kafka', failoverTimeoutSecs: 60 };

describe('frameworkInfo', () => {
  it('one role, checkpointing, MULTI_ROLE; principal and web UI only when given', () => {
    expect(frameworkInfo(base)).toEqual({ user: 'u', name: 'kafka', roles: ['kafka'], failover_timeout: 60, checkpoint: true, capabilities: [{ type: 'MULTI_ROLE' }] });
    expect(frameworkInfo({ ...base, principal: 'p', webuiUrl: 'http://h:1' })).toMatchObject({ principal: 'p', webui_url: 'http://h:1' });
  });
});

describe('subscriptionOptions', () => {
  it('fails over to a stored id and carries a credential only with principal and secret', () => {
    expect(subscriptionOptions(base, undefined)).toEqual({ framework: frameworkInfo(base) });
    expect(subscriptionOptions({ ...base, principal: 'p' }, 'fw-1')).toEqual({ framework: frameworkInfo({ ...base, principal: 'p' }), frameworkId: 'fw-1' });
    expect(subscriptionOptions({ ...base, principal: 'p', secret: 's' }, undefined).credential).toEqual({ principal: 'p', secret: 's' });
  });
});
