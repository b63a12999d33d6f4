import { defineConfig } from 'vitest/config';

// Some tests build full-size models (ResNet-152: 60M weights, a few seconds); leave room on a busy machine.
export default defineConfig({ test: { include: ['src/**/*.test.ts'], testTimeout: 30_000 } });
