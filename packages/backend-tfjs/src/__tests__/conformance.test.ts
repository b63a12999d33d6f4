import { describeBackendConformance } from '@convzoo/core/testing';
import { tfjs } from '../index.js';

for (const device of ['cpu', 'wasm'] as const) {
  describeBackendConformance(`tfjs ${device}`, { backend: () => tfjs({ device }) });
}
