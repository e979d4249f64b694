// Shared vitest settings: workspace packages resolve to their TypeScript sources through the
// "@mesos-ts/source" export condition, so tests never run against stale dist/ output.
import { defineConfig } from 'vitest/config';

const conditions = ['@mesos-ts/source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
