import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Builds the CLI bundle once, before any test spawns bin/pullpath.js (which would otherwise build it in each
    // of several parallel first runs).
    globalSetup: ['test/global-setup.ts'],
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real servers on loopback; two cores, so keep the pool small.
    maxWorkers: 2,
  },
});
