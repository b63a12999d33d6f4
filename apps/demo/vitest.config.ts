import { defineConfig } from 'vitest/config';

// Unit tests of the page's pure parts, then the end-to-end tests in chromium against a built,
// served app (e2e/global-setup.ts). One file at a time: each drives a whole browser.
export default defineConfig({
  test: {
    include: ['src/**/__tests__/*.test.ts', 'e2e/*.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
