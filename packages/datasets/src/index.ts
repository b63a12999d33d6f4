export { parseIdx, type IdxArray } from './idx.js';
export { preprocess, type PreprocessOptions } from './preprocess.js';
export { batches, permutation, sampleShape, size, subset, trainValidationSplit, type Batch, type Dataset } from './dataset.js';
export { loadMnist, loadIdxPair, MNIST_CLASSES, MNIST_STATS, type LoadOptions, type Split } from './mnist.js';
export { loadFashionMnist, FASHION_MNIST_CLASSES, FASHION_MNIST_STATS, FASHION_TEST_PER_CLASS } from './fashion-mnist.js';

export { loadDataset, DATASETS, type DatasetName } from './load.js';
export { imageFolder, imageFolderClasses, ImageSource, DEFAULT_CACHE_SIZE, type ImageFolder, type ImageFolderOptions } from './image-folder.js';
export { augment, checkAugmentation, type Augmentation } from './augment.js';
