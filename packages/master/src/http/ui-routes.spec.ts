// The cluster UI's bundle at `/` and the read-only agent proxy the sandbox page uses.
import { describe, expect, it } from 'vitest';
import { uiBundleBuilt } from '@mesos-ts/ui';
import { agent, master } from '../../test/harness.js';

describe.skipIf(!uiBundleBuilt('cluster'))('cluster UI routes (needs the ui bundle: npx nx run @mesos-ts/ui:build)', () => {
  it('serves index.html at / and its hashed assets, and 404s outside the bundle', async () => {
    const m = await master();
    const index = await fetch(`${m.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    const html = await index.text();
    const asset = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(`${m.url}/${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');
    for (const p of ['/assets/missing.js', '/assets/../../package.json', '/assets/%2e%2e/%2e%2e/package.json']) expect((await fetch(`${m.url}${p}`)).status, p).toBe(404);
    const post = await fetch(`${m.url}/`, { method: 'POST' });
    expect(post.status).toBe(404);
  });

  it.each([
    ['an unknown agent', (_id: string) => '/ui/agents/nope/state', 404],
    ['a path the proxy does not serve', (id: string) => `/ui/agents/${id}/files/download?path=/etc/passwd`, 404],
  ])('the agent proxy refuses %s', async (_name, url, status) => {
    const m = await master();
    const a = await agent(m);
    expect((await fetch(`${m.url}${url(a.id as string)}`)).status).toBe(status);
  });
});
