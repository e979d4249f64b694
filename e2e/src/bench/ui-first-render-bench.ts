// Bench (not a test): the cluster UI in headless chromium against an embedded cluster (one agent) with 1,000
// `true` tasks that ran to TASK_FINISHED: first render of the overview (median over RUNS page loads), the tasks
// page with every row, and the delay from a task's state change to the screen (DELAY_TASKS more tasks launched
// one at a time while the tasks page is open). Each figure is printed with the machine's load average.
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
const DELAY_TASKS = Number(process.env.UI_BENCH_DELAY_TASKS ?? 10);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const load = (): string => `load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores`;

/** A step that takes longer than `ms` fails the bench (and its cleanup still runs) instead of hanging it. */
function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms / 1000} s`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'ui-bench-'));
const cluster = await startCluster({ ip: '127.0.0.1', port: await freePort(), workDir: dir, numAgents: 1, resources: 'cpus:8;mem:65536;disk:1000', attributes: undefined, allocationInterval: '50ms', verbose: false, singleAddress: true });
const runner = new SdkBatchRunner(cluster.master, 0.1);
const browser = await startBrowser();
try {
  await within(60_000, 'the bench framework subscribing', runner.start());
  const batch = await within(600_000, `${TASKS} tasks`, runner.run(TASKS, 'true'));
  console.log(`launched and finished ${TASKS} tasks in ${(batch.doneMs / 1000).toFixed(1)} s`);
  const page = await browser.context.newPage();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await page.goto(`http://${cluster.master}/#/overview`);
    // From navigation start to the overview showing every task (snapshot read, parsed and rendered).
    const handle = await page.waitForFunction(`document.querySelector('[data-testid="task-count"]')?.textContent === '${TASKS}' && performance.now()`, undefined, { timeout: 60_000, polling: 'raf' });
    times.push(Number(await handle.jsonValue()));
  }
  console.log(`first render of the overview with ${TASKS} tasks: median ${median(times).toFixed(0)} ms (runs: ${times.map((t) => t.toFixed(0)).join(', ')}; ${load()})`);
  await page.goto(`http://${cluster.master}/#/tasks`);
  const t0 = Date.now();
  await page.waitForFunction(`document.querySelectorAll('[data-testid="task-row"]').length === ${TASKS}`, undefined, { timeout: 60_000 });
  console.log(`tasks page with ${TASKS} rows rendered in ${Date.now() - t0} ms after navigation (${load()})`);

  // State change -> screen: the page notes (at the next animation frame after a DOM change, i.e. when the
  // frame is painted) when each probe task's row first shows each state; the master's task statuses carry
  // the time each state was reached (the executor's timestamp, same machine, same clock).
  await page.evaluate(`(() => {
    const seen = {};
    window.seen = seen;
    new MutationObserver(() => requestAnimationFrame(() => {
      const now = Date.now();
      for (const row of document.querySelectorAll('[data-task-id$="-0"]:not([data-task-id^="b0-"])')) {
        const key = row.dataset.taskId + ' ' + (row.querySelector('[data-testid="task-state"]')?.textContent ?? '');
        seen[key] ??= now;
      }
    })).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  // One-task batches b1-0, b2-0, …: one at a time, each a short sleep so RUNNING and FINISHED are apart (a batch
  // fails when its task ends otherwise than FINISHED).
  for (let i = 0; i < DELAY_TASKS; i++) await within(120_000, `probe task ${i + 1}`, runner.run(1, 'sleep 0.2'));
  // Let the last update reach the page, then read every probe's statuses from the master.
  await page.waitForFunction(`Object.keys(window.seen).filter((k) => k.endsWith(' TASK_FINISHED')).length >= ${DELAY_TASKS}`, undefined, { timeout: 60_000 });
  const seen = (await page.evaluate('window.seen')) as Record<string, number>;
  const tasks = (await (await fetch(`http://${cluster.master}/master/tasks?limit=${TASKS + DELAY_TASKS + 10}`)).json()) as { tasks: Array<{ id: string; statuses: Array<{ state: string; timestamp: number }> }> };
  const delays: Record<string, number[]> = { TASK_RUNNING: [], TASK_FINISHED: [] };
  for (const t of tasks.tasks.filter((x) => /^b[1-9]\d*-0$/.test(x.id))) {
    for (const s of t.statuses) {
      const at = seen[`${t.id} ${s.state}`];
      if (at !== undefined && delays[s.state]) delays[s.state]!.push(at - s.timestamp * 1000);
    }
  }
  for (const [state, ds] of Object.entries(delays)) {
    console.log(`state change -> screen (${state}, ${ds.length} tasks, tasks page with ${TASKS}+ rows): median ${median(ds).toFixed(0)} ms, max ${Math.max(...ds).toFixed(0)} ms (${load()})`);
  }
} finally {
  await browser.close();
  await runner.stop().catch(() => undefined);
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
