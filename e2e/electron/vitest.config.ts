import { defineConfig } from 'vitest/config';

// The Electron end-to-end tests: one app at a time (they launch real windows).
export default defineConfig({
  test: {
    include: ['e2e/electron/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 90_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
