#!/usr/bin/env node
// Where a benchmark's CPU time goes: prints the functions and files with the most self time in V8 .cpuprofile
// files (written by `node --cpu-prof`), so a figure short of its target comes with the profile that explains it.
//   NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof' npx nx bench @mesos-ts/allocator
//   node tools/cpuprofile-top.mjs /tmp/prof [--top 25]
// A directory is read whole (one file per process); each process is summarised separately, largest first.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
if (args.length === 0 || args.includes('--help')) {
  process.stdout.write('Usage: node tools/cpuprofile-top.mjs <file.cpuprofile | directory>... [--top N]\n' + 'Prints self time by function and by file for each V8 CPU profile.\n');
  process.exit(args.length === 0 ? 2 : 0);
}
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 20;
const inputs = args.filter((a, i) => !a.startsWith('--') && (topAt < 0 || i !== topAt + 1));
const files = inputs.flatMap((p) => (statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(p, f)) : [p]));
if (files.length === 0) {
  process.stderr.write(`no .cpuprofile files in ${inputs.join(', ')}: run the bench with NODE_OPTIONS='--cpu-prof --cpu-prof-dir=<dir>'\n`);
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
  const self = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
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
  process.stdout.write(`${path.basename(s.file)}: ${(s.total / 1000).toFixed(0)} ms sampled\n`);
  process.stdout.write(`self time by function:\n${table(s.byFunction, s.total)}\nself time by file:\n${table(s.byFile, s.total)}\n\n`);
}
