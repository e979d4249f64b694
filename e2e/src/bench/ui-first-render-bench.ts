// Bench (not a test): first render of the cluster UI's overview with 1,000 tasks in the cluster, in headless
// chromium against an embedded cluster (one agent, 1,000 `true` tasks that ran to TASK_FINISHED), and the
// size of the SUBSCRIBED snapshot the page reads. Prints medians over RUNS page loads.
// Run: npm run bench:ui -w @mesos-ts/e2e
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCluster } from '@mesos-ts/cli';
import { freePort } from '../harness/ports.js';
import { startBrowser } from '../ui/browser.js';
import { SdkBatchRunner } from './sdk-batch.js';

const TASKS = Number(process.env.UI_BENCH_TASKS ?? 1000);
const RUNS = 5;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const dir = mkdtempSync(path.join(os.tmpdir(), 'ui-bench-'));
const cluster = await startCluster({ ip: '127.0.0.1', port: await freePort(), workDir: dir, numAgents: 1, resources: 'cpus:8;mem:65536;disk:1000', attributes: undefined, allocationInterval: '50ms', verbose: false, singleAddress: true });
const runner = new SdkBatchRunner(cluster.master, 0.1);
const browser = await startBrowser();
try {
  await runner.start();
  const batch = await runner.run(TASKS, 'true');
  console.log(`launched and finished ${TASKS} tasks in ${(batch.doneMs / 1000).toFixed(1)} s`);
  const page = await browser.context.newPage();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await page.goto(`http://${cluster.master}/#/overview`);
    // From navigation start to the overview showing every task (snapshot read, parsed and rendered).
    const handle = await page.waitForFunction(`document.querySelector('[data-testid="task-count"]')?.textContent === '${TASKS}' && performance.now()`, undefined, { timeout: 60_000, polling: 'raf' });
    times.push(Number(await handle.jsonValue()));
  }
  console.log(`first render of the overview with ${TASKS} tasks: median ${median(times).toFixed(0)} ms (runs: ${times.map((t) => t.toFixed(0)).join(', ')})`);
  await page.goto(`http://${cluster.master}/#/tasks`);
  const t0 = Date.now();
  await page.waitForFunction(`document.querySelectorAll('[data-testid="task-row"]').length === ${TASKS}`, undefined, { timeout: 60_000 });
  console.log(`tasks page with ${TASKS} rows rendered in ${Date.now() - t0} ms after navigation`);
} finally {
  await browser.close();
  await runner.stop().catch(() => undefined);
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
