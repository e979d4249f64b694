// The UI package ships static files only; daemons import this to find them (dist/cluster, dist/launcher).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type UiBundle = 'cluster' | 'launcher';

/** Absolute directory of a built bundle (src/index.ts and dist/index.js both sit one level below the package). */
export function uiBundleDir(bundle: UiBundle): string {
  return fileURLToPath(new URL(`../dist/${bundle}/`, import.meta.url));
}

/** Whether the bundle has been built (`npx nx run @mesos-ts/ui:build`). */
export function uiBundleBuilt(bundle: UiBundle): boolean {
  return existsSync(`${uiBundleDir(bundle)}index.html`);
}
