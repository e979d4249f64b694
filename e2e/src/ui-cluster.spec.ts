// The web UIs in a real browser (Debian's chromium, headless) against an embedded cluster (mesos-local's
// startCluster, in-process: master, two agents, the Marathon-style launcher). One cluster for the file.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startCluster, type LocalCluster } from '@mesos-ts/cli';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './harness/ports.js';
import { haveChromium, screenshots, startBrowser, type Browser } from './ui/browser.js';

const MESOS_EXECUTE = fileURLToPath(new URL('../../packages/cli/bin/mesos-execute.js', import.meta.url));
const UI_WAIT_MS = 20_000;

describe.skipIf(!haveChromium())('web UIs in chromium (needs /usr/bin/chromium: apt-get install chromium)', () => {
  let dir: string;
  let cluster: LocalCluster;
  let browser: Browser;
  let page: Page;
  let masterUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ui-e2e-'));
    cluster = await startCluster({
      ip: '127.0.0.1', port: await freePort(), workDir: dir, numAgents: 2, resources: 'cpus:2;mem:1024;disk:1000',
      attributes: undefined, allocationInterval: '100ms', verbose: false, singleAddress: true, launcherPort: await freePort(),
    });
    masterUrl = `http://${cluster.master}`;
    browser = await startBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(UI_WAIT_MS);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('shows the overview and both agents, live from the SUBSCRIBE stream', async () => {
    await page.goto(`${masterUrl}/`);
    await expect.poll(() => page.getByTestId('stream-status').textContent(), { timeout: UI_WAIT_MS }).toContain('live');
    await expect.poll(() => page.getByTestId('agent-count').textContent(), { timeout: UI_WAIT_MS }).toBe('2');
    await screenshots(page, 'cluster-overview');
    // Keyboard: the navigation links are reachable with Tab and follow with Enter.
    await page.locator('header a[href="#/agents"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('agent-row').count(), { timeout: UI_WAIT_MS }).toBe(2);
    await screenshots(page, 'cluster-agents');
  });

  it('shows a mesos-execute task appear and finish live, and reads Hello from its sandbox', async () => {
    await page.goto(`${masterUrl}/#/tasks`);
    await expect.poll(() => page.getByTestId('stream-status').textContent(), { timeout: UI_WAIT_MS }).toContain('live');
    // Record when the row first shows each state (the page's clock, which is this machine's clock).
    // (A string: this code runs in the page, and e2e compiles without the DOM's types.)
    await page.evaluate(`(() => {
      const seen = {};
      window.seen = seen;
      new MutationObserver(() => {
        for (const cell of document.querySelectorAll('[data-task-id="ui-hello"] [data-testid="task-state"]')) {
          const s = cell.textContent ?? '';
          seen[s] ??= Date.now();
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    const run = promisify(execFile)(process.execPath, [MESOS_EXECUTE, `--master=${cluster.master}`, '--name=ui-hello', '--command=echo Hello; sleep 2', '--resources=cpus:0.1;mem:32'], { timeout: 60_000 });
    await page.locator('[data-task-id="ui-hello"] [data-testid="task-state"]', { hasText: 'TASK_RUNNING' }).waitFor();
    await screenshots(page, 'cluster-task-running');
    await page.locator('[data-task-id="ui-hello"] [data-testid="task-state"]', { hasText: 'TASK_FINISHED' }).waitFor();
    await run;
    const seen = (await page.evaluate('window.seen')) as Record<string, number>;
    const tasks = (await (await fetch(`${masterUrl}/master/tasks`)).json()) as { tasks: Array<{ id: string; statuses: Array<{ state: string; timestamp: number }> }> };
    const finished = tasks.tasks.find((t) => t.id === 'ui-hello')?.statuses.find((s) => s.state === 'TASK_FINISHED');
    expect(finished).toBeDefined();
    const delayMs = (seen.TASK_FINISHED ?? NaN) - finished!.timestamp * 1000;
    console.log(`ui: state change -> screen delay ${delayMs.toFixed(0)} ms (TASK_FINISHED at the master -> row shows it)`);
    expect(delayMs).toBeLessThan(5_000);

    await page.locator('[data-task-id="ui-hello"] a', { hasText: 'Sandbox' }).click();
    await page.getByTestId('sandbox-files').getByRole('button', { name: 'stdout' }).click();
    await expect.poll(() => page.getByTestId('file-content').textContent(), { timeout: UI_WAIT_MS }).toContain('Hello');
    await screenshots(page, 'cluster-sandbox');
  });

  it('creates an app in the launcher UI, scales it to 3 (3 running tasks in the cluster UI) and destroys it', async () => {
    const launcher = cluster.launcher?.url;
    expect(launcher, 'mesos-local started no launcher').toBeDefined();
    // Scale asks for a number and Destroy for a confirmation: answer both like an operator would.
    page.on('dialog', (d) => void (d.type() === 'prompt' ? d.accept('3') : d.accept()));
    await page.goto(`${launcher}/`);
    await page.getByRole('button', { name: '+ Create' }).click();
    await page.getByLabel('ID').fill('/ui-app');
    await page.getByLabel('CPUs').fill('0.1');
    await page.getByLabel('Memory (MiB)').fill('32');
    await page.getByLabel('Command').fill('sleep 600');
    await screenshots(page, 'launcher-create');
    await page.getByRole('button', { name: 'Create Application' }).click();
    const row = page.locator('[data-app-id="/ui-app"]');
    await expect.poll(() => row.getByTestId('app-instances').textContent(), { timeout: UI_WAIT_MS }).toBe('1 of 1');
    await expect.poll(() => row.getByTestId('app-status').textContent(), { timeout: UI_WAIT_MS }).toBe('Running');
    await screenshots(page, 'launcher-apps');

    await row.getByRole('link', { name: '/ui-app' }).click();
    await page.getByRole('button', { name: 'Scale Application' }).click();
    await page.goto(`${launcher}/#/apps`);
    await expect.poll(() => row.getByTestId('app-instances').textContent(), { timeout: UI_WAIT_MS }).toBe('3 of 3');

    const cluster3 = await browser.context.newPage();
    await cluster3.goto(`${masterUrl}/#/tasks?state=TASK_RUNNING`);
    const appRows = cluster3.locator('[data-testid="task-row"]', { hasText: 'ui-app' });
    await expect.poll(() => appRows.count(), { timeout: UI_WAIT_MS }).toBe(3);
    await screenshots(cluster3, 'cluster-app-tasks');

    await page.goto(`${launcher}/#/apps/ui-app`);
    await page.getByRole('button', { name: 'Destroy' }).click();
    await expect.poll(() => page.locator('[data-app-id="/ui-app"]').count(), { timeout: UI_WAIT_MS }).toBe(0);
    await expect.poll(() => appRows.count(), { timeout: UI_WAIT_MS }).toBe(0);
    await cluster3.close();
  });
});
