// Bench (not a test): sizes of the built bundles, raw and gzipped (-9), per file and per UI.
// Run after the build: npm run bench -w @mesos-ts/ui
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { uiBundleBuilt, uiBundleDir, type UiBundle } from '../src/index.js';

for (const bundle of ['cluster', 'launcher'] as UiBundle[]) {
  if (!uiBundleBuilt(bundle)) {
    console.log(`${bundle}: not built; run npx nx run @mesos-ts/ui:build`);
    continue;
  }
  const dir = uiBundleDir(bundle);
  const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => statSync(path.join(dir, f)).isFile());
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const body = readFileSync(path.join(dir, f));
    const z = gzipSync(body, { level: 9 }).length;
    raw += body.length;
    gz += z;
    console.log(`${bundle}/${f}: ${(body.length / 1024).toFixed(1)} KiB, gzip ${(z / 1024).toFixed(1)} KiB`);
  }
  console.log(`${bundle} total: ${(raw / 1024).toFixed(1)} KiB, gzip ${(gz / 1024).toFixed(1)} KiB`);
}
