export { preprocess, preprocessBatch, checkImage, resizedSize, cropOffset, type RgbaImage } from './preprocess.js';
export { resize, type Pixels } from './resize.js';
export { topK, softmax, defaultLabels, type Prediction } from './labels.js';
export { IMAGENET_CLASSES } from './imagenet-classes.js';
export { decodeImage } from './decode.js';
