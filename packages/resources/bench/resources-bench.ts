// Micro-benchmark of the Resources hot paths the allocator uses (npm run bench).
// Prints operations per second on agent-sized resources; compare figures within one run.
import { Resources } from '../src/index.js';

const agent = Resources.parse(
  'cpus:32;mem:131072;disk:1000000;ports:[31000-32000];gpus:2;cpus(kafka):8;mem(kafka):32768;disk(kafka):200000',
);
const task = Resources.parse('cpus:0.5;mem:512;ports:[31005-31005];cpus(kafka):1;mem(kafka):1024');
const allocated = agent.subtract(task);

function bench(name: string, f: () => unknown): void {
  const budgetMs = 400;
  let ops = 0;
  let sink: unknown;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (let i = 0; i < 1000; i++) sink = f();
    ops += 1000;
    elapsed = performance.now() - start;
  }
  if (sink === undefined) throw new Error('benchmark result unused');
  console.log(`${name.padEnd(34)} ${Math.round((ops / elapsed) * 1000).toLocaleString('en-US').padStart(12)} ops/s`);
}

console.log(`agent: ${agent}`);
console.log(`task:  ${task}`);
bench('add(agent - task, task)', () => allocated.add(task));
bench('subtract(agent, task)', () => agent.subtract(task));
bench('contains(agent, task)', () => agent.contains(task));
bench('equals(agent, agent)', () => agent.equals(allocated.add(task)));
bench('allocatableTo(kafka)', () => agent.allocatableTo('kafka'));
bench('allocate(role)', () => task.allocate('kafka'));
bench('scalars()', () => agent.scalars());
bench('parse(agent text)', () => Resources.parse('cpus:32;mem:131072;disk:1000000;ports:[31000-32000]'));
