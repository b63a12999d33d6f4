// Core's conformance suite on tfjs cpu: every op case and every architecture variant against the
// float64 reference (one file per device so the two run in parallel).
import { describeBackendConformance } from '@convzoo/core/testing';
import { tfjs } from '../index.js';
import { ARCHITECTURES, FULL } from './architectures.js';

describeBackendConformance('tfjs cpu', {
  backend: () => tfjs({ device: 'cpu' }),
  models: Object.values(ARCHITECTURES).flat(),
  timeout: FULL ? 3_600_000 : 120_000,
});
