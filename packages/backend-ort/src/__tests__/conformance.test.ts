import { lenet5, LENET_VARIANTS } from '@convzoo/arch-lenet';
import { describeBackendConformance } from '@convzoo/core/testing/conformance';
import { ort } from '../index.js';

// Every op case, and LeNet-5's variants as whole models (the other families run in arch-*.test.ts,
// where one reference run serves BatchNorm folded and kept).
describeBackendConformance('ort-cpu', {
  backend: () => ort({ device: 'cpu', threads: 1 }),
  models: LENET_VARIANTS.map((variant) => ({ name: `lenet5 ${variant}`, model: () => lenet5({ variant }) })),
});
