// The cluster UI behind HA (issue 20), in headless chromium: two real mesos-master processes with --zk against
// a real ZooKeeper. A browser pointed at the standby sees which master leads and a link there, then lands on
// the leading master's UI (programs still get a 307 from the standby, for `/` as for every state and API path),
// which names itself the leader; after kill -9 of the leader the open page says it lost the event stream, and
// the standby, once elected, serves the live UI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { waitUntil } from './harness/daemons.js';
import { startZooKeeper, type ZooKeeperServer } from './harness/zookeeper.js';
import { getRaw, startMasters, waitForLeader, type HaMaster } from './ha-masters.js';
import { haveChromium, screenshots, startBrowser, type Browser } from './ui/browser.js';

const UI_WAIT_MS = 30_000;

describe.skipIf(!haveChromium())('cluster UI behind HA masters (needs /usr/bin/chromium: apt-get install chromium)', () => {
  let zk: ZooKeeperServer;
  let masters: HaMaster[] = [];
  let browser: Browser;
  let page: Page;
  let leader: HaMaster;
  let standby: HaMaster;

  beforeAll(async () => {
    zk = await startZooKeeper({ tickTimeMs: 200 });
    masters = await startMasters(`zk://${zk.connect}/mesos-ui-${process.pid}`, 2);
    leader = await waitForLeader(masters, 30_000);
    standby = masters.find((m) => m !== leader)!;
    // The standby learns the leader through its own detector, a moment after the election.
    await waitUntil(async () => (await getRaw(`http://127.0.0.1:${standby.port}/master/redirect`)).status === 307, 20_000, 'the standby to detect the leader');
    browser = await startBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(UI_WAIT_MS);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    for (const m of masters) await m.kill9();
    await zk?.stop();
  }, 60_000);

  it("shows a browser at the standby the leading master and takes it there; the leader's UI names itself", async () => {
    expect((await getRaw(`http://127.0.0.1:${standby.port}/`)).status).toBe(307);
    await page.goto(`http://127.0.0.1:${standby.port}/`);
    // The standby names the leader and links there, then follows the link itself.
    expect(new URL(page.url()).port).toBe(String(standby.port));
    await expect.poll(() => page.getByTestId('leader-link').textContent(), { timeout: UI_WAIT_MS }).toBe(`127.0.0.1:${leader.port}`);
    await screenshots(page, 'ha-standby');
    await page.waitForURL((u) => u.port === String(leader.port), { timeout: UI_WAIT_MS });
    await expect.poll(() => page.getByTestId('stream-status').textContent(), { timeout: UI_WAIT_MS }).toContain('live');
    await expect.poll(() => page.getByTestId('leader').textContent(), { timeout: UI_WAIT_MS }).toBe(`127.0.0.1:${leader.port}`);
    await screenshots(page, 'ha-leader');
  });

  it('after kill -9 of the leader, the open page says it lost the stream; the elected standby serves the live UI', async () => {
    await leader.kill9();
    await page.getByRole('alert').filter({ hasText: 'Lost the event stream' }).waitFor();
    await screenshots(page, 'ha-leader-lost');
    await waitForLeader([standby], 60_000);
    await page.goto(`http://127.0.0.1:${standby.port}/`);
    expect(new URL(page.url()).port).toBe(String(standby.port));
    await expect.poll(() => page.getByTestId('stream-status').textContent(), { timeout: UI_WAIT_MS }).toContain('live');
    await expect.poll(() => page.getByTestId('leader').textContent(), { timeout: UI_WAIT_MS }).toBe(`127.0.0.1:${standby.port}`);
    await screenshots(page, 'ha-new-leader');
  }, 120_000);
});
