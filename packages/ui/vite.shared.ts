// One Vite configuration for both bundles: JSX through esbuild's automatic runtime (Preact), relative asset
// URLs so the page works under any prefix, no source maps in the shipped bundle.
import { fileURLToPath } from 'node:url';
import type { UserConfig } from 'vite';

export function bundleConfig(name: 'cluster' | 'launcher'): UserConfig {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return {
    root: `${here}src/${name}`,
    base: './',
    logLevel: 'warn',
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: { outDir: `${here}dist/${name}`, emptyOutDir: true, sourcemap: false, reportCompressedSize: false },
  } as UserConfig;
}
