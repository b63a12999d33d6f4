import { defineConfig } from 'vitest/config';
import { sharedTest } from '../../vitest.shared.js';

// The test files are CPU-bound and single-threaded (tfjs wasm has no threads in Node), so run one
// per core; vitest's default (cores - 1) would leave one of two cores idle.
export default defineConfig({ test: { ...sharedTest, maxWorkers: 2 } });
