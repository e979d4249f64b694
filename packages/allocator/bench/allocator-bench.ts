// Allocation-cycle benchmark: agents × frameworks ∈ {1k, 10k, 50k} × {10, 100, 1000}, random agent sizes and
// task shapes, every framework declining half of its offers (default 5 s filter) and launching tasks from the
// other half (leftovers declined too, tasks end after 2–6 s). Prints the median full-cycle time and the heap.
// Run: npm run bench   (NODE_OPTIONS=--expose-gc so heap figures are taken after a full GC)
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { Resources } from '@mesos-ts/resources';
import { HierarchicalAllocator, mulberry32, type Offer } from '../src/index.js';
import { RefusalFilters } from '../src/filters.js';

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = (): number => {
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

// Every GC pause of the run, to tell how much of a cycle is garbage collection (entries arrive asynchronously,
// so they are matched to the cycles' time windows after the run).
const gcPauses: { start: number; end: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.push({ start: e.startTime, end: e.startTime + e.duration });
}).observe({ entryTypes: ['gc'] });
const gcWithin = (from: number, to: number): number =>
  gcPauses.reduce((sum, p) => sum + Math.max(0, Math.min(to, p.end) - Math.max(from, p.start)), 0);

interface Task {
  readonly offer: Offer;
  readonly used: Resources;
  readonly endsAt: number;
}

async function bench(agents: number, frameworks: number, cycles: number) {
  const rng = mulberry32(agents * 7919 + frameworks);
  const pick = (lo: number, hi: number): number => lo + Math.floor(rng.next() * (hi - lo + 1));
  const heapBefore = heapMb();
  const alloc = new HierarchicalAllocator({ seed: 42 });
  const shapes = new Map<string, Resources>();
  for (let f = 0; f < frameworks; f++) {
    const id = `framework-${f}`;
    // 10 roles, half of them nested under 'eng', a few weighted.
    const role = f % 10 < 5 ? `eng/team-${f % 10}` : `role-${f % 10}`;
    alloc.addFramework(id, { roles: [role] });
    shapes.set(id, Resources.parse(`cpus:${pick(1, 8) / 2};mem:${pick(1, 16) * 512}`));
  }
  alloc.updateWeights({ eng: 2, 'role-9': 3 });
  for (let a = 0; a < agents; a++) {
    alloc.addAgent(`agent-${a}`, {
      hostname: `host-${a}`,
      total: Resources.parse(`cpus:${pick(8, 64)};mem:${pick(16, 256) * 1024};disk:${pick(100, 1000) * 1024};ports:[31000-32000]`),
    });
  }
  let tasks: Task[] = [];
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const windows: [number, number][] = [];
  let offersTotal = 0;
  let now = 0;
  for (let c = 0; c < cycles; c++) {
    now += 1000;
    const running: Task[] = [];
    for (const t of tasks) {
      if (t.endsAt <= now) alloc.recoverResources(t.offer.frameworkId, t.offer.agentId, t.used, now, 0);
      else running.push(t);
    }
    tasks = running;
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const offers = alloc.allocate(now);
    const end = performance.now();
    times.push(end - start);
    windows.push([start, end]);
    const cpu = process.cpuUsage(cpuStart);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
    offersTotal += offers.length;
    for (const o of offers) {
      if (rng.next() < 0.5) {
        alloc.recoverResources(o.frameworkId, o.agentId, o.resources, now); // decline: default 5 s filter
        continue;
      }
      const shape = (shapes.get(o.frameworkId) as Resources).allocate(o.role);
      let used = Resources.empty();
      for (let n = pick(1, 4); n > 0 && o.resources.contains(used.add(shape)); n--) used = used.add(shape);
      const rest = o.resources.subtract(used);
      if (!rest.isEmpty()) alloc.recoverResources(o.frameworkId, o.agentId, rest, now); // unused part: filtered too
      if (!used.isEmpty()) tasks.push({ offer: o, used, endsAt: now + pick(2, 6) * 1000 });
    }
  }
  tasks = []; // the simulated frameworks' own records are not allocator heap
  await new Promise((r) => setTimeout(r, 50)); // let the GC observer deliver the run's entries
  const median = medianAfterFirst(times);
  const gcMs = medianAfterFirst(windows.map(([a, b]) => gcWithin(a, b)));
  const heap = heapMb() - heapBefore;
  return { first: times[0] ?? 0, median, min: Math.min(...times.slice(1)), cpu: medianAfterFirst(cpuTimes), gcMs, heap, filters: alloc.filterCount, offers: offersTotal / cycles };
}

/** Median of the steady-state cycles (the first one warms up the JIT). */
function medianAfterFirst(samples: readonly number[]): number {
  const steady = samples.slice(1).sort((x, y) => x - y);
  return steady[Math.floor(steady.length / 2)] ?? samples[0] ?? 0;
}

/** Heap per refusal filter, measured directly: N filters on distinct (framework, agent) pairs. */
function bytesPerFilter(n: number): number {
  const before = heapMb();
  const filters = new RefusalFilters();
  for (let i = 0; i < n; i++) filters.add(`framework-${i % 1000}`, `agent-${Math.floor(i / 1000)}`, 'eng/team-1', [4000, 8_192_000, 0], 5000);
  const after = heapMb();
  if (filters.size !== n) throw new Error('filter count mismatch');
  return ((after - before) * 2 ** 20) / n;
}

const pad = (s: string, n: number): string => s.padStart(n);
console.log(`allocator bench (node ${process.version}, gc ${gc ? 'exposed' : 'NOT exposed: heap figures include garbage'})`);
console.log(['agents', 'frameworks', 'cycles', 'first ms', 'median ms', 'min ms', 'cpu ms', 'gc ms', 'offers/cycle', 'filters', 'heap MB', 'B/filter*'].map((h, i) => pad(h, i < 2 ? 10 : 12)).join(' '));
// BENCH_ONLY=10000x1000 runs a single configuration (e.g. under --cpu-prof).
const only = process.env['BENCH_ONLY'];
for (const agents of [1_000, 10_000, 50_000]) {
  for (const frameworks of [10, 100, 1000]) {
    if (only !== undefined && only !== `${agents}x${frameworks}`) continue;
    // BENCH_CYCLES: more cycles for steadier figures on a busy machine.
    const cycles = Number(process.env['BENCH_CYCLES'] ?? (agents >= 50_000 ? 4 : 8));
    const r = await bench(agents, frameworks, cycles);
    const perFilter = r.filters > 0 ? (r.heap * 2 ** 20) / r.filters : NaN;
    console.log(
      [String(agents), String(frameworks)].map((s) => pad(s, 10)).join(' ') +
        ' ' +
        [String(cycles), r.first.toFixed(1), r.median.toFixed(1), r.min.toFixed(1), r.cpu.toFixed(1), r.gcMs.toFixed(1), r.offers.toFixed(0), String(r.filters), r.heap.toFixed(1), perFilter.toFixed(0)]
          .map((s) => pad(s, 12))
          .join(' '),
    );
  }
}
console.log('cpu ms = median process CPU time (user + system, all threads incl. GC) of a cycle: less sensitive to a busy machine.');
console.log('min ms = fastest steady cycle (the least disturbed by other load on a shared machine).');
console.log('gc ms = median time of a cycle spent in garbage collection pauses (part of median ms).');
console.log('heap MB = allocator heap after the run (GC first): agents, allocations, sorters and filters.');
console.log('* B/filter = that whole heap / filters held: an upper bound on the cost of one filter.');
console.log(`Refusal filter alone: ${bytesPerFilter(200_000).toFixed(0)} bytes per (framework, agent) pair (200k filters).`);
