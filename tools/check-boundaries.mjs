#!/usr/bin/env node
// Lint: enforces DESIGN.md's import table, public-API-only imports, purity of pure packages, and no cycles,
// over every workspace package. Exit 1 with one line per violation. Run from anywhere: `node tools/check-boundaries.mjs`.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkWorkspace } from './boundaries.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const SOURCE = /\.(ts|mts|js|mjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'generated', 'fixtures', '.nx']);

function sources(dir, base = dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return SKIP_DIRS.has(name) ? [] : sources(path, base);
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [relative(base, path)] : [];
  });
}

function workspacePackages() {
  const dirs = [];
  for (const group of ['packages', 'frameworks']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const name of readdirSync(groupDir)) {
      if (existsSync(join(groupDir, name, 'package.json'))) dirs.push([group === 'packages' ? name : `frameworks/${name}`, join(groupDir, name)]);
    }
  }
  if (existsSync(join(root, 'e2e', 'package.json'))) dirs.push(['e2e', join(root, 'e2e')]);
  const names = new Map(dirs.map(([name, dir]) => [JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name, name]));
  return new Map(dirs.map(([name, dir]) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const declared = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
    const files = new Map(sources(dir).map((f) => [f.split('\\').join('/'), readFileSync(join(dir, f), 'utf8')]));
    return [name, { files, dependencies: declared.filter((d) => names.has(d)).map((d) => names.get(d)) }];
  }));
}

const violations = checkWorkspace(workspacePackages());
for (const v of violations) {
  const where = v.file ? `${v.pkg}/${v.file}${v.line ? `:${v.line}` : ''}` : v.pkg;
  console.error(`${where}: ${v.message}`);
}
if (violations.length > 0) {
  console.error(`\ncheck-boundaries: ${violations.length} violation(s) of DESIGN.md's architecture rules`);
  process.exit(1);
}
