#!/usr/bin/env node
// Where a benchmark's CPU time goes: prints the functions and files with the most self time in V8 .cpuprofile
// files (written by `node --cpu-prof`), so a figure short of its target comes with the profile that explains it.
//   cd packages/allocator && node --expose-gc --conditions=@mesos-ts/source --cpu-prof --cpu-prof-dir=/tmp/prof \
//     --import tsx bench/allocator-bench.ts          (--cpu-prof is refused in NODE_OPTIONS)
//   node tools/cpuprofile-top.mjs /tmp/prof [--top 25] [--under runAllocation]
// A directory is read whole (one file per process); each process is summarised separately, largest first.
// --under NAME counts only samples with a function of that name on their stack (e.g. one phase of a bench;
// garbage collection is then left out: V8 attributes it to no JavaScript caller).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
if (args.length === 0 || args.includes('--help')) {
  process.stdout.write('Usage: node tools/cpuprofile-top.mjs <file.cpuprofile | directory>... [--top N] [--under FUNCTION]\n' + 'Prints self time by function and by file for each V8 CPU profile.\n');
  process.exit(args.length === 0 ? 2 : 0);
}
const option = (name) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : undefined);
const top = Number(option('--top') ?? 20);
const under = option('--under');
const inputs = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const missing = inputs.filter((p) => !existsSync(p));
if (missing.length > 0) {
  process.stderr.write(`no such file or directory: ${missing.join(', ')}\n`);
  process.exit(2);
}
const files = inputs.flatMap((p) => (statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(p, f)) : [p]));
if (files.length === 0) {
  process.stderr.write(`no .cpuprofile files in ${inputs.join(', ')}: run the bench with node --cpu-prof --cpu-prof-dir=<dir>\n`);
  process.exit(1);
}

/** Shortens a script URL to its repo-relative path (or the package name inside node_modules). */
function where(url) {
  if (url === '') return '(native)';
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('/node_modules/');
  if (nm >= 0) return clean.slice(nm + 14);
  const repo = clean.indexOf('/packages/') >= 0 ? clean.indexOf('/packages/') : clean.indexOf('/frameworks/');
  return repo >= 0 ? clean.slice(repo + 1) : clean.replace(/^node:/, 'node:');
}

function summarise(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map(profile.nodes.flatMap((n) => (n.children ?? []).map((c) => [c, n.id])));
  const inScope = (id) => {
    if (under === undefined) return true;
    for (let at = id; at !== undefined; at = parent.get(at)) if (byId.get(at).callFrame.functionName === under) return true;
    return false;
  };
  const self = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    if (!inScope(profile.samples[i])) continue;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
    total += dt;
  }
  const byFunction = new Map();
  const byFile = new Map();
  for (const [id, us] of self) {
    const f = byId.get(id).callFrame;
    const file = where(f.url);
    const fn = `${f.functionName || '(anonymous)'}  ${file}${f.url === '' ? '' : `:${f.lineNumber + 1}`}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  return { file, total, byFunction, byFile };
}

const table = (map, total) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => `  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`)
    .join('\n');

for (const s of files.map(summarise).sort((a, b) => b.total - a.total)) {
  if (s.total === 0) continue;
  process.stdout.write(`${path.basename(s.file)}: ${(s.total / 1000).toFixed(0)} ms sampled${under === undefined ? '' : ` under ${under}`}\n`);
  process.stdout.write(`self time by function:\n${table(s.byFunction, s.total)}\nself time by file:\n${table(s.byFile, s.total)}\n\n`);
}
