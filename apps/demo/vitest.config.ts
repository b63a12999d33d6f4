import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.js';

// The app's own config (virtual:demo-assets, the exporter alias) so unit tests import page
// modules as the build does. Unit tests of the page's pure parts, then the end-to-end tests in
// chromium against a built, served app (e2e/global-setup.ts), one file at a time: each drives
// a whole browser.
export default mergeConfig(viteConfig, defineConfig({
  test: {
    include: ['src/**/__tests__/*.test.ts', 'e2e/*.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
}));
