// The web UIs in a real browser (Debian's chromium, headless) against an embedded cluster (mesos-local's
// startCluster, what `npm start` runs, in-process: master, two agents, the Marathon-style launcher). One cluster
// for the file. Every page is reached with the keyboard, shot at 1280x800 and at phone width (e2e/artifacts/,
// not committed) and must not need a sideways scroll at phone width; the browser may fetch nothing but the
// cluster's own addresses (no CDN).
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
import { haveChromium, phoneOverflow, screenshots, startBrowser, tabTo, type Browser } from './ui/browser.js';

const MESOS_EXECUTE = fileURLToPath(new URL('../../packages/cli/bin/mesos-execute.js', import.meta.url));
const UI_WAIT_MS = 20_000;
/** Restart replaces the tasks (new ones healthy first): slower on a loaded machine. */
const DEPLOY_WAIT_MS = 90_000;

/** Screenshots at both widths, and the page fits a phone-width window. */
async function shoot(page: Page, name: string): Promise<void> {
  await screenshots(page, name);
  expect(await phoneOverflow(page), `${name}: wider than a phone-width window`).toBe(0);
}

describe.skipIf(!haveChromium())('web UIs in chromium (needs /usr/bin/chromium: apt-get install chromium)', () => {
  let dir: string;
  let cluster: LocalCluster;
  let browser: Browser;
  let page: Page;
  let masterUrl: string;
  const foreign: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ui-e2e-'));
    cluster = await startCluster({
      ip: '127.0.0.1', port: await freePort(), workDir: dir, numAgents: 2, resources: 'cpus:2;mem:1024;disk:1000',
      attributes: undefined, allocationInterval: '100ms', verbose: false, singleAddress: true, launcherPort: await freePort(),
    });
    masterUrl = `http://${cluster.master}`;
    browser = await startBrowser();
    browser.context.on('request', (r) => {
      if (new URL(r.url()).hostname !== '127.0.0.1') foreign.push(r.url());
    });
    page = await browser.context.newPage();
    page.setDefaultTimeout(UI_WAIT_MS);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('shows the overview and both agents, live from the SUBSCRIBE stream; every page by keyboard', async () => {
    await page.goto(`${masterUrl}/`);
    await expect.poll(() => page.getByTestId('stream-status').textContent(), { timeout: UI_WAIT_MS }).toContain('live');
    await expect.poll(() => page.getByTestId('agent-count').textContent(), { timeout: UI_WAIT_MS }).toBe('2');
    await expect.poll(() => page.getByTestId('leader').textContent(), { timeout: UI_WAIT_MS }).toBe(cluster.master);
    await shoot(page, 'cluster-overview');
    // Keyboard only, in the navigation's order: Tab to each page's link, Enter follows it.
    await tabTo(page, 'header a[href="#/frameworks"]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('section table tbody tr', { hasText: 'marathon' }).count(), { timeout: UI_WAIT_MS }).toBe(1);
    await shoot(page, 'cluster-frameworks');
    await tabTo(page, 'header a[href="#/agents"]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('agent-row').count(), { timeout: UI_WAIT_MS }).toBe(2);
    await shoot(page, 'cluster-agents');
    await tabTo(page, 'header a[href="#/tasks"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('tasks-table').waitFor();
    // Sortable by keyboard: Enter on the sorted column's header turns ascending into descending.
    await tabTo(page, '[data-testid="tasks-table"] th button');
    expect(await page.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('ascending');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('descending');
    await shoot(page, 'cluster-tasks');
    await tabTo(page, 'header a[href="#/roles"]', 'Shift+Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('section table tbody tr').count(), { timeout: UI_WAIT_MS }).toBeGreaterThan(0);
    expect(await page.locator('.banner.error').allTextContents()).toEqual([]);
    await shoot(page, 'cluster-roles');
    // A window that starts now for a machine with no agent: the machine is draining at once.
    const schedule = (windows: unknown[]) => fetch(`${masterUrl}/maintenance/schedule`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ windows }) });
    const start = { nanoseconds: Date.now() * 1e6 };
    expect((await schedule([{ machine_ids: [{ hostname: 'maint.ui.test', ip: '127.0.0.99' }], unavailability: { start, duration: { nanoseconds: 3600e9 } } }])).status).toBe(200);
    await tabTo(page, 'header a[href="#/maintenance"]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('maintenance-windows').textContent(), { timeout: UI_WAIT_MS }).toContain('maint.ui.test from ');
    await expect.poll(() => page.getByTestId('draining').textContent(), { timeout: UI_WAIT_MS }).toBe('maint.ui.test');
    expect(await page.locator('.banner.error').allTextContents()).toEqual([]);
    await shoot(page, 'cluster-maintenance');
    expect((await schedule([])).status).toBe(200);
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
    await shoot(page, 'cluster-task-running');
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
    await shoot(page, 'cluster-sandbox');
  });

  it('creates an app in the launcher UI (form, then JSON mode), scales it to 3 (3 running tasks in the cluster UI), restarts, suspends and destroys it', async () => {
    const launcher = cluster.launcher?.url;
    expect(launcher, 'mesos-local started no launcher').toBeDefined();
    // Scale asks for a number, the other actions for a confirmation: answer them like an operator would.
    const asked: string[] = [];
    page.on('dialog', (d) => {
      asked.push(`${d.type()}: ${d.message()}`);
      void (d.type() === 'prompt' ? d.accept('3') : d.accept());
    });
    await page.goto(`${launcher}/`);
    // Keyboard: Enter on + Create opens the form, Escape closes it.
    await tabTo(page, 'button.primary');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog').count()).toBe(0);
    await page.keyboard.press('Enter');
    await page.getByLabel('ID').fill('/ui-app');
    await page.getByLabel('CPUs').fill('0.1');
    await page.getByLabel('Memory (MiB)').fill('32');
    await page.getByLabel('Command').fill('sleep 600');
    await shoot(page, 'launcher-create');
    // JSON mode starts from the form's values; add what the form has no field for (a health check).
    await page.getByRole('button', { name: 'JSON mode' }).click();
    const json = page.getByLabel('JSON', { exact: true });
    const fromForm = JSON.parse(await json.inputValue()) as Record<string, unknown>;
    expect(fromForm).toEqual({ id: '/ui-app', cmd: 'sleep 600', cpus: 0.1, mem: 32, disk: 0, instances: 1 });
    await json.fill(JSON.stringify({ ...fromForm, healthChecks: [{ protocol: 'COMMAND', command: { value: 'true' }, gracePeriodSeconds: 60, intervalSeconds: 1 }] }));
    await shoot(page, 'launcher-create-json');
    await page.getByRole('button', { name: 'Create Application' }).click();
    const row = page.locator('[data-app-id="/ui-app"]');
    await expect.poll(() => row.getByTestId('app-instances').textContent(), { timeout: UI_WAIT_MS }).toBe('1 of 1');
    await expect.poll(() => row.getByTestId('app-status').textContent(), { timeout: UI_WAIT_MS }).toBe('Running');
    await expect.poll(() => row.textContent(), { timeout: UI_WAIT_MS }).toContain('1 healthy, 0 unhealthy');
    await shoot(page, 'launcher-apps');

    await row.getByRole('link', { name: '/ui-app' }).click();
    await page.getByRole('button', { name: 'Scale Application' }).click();
    // The app page: 3 tasks, each with its health check's result.
    const appTasks = page.getByTestId('app-tasks').locator('tbody tr');
    await expect.poll(() => appTasks.count(), { timeout: UI_WAIT_MS }).toBe(3);
    await expect.poll(() => page.getByTestId('app-tasks').locator('td.healthy').count(), { timeout: UI_WAIT_MS }).toBe(3);
    await shoot(page, 'launcher-app');
    await page.goto(`${launcher}/#/apps`);
    await expect.poll(() => row.getByTestId('app-instances').textContent(), { timeout: UI_WAIT_MS }).toBe('3 of 3');

    const cluster3 = await browser.context.newPage();
    await cluster3.goto(`${masterUrl}/#/tasks?state=TASK_RUNNING`);
    const appRows = cluster3.locator('[data-testid="task-row"]', { hasText: 'ui-app' });
    await expect.poll(() => appRows.count(), { timeout: UI_WAIT_MS }).toBe(3);
    await shoot(cluster3, 'cluster-app-tasks');
    // The overview's allocation chart (a sample every 2 s while the page is open) rises above zero: y < 100.
    await cluster3.goto(`${masterUrl}/#/overview`);
    await expect.poll(async () => {
      const points = (await cluster3.locator('svg.chart polyline').getAttribute('points')) ?? '';
      return points.split(' ').some((p) => Number(p.split(',')[1]) < 100);
    }, { timeout: UI_WAIT_MS }).toBe(true);
    await shoot(cluster3, 'cluster-overview-allocated');
    await cluster3.goto(`${masterUrl}/#/tasks?state=TASK_RUNNING`);

    // Restart: three new tasks replace the old ones (the deployment shows on the deployments page meanwhile).
    await page.goto(`${launcher}/#/apps/ui-app`);
    await expect.poll(() => appTasks.count(), { timeout: UI_WAIT_MS }).toBe(3);
    const before = await page.getByTestId('app-tasks').locator('tbody tr td:first-child').allTextContents();
    await page.getByRole('button', { name: 'Restart' }).click();
    await page.goto(`${launcher}/#/deployments`);
    await page.getByRole('heading', { name: 'Deployments' }).waitFor();
    await shoot(page, 'launcher-deployments');
    await page.goto(`${launcher}/#/apps/ui-app`);
    await expect.poll(async () => {
      const ids = await page.getByTestId('app-tasks').locator('tbody tr td:first-child').allTextContents();
      const status = await page.getByTestId('app-status').textContent();
      return ids.length === 3 && ids.every((id) => !before.includes(id)) && status === 'Running';
    }, { timeout: DEPLOY_WAIT_MS }).toBe(true);

    // Suspend: scaled to 0, no task of the app runs in the cluster.
    await page.getByRole('button', { name: 'Suspend' }).click();
    await expect.poll(() => page.getByTestId('app-status').textContent(), { timeout: UI_WAIT_MS }).toBe('Suspended');
    await expect.poll(() => appRows.count(), { timeout: UI_WAIT_MS }).toBe(0);

    await page.getByRole('button', { name: 'Destroy' }).click();
    await expect.poll(() => page.locator('[data-app-id="/ui-app"]').count(), { timeout: UI_WAIT_MS }).toBe(0);
    await expect.poll(() => page.getByText('No applications yet').count(), { timeout: UI_WAIT_MS }).toBe(1);
    // Each action asked first: Scale for the count, the others for a confirmation.
    expect(asked).toEqual([
      'prompt: Scale /ui-app to how many instances?',
      'confirm: Restart /ui-app?',
      'confirm: Suspend /ui-app (scale to 0)?',
      'confirm: Destroy /ui-app? This kills its tasks and deletes the app.',
    ]);
    await cluster3.close();
  }, 240_000);

  it('fetched nothing but the cluster\'s own addresses (no CDN)', () => {
    expect(foreign).toEqual([]);
  });
});
