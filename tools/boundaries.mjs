// Pure rules for the workspace's architecture (docs/architecture.md "Allowed imports"):
// which package may import which, public API only, pure packages stay pure, and no import cycles.
// Input is plain data (packages with their files' text); output is a list of violations. No I/O here.

/** DESIGN.md's import table: package name (without scope) -> packages it may import. '*' = anything. */
export const ALLOWED = {
  proto: [],
  common: [],
  wire: ['proto', 'common'],
  resources: ['proto', 'common'],
  allocator: ['resources', 'proto', 'common'],
  master: ['allocator', 'resources', 'wire', 'proto', 'ui', 'common'],
  agent: ['resources', 'wire', 'proto', 'common'],
  scheduler: ['wire', 'resources', 'proto', 'common'],
  executor: ['wire', 'resources', 'proto', 'common'],
  'framework-kit': ['scheduler', 'executor', 'resources', 'wire', 'proto', 'common'],
  cli: ['wire', 'resources', 'proto', 'common'],
  ui: [],
  e2e: ['*'],
};
const FRAMEWORK_DEPS = ['framework-kit', 'scheduler', 'executor', 'resources', 'wire', 'proto', 'common'];
/** `mesos-local` runs master and agents in-process (DESIGN.md), so only that entry point of cli may import them. */
const CLI_IN_PROCESS = { pattern: /^src\/mesos-local\//, extra: ['master', 'agent', 'frameworks/marathon'] };

const SCOPE = '@mesos-ts/';
const PUBLIC_SUBPATHS = new Set(['', '/testing']);

/** Node built-ins a pure package must not touch (sockets, files, timers, processes, clocks). */
const IMPURE_MODULES = /^(node:)?(fs|fs\/promises|net|http|https|http2|dgram|dns|child_process|cluster|timers|timers\/promises|worker_threads|os|process|readline|tls|perf_hooks)$/;
const IMPURE_CALLS = [
  ['Date.now()', /\bDate\.now\s*\(/],
  ['new Date()', /\bnew Date\s*\(\s*\)/],
  ['setTimeout()', /\bsetTimeout\s*\(/],
  ['setInterval()', /\bsetInterval\s*\(/],
  ['setImmediate()', /\bsetImmediate\s*\(/],
  ['Math.random()', /\bMath\.random\s*\(/],
  ['performance.now()', /\bperformance\.now\s*\(/],
];

export function allowedFor(pkg) {
  // The launcher serves the launcher UI's static bundle, so it may locate it through @mesos-ts/ui.
  if (pkg === 'frameworks/marathon') return [...FRAMEWORK_DEPS, 'ui'];
  if (pkg.startsWith('frameworks/')) return FRAMEWORK_DEPS;
  return ALLOWED[pkg];
}

/** Pure code (DESIGN.md): resources, allocator, and every framework's src/domain. */
export function isPureFile(pkg, file) {
  if (/\.spec\.ts$/.test(file) || file.startsWith('bench/') || file.startsWith('test/') || file.startsWith('src/testing/')) return false;
  if (pkg === 'resources' || pkg === 'allocator') return file.startsWith('src/');
  return pkg.startsWith('frameworks/') && file.startsWith('src/domain/');
}

/** Import specifiers of a TypeScript/JavaScript source, with their 1-based line numbers. */
export function importsOf(text) {
  const found = [];
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\sfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) found.push({ spec: m[1], line: text.slice(0, m.index).split('\n').length });
  }
  return found;
}

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

/**
 * @param packages Map name -> { files: Map<relativePath, text>, dependencies: string[] } where name is e.g. 'wire'
 *                 or 'frameworks/kafka' and dependencies are the workspace packages its package.json declares.
 * @returns violations: { pkg, file?, line?, message }
 */
export function checkWorkspace(packages) {
  const violations = [];
  const edges = new Map();
  const byScopedName = new Map([...packages.keys()].map((name) => [SCOPE + name.split('/').pop(), name]));
  for (const [pkg, { files, dependencies }] of packages) {
    const allowed = allowedFor(pkg);
    if (!allowed) {
      violations.push({ pkg, message: `package '${pkg}' is not in DESIGN.md's import table; add it to tools/boundaries.mjs ALLOWED` });
      continue;
    }
    const uses = new Set();
    for (const [file, text] of files) {
      const extra = pkg === 'cli' && CLI_IN_PROCESS.pattern.test(file) ? CLI_IN_PROCESS.extra : [];
      for (const { spec, line } of importsOf(stripComments(text))) {
        const at = { pkg, file, line };
        if (spec.startsWith(SCOPE)) {
          const [, name, sub = ''] = /^@mesos-ts\/([^/]+)(\/.*)?$/.exec(spec) ?? [];
          const target = byScopedName.get(SCOPE + name);
          if (!target) { violations.push({ ...at, message: `imports unknown workspace package '${spec}'` }); continue; }
          if (target === pkg) { violations.push({ ...at, message: `imports itself through '${spec}'; use a relative import` }); continue; }
          if (!PUBLIC_SUBPATHS.has(sub)) violations.push({ ...at, message: `deep import '${spec}': import the package's public API ('${SCOPE}${name}' or '${SCOPE}${name}/testing')` });
          if (!allowed.includes('*') && !allowed.includes(target) && !extra.includes(target)) {
            violations.push({ ...at, message: `'${pkg}' may not import '${target}' (allowed: ${allowed.join(', ') || 'nothing'}) — see DESIGN.md "Allowed imports"` });
          }
          if (!dependencies.includes(target)) violations.push({ ...at, message: `imports '${spec}' but its package.json does not list it in dependencies` });
          uses.add(target);
        } else if (spec.startsWith('.') && /(^|\/)\.\.\/\.\.\/(packages|frameworks|e2e)\//.test(spec)) {
          violations.push({ ...at, message: `relative import '${spec}' reaches into another package; import its public API instead` });
        } else if (isPureFile(pkg, file) && IMPURE_MODULES.test(spec)) {
          violations.push({ ...at, message: `pure code may not import '${spec}' (no sockets, files, timers or clocks: pass them in)` });
        }
      }
      if (isPureFile(pkg, file)) {
        stripComments(text).split('\n').forEach((lineText, i) => {
          const bad = IMPURE_CALLS.find(([, re]) => re.test(lineText));
          if (bad) violations.push({ pkg, file, line: i + 1, message: `pure code may not call ${bad[0]}: take time and randomness as parameters` });
        });
      }
    }
    edges.set(pkg, new Set([...uses, ...dependencies.filter((d) => packages.has(d))]));
    violations.push(...fileCycles(pkg, files));
  }
  violations.push(...packageCycles(edges));
  return violations;
}

/** Cycles in the package graph (edges from imports and declared dependencies). */
export function packageCycles(edges) {
  return findCycles(edges).map((cycle) => ({ pkg: cycle[0], message: `package dependency cycle: ${cycle.join(' -> ')}` }));
}

/** Cycles between files of one package through relative imports (`./x.js` resolves to `./x.ts`). */
function fileCycles(pkg, files) {
  const edges = new Map();
  for (const [file, text] of files) {
    const targets = new Set();
    for (const { spec } of importsOf(stripComments(text))) {
      if (!spec.startsWith('.')) continue;
      const resolved = resolveRelative(file, spec);
      const candidates = [resolved.replace(/\.js$/, '.ts'), resolved, `${resolved}.ts`, `${resolved}/index.ts`];
      const hit = candidates.find((c) => files.has(c));
      if (hit) targets.add(hit);
    }
    edges.set(file, targets);
  }
  return findCycles(edges).map((cycle) => ({ pkg, file: cycle[0], message: `import cycle between files: ${cycle.join(' -> ')}` }));
}

function resolveRelative(from, spec) {
  const parts = from.split('/').slice(0, -1);
  for (const seg of spec.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

/** Every elementary cycle found by a DFS (each reported once, starting at its smallest member). */
export function findCycles(edges) {
  const cycles = new Map();
  const state = new Map(); // node -> 'active' | 'done'
  const stack = [];
  const visit = (node) => {
    state.set(node, 'active');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'active') {
        const cycle = stack.slice(stack.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0]);
        const canonical = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(canonical.join('>'), [...canonical, canonical[0]]);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return [...cycles.values()];
}
