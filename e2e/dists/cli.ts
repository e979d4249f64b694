// The dists tool's command line: npx tsx e2e/dists/cli.ts <ensure|verify|list> [product[@version] ...]
import { existsSync } from 'node:fs';
import path from 'node:path';
import { cacheRoot, ensureDistribution, listCached, recipeFor, RECIPES, verify } from './index.js';
import { missingPrerequisites } from './registries.js';

const HELP = `Usage: npx tsx e2e/dists/cli.ts <command> [product[@version] ...]

Assembles real product distributions from package registries (Maven Central, PyPI), laid out like the
upstream tarballs, smoke-starts each once, and caches them in ${cacheRoot()}
(MESOS_TS_DIST_CACHE overrides). Without products, a command applies to every product at every version.

Commands:
  ensure    assemble what is missing (cached entries are verified against their manifest), print paths
  verify    check cached entries against their manifests and smoke-start them again
  list      show products, versions, and what is cached

Products: ${Object.values(RECIPES).map((r) => `${r.product} (${r.versions.join(', ')}; default ${r.defaultVersion})`).join('; ')}

Exit codes: 0 done, 1 an assembly, check or smoke start failed, 2 bad command line, 3 a prerequisite is missing.
`;

interface Target {
  product: string;
  version: string;
}

function targets(args: string[]): Target[] {
  if (args.length === 0) return Object.values(RECIPES).flatMap((r) => r.versions.map((version) => ({ product: r.product, version })));
  return args.map((a) => {
    const [product, version] = a.split('@');
    const recipe = recipeFor(product!);
    return { product: recipe.product, version: version ?? recipe.defaultVersion };
  });
}

const log = (m: string): void => void process.stderr.write(`[dists] ${m}\n`);

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) {
    process.stdout.write(HELP);
    return argv.length === 0 ? 2 : 0;
  }
  const [command, ...rest] = argv;
  let list: Target[];
  try {
    list = targets(rest);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  if (command === 'list') {
    const cached = listCached();
    for (const r of Object.values(RECIPES)) {
      for (const v of r.versions) {
        const c = cached.find((x) => x.product === r.product && x.version === v);
        console.log(`${`${r.product}@${v}`.padEnd(20)} ${c ? `cached  ${c.sizeMiB.toFixed(0).padStart(5)} MiB  assembled in ${c.assembleSeconds.toFixed(0)} s` : 'not cached'}`);
      }
    }
    return 0;
  }
  if (command !== 'ensure' && command !== 'verify') {
    process.stderr.write(`unknown command '${command}'; run with --help\n`);
    return 2;
  }
  if (command === 'ensure') {
    const missing = missingPrerequisites();
    const needsAssembly = list.some((t) => !existsSync(path.join(cacheRoot(), `${t.product}-${t.version}`)));
    if (missing.length > 0 && needsAssembly) {
      process.stderr.write(`cannot assemble distributions: missing ${missing.join(', ')}\n`);
      return 3;
    }
  }
  let failed = 0;
  for (const t of list) {
    const started = Date.now();
    try {
      if (command === 'verify') {
        const entry = path.join(cacheRoot(), `${t.product}-${t.version}`);
        const problem = existsSync(entry) ? await verify(entry, recipeFor(t.product).revision) : 'not cached (run ensure)';
        if (problem !== undefined) throw new Error(problem);
      }
      const d = await ensureDistribution(t.product, t.version, { smoke: command === 'verify', log });
      console.log(`${`${t.product}@${t.version}`.padEnd(20)} ${d.tarball}  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (e) {
      failed++;
      process.stderr.write(`${t.product}@${t.version}: ${(e as Error).message}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
