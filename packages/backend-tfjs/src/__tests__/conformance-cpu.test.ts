// Core's conformance suite on tfjs cpu: every op case (batch 2) and every architecture variant
// (batch 1: the float64 reference is the slow part; devices-agree.test.ts compares cpu and wasm
// at batch 2) against the float64 reference. One file per device so the two run in parallel.
import { describeBackendConformance } from '@convzoo/core/testing/conformance';
import { tfjs } from '../index.js';
import { ARCHITECTURES, FULL } from './architectures.js';

describeBackendConformance('tfjs cpu', {
  backend: () => tfjs({ device: 'cpu' }),
  models: Object.values(ARCHITECTURES).flat(),
  batch: 1,
  timeout: FULL ? 3_600_000 : 120_000,
});
