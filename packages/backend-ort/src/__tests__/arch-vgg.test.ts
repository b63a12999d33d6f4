import { ARCHITECTURES } from './architectures.js';
import { describeArchitectures } from './architecture-suite.js';

describeArchitectures(ARCHITECTURES.vgg);
