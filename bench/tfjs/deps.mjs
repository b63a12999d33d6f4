// The bench has no package.json of its own: it resolves everything from @convzoo/backend-tfjs,
// whose devDependencies hold the architectures, tfjs-layers and the tfjs backends.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(new URL('../../packages/backend-tfjs/package.json', import.meta.url));
const load = (name) => import(pathToFileURL(require.resolve(name)).href);

export const tf = await load('@tensorflow/tfjs-core');
export const tfl = await load('@tensorflow/tfjs-layers');
export const core = await load('@convzoo/core');
export const { tfjs } = await import('../../packages/backend-tfjs/dist/index.js');
export const { lenet5 } = await load('@convzoo/arch-lenet');
export const { resnet50 } = await load('@convzoo/arch-resnet');
